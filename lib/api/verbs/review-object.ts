import { decodeWrite } from './write-input';
import { readObjectBody } from '../request-body';
import { jsonResponse, type VerbContext } from './verb-context';

/**
 * POST of a kind that is never stored (kube's access reviews, KindInfo.review): decoded and
 * validated like a create, answered 201 with the kind's completed object, and nothing written.
 * A dry run answers the same, as kube's review endpoints do.
 */
export async function reviewObject({ route, request }: VerbContext) {
  const review = route.kind.review;
  if (!review) throw new Error(`${route.kind.kind} is not a review kind`);
  const { object, warnings } = decodeWrite({ ...route, name: undefined }, request, readObjectBody(request));
  return jsonResponse(201, review(object), warnings);
}
