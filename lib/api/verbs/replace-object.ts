import { prepareUpdateBody, writeAdmitted } from '../admission/write-admission';
import { ConflictError } from '../../store/errors';
import { readObjectBody } from '../request-body';
import { runUpdateChecks } from './dry-run-checks';
import { decodeWrite } from './write-input';
import { yieldBetweenSteps } from './yield-between-steps';
import { isDryRun, jsonResponse, type VerbContext } from './verb-context';
import { recordWriteManager } from './record-managed-fields';

/** A PUT without a resourceVersion is recorded against the latest object again this many times on a race. */
const REPLACE_ATTEMPTS = 5;

/**
 * PUT on one object or its status. With metadata.resourceVersion the update is conditional (409 when
 * stale); without it, it replaces the latest version: the write is pinned to the version its
 * managedFields were recorded against and made again on a race, so no concurrent change is
 * attributed to the wrong manager.
 */
export async function replaceObject(context: VerbContext) {
  const { route, request, store } = context;
  const body = await prepareUpdateBody(context, readObjectBody(request));
  await yieldBetweenSteps(request);
  const { object, warnings } = decodeWrite(route, request, body, true);
  await yieldBetweenSteps(request);
  const pinned = object.metadata.resourceVersion !== undefined;
  const written = object.metadata.managedFields;
  for (let attempt = 1; ; attempt++) {
    const current = await store.get(route.kind, route.namespace, route.name ?? '');
    object.metadata.managedFields = written;
    recordWriteManager(route, request, current, object);
    if (isDryRun(request)) {
      runUpdateChecks(route, object, current);
      return jsonResponse(200, object, warnings);
    }
    if (!pinned) object.metadata.resourceVersion = current.metadata.resourceVersion;
    try {
      const stored =
        route.subresource === 'status'
          ? await store.updateStatus(route.kind, object, { readFrom: current })
          : await writeAdmitted(context, object, (admitted) =>
              store.update(route.kind, admitted, { readFrom: current }),
            );
      return jsonResponse(200, stored, warnings);
    } catch (error) {
      if (!(error instanceof ConflictError) || pinned || attempt >= REPLACE_ATTEMPTS) throw error;
    }
  }
}
