import { jsonResponse, type VerbContext } from './verb-context';

/** GET on one object. */
export async function readObject({ route, store }: VerbContext) {
  return jsonResponse(200, await store.get(route.kind, route.namespace, route.name ?? ''));
}
