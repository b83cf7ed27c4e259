import type { UserInfo } from './decision';
import { NODE_LEASE_NAMESPACE, nodeNameOf } from './node-authorizer';
import type { RequestAttributes } from './request-attributes';

/**
 * The part of kube's NodeRestriction admission that reads the request body: a node creates only
 * its own Node and its own Lease (a create's name is in the body, not the path, so the node
 * authorizer allows the create and this check narrows it). Returns the reason to refuse, or
 * undefined. Other identities and requests are not restricted here.
 */
export function nodeCreateRestriction(
  user: UserInfo,
  request: RequestAttributes,
  body: unknown,
): string | undefined {
  const node = nodeNameOf(user);
  if (node === undefined || !request.resourceRequest || request.verb !== 'create') return undefined;
  const name = nameOf(body);
  if (request.apiGroup === '' && request.resource === 'nodes' && request.subresource === '' && name !== node)
    return `node "${node}" is not allowed to modify node "${name ?? ''}"`;
  if (
    request.apiGroup === 'coordination.k8s.io' &&
    request.resource === 'leases' &&
    request.namespace === NODE_LEASE_NAMESPACE &&
    name !== node
  )
    return 'can only access node lease with the same name as the requesting node';
  return undefined;
}

function nameOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('metadata' in body)) return undefined;
  const metadata = body.metadata;
  if (typeof metadata !== 'object' || metadata === null || !('name' in metadata)) return undefined;
  return typeof metadata.name === 'string' ? metadata.name : undefined;
}
