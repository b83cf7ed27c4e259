import { failure, type Status } from '../api/status';
import type { UserInfo } from './decision';
import type { RequestAttributes } from './request-attributes';

/**
 * The 403 kube answers a request its authorizers do not allow (endpoints/handlers/responsewriters
 * Forbidden): `pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the
 * namespace "default"`, with the authorizers' reason appended after `: ` when there is one.
 */
export function forbiddenStatus(user: UserInfo, request: RequestAttributes, reason: string): Status {
  const message = reason ? `${forbiddenMessage(user, request)}: ${reason}` : forbiddenMessage(user, request);
  if (!request.resourceRequest) return failure(403, 'Forbidden', `forbidden: ${message}`, { kind: '' });
  const qualified = request.apiGroup ? `${request.resource}.${request.apiGroup}` : request.resource;
  const subject = request.name ? `${qualified} "${request.name}"` : qualified;
  return failure(403, 'Forbidden', `${subject} is forbidden: ${message}`, {
    ...(request.name ? { name: request.name } : {}),
    ...(request.apiGroup ? { group: request.apiGroup } : {}),
    kind: request.resource,
  });
}

/** kube's forbiddenMessage: who could not do what, where. */
export function forbiddenMessage(user: UserInfo, request: RequestAttributes): string {
  if (!request.resourceRequest) return `User "${user.name}" cannot ${request.verb} path "${request.path}"`;
  const resource = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
  const scope = request.namespace ? `in the namespace "${request.namespace}"` : 'at the cluster scope';
  return `User "${user.name}" cannot ${request.verb} resource "${resource}" in API group "${request.apiGroup}" ${scope}`;
}
