import type { Decision, UserInfo } from './decision';
import { noOpinion } from './decision';
import type { RequestAttributes } from './request-attributes';

/** One authorization mode (Node, RBAC): its decision on a user's request. */
export type Authorizer = (user: UserInfo, request: RequestAttributes) => Promise<Decision>;

/**
 * kube's union authorizer (`--authorization-mode=Node,RBAC`): the first authorizer that allows or
 * denies decides; when none has an opinion the request is not allowed, with their reasons joined
 * by newlines as kube joins them.
 */
export function unionAuthorizer(...authorizers: readonly Authorizer[]): Authorizer {
  return async (user, request) => {
    const reasons: string[] = [];
    for (const authorize of authorizers) {
      const decision = await authorize(user, request);
      if (decision.decision !== 'no-opinion') return decision;
      if (decision.reason) reasons.push(decision.reason);
    }
    return noOpinion(reasons.join('\n'));
  };
}
