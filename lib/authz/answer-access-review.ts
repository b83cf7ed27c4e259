import type { ApiRequest, ApiResponse } from '../api/http';
import { readObjectBody } from '../api/request-body';
import type { ResourceRoute } from '../api/route';
import { jsonResponse } from '../api/verbs/verb-context';
import { decodeWrite } from '../api/verbs/write-input';
import { SelfSubjectAccessReview } from '../kinds/self-subject-access-review';
import { accessReviewStatus } from './access-review';
import type { Authorizer } from './authorizer';
import type { UserInfo } from './decision';
import { ANONYMOUS } from './request-authorization';

/** The review's status for the identity of the request that posted it. */
export type ReviewAccess = (
  request: ApiRequest,
  review: SelfSubjectAccessReview,
) => Promise<NonNullable<SelfSubjectAccessReview['status']>>;

/** A ReviewAccess over the authorizers, for the caller `userOf` finds on the request. */
export function accessReviewer(options: {
  authorizer: Authorizer;
  userOf: (request: ApiRequest) => UserInfo | undefined;
}): ReviewAccess {
  return (request, review) =>
    accessReviewStatus(options.authorizer, options.userOf(request) ?? ANONYMOUS, review.spec);
}

/**
 * POST of a SelfSubjectAccessReview when the API knows who asks: decoded and validated as every
 * review is (lib/api/verbs/review-object.ts), answered 201 with the authorizers' status, nothing
 * stored.
 */
export async function answerAccessReview(
  route: ResourceRoute,
  request: ApiRequest,
  reviewAccess: ReviewAccess,
): Promise<ApiResponse> {
  const { object, warnings } = decodeWrite({ ...route, name: undefined }, request, readObjectBody(request));
  const review = SelfSubjectAccessReview.parse(object);
  const status = await reviewAccess(request, review);
  return jsonResponse(201, { ...review, metadata: {}, status }, warnings);
}
