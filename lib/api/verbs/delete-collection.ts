import { apiVersionOf } from '../../kinds/kind-info';
import { NotFoundError } from '../../store/errors';
import { deleteOptionsOf } from './delete-object';
import { listOptionsOf } from './list-objects';
import { isDryRun, jsonResponse, type VerbContext } from './verb-context';

/** DELETE on a collection (deletecollection): deletes every object the selectors match. */
export async function deleteCollection({ route, request, store }: VerbContext) {
  const options = deleteOptionsOf(request);
  const list = await store.list(route.kind, {
    ...listOptionsOf(route, request),
    limit: undefined,
    continue: undefined,
  });
  if (!isDryRun(request)) {
    for (const object of list.items) {
      try {
        await store.delete(route.kind, object.metadata.namespace, object.metadata.name ?? '', options);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
  }
  return jsonResponse(200, {
    apiVersion: apiVersionOf(route.kind),
    kind: `${route.kind.kind}List`,
    metadata: list.metadata,
    items: list.items,
  });
}
