import { readObjectBody } from '../request-body';
import { decodeWrite } from './write-input';
import { yieldBetweenSteps } from './yield-between-steps';
import { withInitialStatus } from '../../kinds/initial-status';
import { isDryRun, jsonResponse, type VerbContext } from './verb-context';
import { prepareCreate } from '../../store/server-fields';
import { recordWriteManager } from './record-managed-fields';
import { writeAdmitted } from '../admission/write-admission';

/** POST on a collection: validate, default, store with server fields; 201 with the stored object. */
export async function createObject(context: VerbContext) {
  const { route, request, store } = context;
  const body = readObjectBody(request);
  await yieldBetweenSteps(request);
  const { object, warnings } = decodeWrite({ ...route, name: undefined }, request, body);
  await yieldBetweenSteps(request);
  const initial = withInitialStatus(route.kind, object);
  recordWriteManager(route, request, undefined, initial);
  if (isDryRun(request)) {
    const fresh = prepareCreate(initial);
    return jsonResponse(201, route.kind.prepareForCreate?.(fresh) ?? fresh, warnings);
  }
  const stored = await writeAdmitted(context, initial, (object) => store.create(route.kind, object));
  return jsonResponse(201, stored, warnings);
}
