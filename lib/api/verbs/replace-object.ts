import { readObjectBody } from '../request-body';
import { decodeWrite } from './write-input';
import { yieldBetweenSteps } from './yield-between-steps';
import { isDryRun, jsonResponse, type VerbContext } from './verb-context';

/**
 * PUT on one object or its status. With metadata.resourceVersion the update is conditional (409 when
 * stale); without it, it replaces the latest version.
 */
export async function replaceObject({ route, request, store }: VerbContext) {
  const body = readObjectBody(request);
  await yieldBetweenSteps(request);
  const { object, warnings } = decodeWrite(route, request, body);
  await yieldBetweenSteps(request);
  if (isDryRun(request)) {
    await store.get(route.kind, route.namespace, route.name ?? '');
    return jsonResponse(200, object, warnings);
  }
  const stored =
    route.subresource === 'status'
      ? await store.updateStatus(route.kind, object)
      : await store.update(route.kind, object);
  return jsonResponse(200, stored, warnings);
}
