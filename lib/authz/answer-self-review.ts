import type { ApiRequest, ApiResponse } from '../api/http';
import { readObjectBody } from '../api/request-body';
import type { ResourceRoute } from '../api/route';
import { jsonResponse } from '../api/verbs/verb-context';
import { decodeWrite } from '../api/verbs/write-input';
import { reviewedSelf } from '../kinds/self-subject-review';
import type { UserInfo } from './decision';
import { ANONYMOUS } from './request-authorization';

/** Who made a request, as the authenticated API knows it; undefined when nobody authenticated. */
export type IdentifyCaller = (request: ApiRequest) => UserInfo | undefined;

/**
 * POST of a SelfSubjectReview (`kubectl auth whoami`) when the API knows who asks: decoded and
 * validated as every review is, answered 201 with the caller's user info, nothing stored.
 */
export function answerSelfReview(
  route: ResourceRoute,
  request: ApiRequest,
  identify: IdentifyCaller,
): ApiResponse {
  const { object, warnings } = decodeWrite({ ...route, name: undefined }, request, readObjectBody(request));
  return jsonResponse(201, reviewedSelf(object, identify(request) ?? ANONYMOUS), warnings);
}
