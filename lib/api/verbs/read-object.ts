import { toTable, wantsTable } from '../table/to-table';
import { jsonResponse, type VerbContext } from './verb-context';

/** GET on one object, as itself or, for `kubectl get`, as a one-row Table. */
export async function readObject({ route, request, store }: VerbContext) {
  const object = await store.get(route.kind, route.namespace, route.name ?? '');
  if (wantsTable(request) && !route.subresource)
    return jsonResponse(200, toTable(route.kind, [object], {}, request));
  return jsonResponse(200, object);
}
