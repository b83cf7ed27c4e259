import type { ApiRequest } from '../api/http';
import { failure, type Status } from '../api/status';
import type { Authorizer } from './authorizer';
import type { UserInfo } from './decision';
import { forbiddenStatus } from './forbidden-status';
import { nodeNameOf } from './node-authorizer';
import { nodeCreateRestriction } from './node-restriction';
import { requestAttributes, type RequestAttributes } from './request-attributes';

/** kube's identity for a request no authenticator recognised. */
export const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

/**
 * The API handler's authorization step (ApiDependencies.authorize): the Status to answer when the
 * request is not allowed (403), or undefined to serve it. `userOf` is the authenticated identity
 * the transport attached to the request (the Lambda's authorizer context); a request without one
 * is kube's anonymous user.
 */
export function requestAuthorization(options: {
  authorizer: Authorizer;
  userOf: (request: ApiRequest) => UserInfo | undefined;
}): (request: ApiRequest) => Promise<Status | undefined> {
  return async (request) => {
    const user = options.userOf(request) ?? ANONYMOUS;
    const attributes = requestAttributes(request);
    const decision = await options.authorizer(user, attributes);
    if (decision.decision !== 'allow') return forbiddenStatus(user, attributes, decision.reason);
    // Only a node's create is restricted by its body: other requests are not parsed here.
    if (nodeNameOf(user) === undefined || !attributes.resourceRequest || attributes.verb !== 'create')
      return undefined;
    const body = jsonBody(request);
    const restricted = nodeCreateRestriction(user, attributes, body);
    return restricted === undefined ? undefined : admissionForbidden(attributes, body, restricted);
  };
}

/** NodeRestriction's refusal as kube's admission words it: `nodes "x" is forbidden: <reason>`. */
function admissionForbidden(attributes: RequestAttributes, body: unknown, reason: string): Status {
  if (!attributes.resourceRequest) return failure(403, 'Forbidden', `forbidden: ${reason}`);
  const qualified = attributes.apiGroup
    ? `${attributes.resource}.${attributes.apiGroup}`
    : attributes.resource;
  const name = nameIn(body);
  return failure(403, 'Forbidden', `${name ? `${qualified} "${name}"` : qualified} is forbidden: ${reason}`, {
    ...(name ? { name } : {}),
    ...(attributes.apiGroup ? { group: attributes.apiGroup } : {}),
    kind: attributes.resource,
  });
}

function jsonBody(request: ApiRequest): unknown {
  if (request.body === undefined) return undefined;
  try {
    return JSON.parse(request.body) as unknown;
  } catch {
    return undefined;
  }
}

function nameIn(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('metadata' in body)) return undefined;
  const { metadata } = body;
  if (typeof metadata !== 'object' || metadata === null || !('name' in metadata)) return undefined;
  return typeof metadata.name === 'string' ? metadata.name : undefined;
}
