import { prepareUpdateBody, writeAdmitted } from '../admission/write-admission';
import { readObjectBody } from '../request-body';
import { decodeWrite } from './write-input';
import { yieldBetweenSteps } from './yield-between-steps';
import { isDryRun, jsonResponse, type VerbContext } from './verb-context';
import { recordWriteManager } from './record-managed-fields';

/**
 * PUT on one object or its status. With metadata.resourceVersion the update is conditional (409 when
 * stale); without it, it replaces the latest version.
 */
export async function replaceObject(context: VerbContext) {
  const { route, request, store } = context;
  const body = await prepareUpdateBody(context, readObjectBody(request));
  await yieldBetweenSteps(request);
  const { object, warnings } = decodeWrite(route, request, body);
  await yieldBetweenSteps(request);
  const current = await store.get(route.kind, route.namespace, route.name ?? '');
  recordWriteManager(route, request, current, object);
  if (isDryRun(request)) return jsonResponse(200, object, warnings);
  const stored =
    route.subresource === 'status'
      ? await store.updateStatus(route.kind, object)
      : await writeAdmitted(context, object, (admitted) => store.update(route.kind, admitted));
  return jsonResponse(200, stored, warnings);
}
