import { readObjectBody } from '../request-body';
import { decodeWrite } from './write-input';
import { yieldBetweenSteps } from './yield-between-steps';
import { withInitialStatus } from '../../kinds/initial-status';
import { isDryRun, jsonResponse, type VerbContext } from './verb-context';
import { prepareCreate } from '../../store/server-fields';

/** POST on a collection: validate, default, store with server fields; 201 with the stored object. */
export async function createObject({ route, request, store }: VerbContext) {
  const body = readObjectBody(request);
  await yieldBetweenSteps(request);
  const { object, warnings } = decodeWrite({ ...route, name: undefined }, request, body);
  await yieldBetweenSteps(request);
  const initial = withInitialStatus(route.kind, object);
  if (isDryRun(request)) return jsonResponse(201, prepareCreate(initial), warnings);
  return jsonResponse(201, await store.create(route.kind, initial), warnings);
}
