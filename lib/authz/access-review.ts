import type { SelfSubjectAccessReview } from '../kinds/self-subject-access-review';
import type { Authorizer } from './authorizer';
import type { UserInfo } from './decision';
import type { RequestAttributes } from './request-attributes';

type ReviewSpec = SelfSubjectAccessReview['spec'];
type ReviewStatus = NonNullable<SelfSubjectAccessReview['status']>;

/**
 * A SelfSubjectAccessReview's status as kube's registry computes it: the spec's attributes asked
 * of the authorizers for the caller; `denied` only when an authorizer denied outright. Where no
 * identity exists (the local server), the kind's own review answers "allowed" instead.
 */
export async function accessReviewStatus(
  authorizer: Authorizer,
  user: UserInfo,
  spec: ReviewSpec,
): Promise<ReviewStatus> {
  const decision = await authorizer(user, reviewAttributes(spec));
  return {
    allowed: decision.decision === 'allow',
    ...(decision.decision === 'deny' ? { denied: true } : {}),
    ...(decision.reason ? { reason: decision.reason } : {}),
  };
}

/** kube's ResourceAttributesFrom / NonResourceAttributesFrom. */
export function reviewAttributes(spec: ReviewSpec): RequestAttributes {
  const nonResource = spec.nonResourceAttributes;
  if (nonResource)
    return { resourceRequest: false, verb: nonResource.verb ?? '', path: nonResource.path ?? '' };
  const r = spec.resourceAttributes ?? {};
  return {
    resourceRequest: true,
    verb: r.verb ?? '',
    apiGroup: r.group ?? '',
    apiVersion: r.version ?? '',
    resource: r.resource ?? '',
    subresource: r.subresource ?? '',
    namespace: r.namespace ?? '',
    name: r.name ?? '',
  };
}
