import { parseYamlText } from '../yaml-text';
import { apiVersionOf } from '../../kinds/kind-info';
import { withInitialStatus } from '../../kinds/initial-status';
import { runUpdateChecks } from './dry-run-checks';
import { AlreadyExistsError, ConflictError } from '../../store/errors';
import { getIfPresent } from '../../store/get-if-present';
import { prepareCreate } from '../../store/server-fields';
import { prepareUpdateBody, writeAdmitted } from '../admission/write-admission';
import { BadRequestError } from '../errors';
import { parseJsonText } from '../json-text';
import { isJsonObject, type JsonObject } from '../patch/json-value';
import { applyWithLastApplied } from '../patch/server-side-apply/last-applied';
import { InvalidApplyConfigurationError } from '../patch/server-side-apply/list-items';
import { patchOptionsOf } from '../patch/server-side-apply/patch-options';
import { requireBody } from '../request-body';
import { isDryRun, jsonResponse, type VerbContext } from './verb-context';
import { setManagedFields } from './record-managed-fields';
import { decodeWrite } from './write-input';
import { yieldBetweenSteps } from './yield-between-steps';

/** An apply that races another write is merged again into the newer object this many times. */
const APPLY_ATTEMPTS = 5;

/**
 * PATCH with `application/apply-patch+yaml`: server-side apply of the configuration in the body
 * (YAML or JSON) for the `fieldManager` of the query, `force` taking conflicting fields over. The
 * object is created when absent (201), as kube-apiserver allows; otherwise the merged object is
 * validated like a PUT and written conditionally on the version it was merged into (200). A
 * configuration that names a resourceVersion applies to that version only (409 when stale).
 */
export async function applyObject(context: VerbContext) {
  const { route, request, store } = context;
  const options = patchOptionsOf(request, true);
  const config = readConfiguration(requireBody(request), route.kind);
  const subresource: 'status' | undefined = route.subresource === 'status' ? 'status' : undefined;
  const scope = { kind: route.kind, manager: options.manager, ...(subresource ? { subresource } : {}) };
  const precondition = resourceVersionOf(config);
  for (let attempt = 1; ; attempt++) {
    const live = await getIfPresent(store, route.kind, route.namespace, route.name ?? '');
    if (!live && subresource) await store.get(route.kind, route.namespace, route.name ?? '');
    let applied;
    try {
      applied = applyWithLastApplied(scope, live, config, options.force);
    } catch (error) {
      if (error instanceof InvalidApplyConfigurationError)
        throw new BadRequestError(`failed to create typed patch object: ${error.message}`);
      throw error;
    }
    await yieldBetweenSteps(request);
    const body = live ? await prepareUpdateBody(context, applied.object) : applied.object;
    // Server-side apply converts through its typed schema, with errors of its own.
    const { object, warnings } = decodeWrite(route, request, body, Boolean(live), 'unchecked');
    setManagedFields(object, applied.managedFields);
    await yieldBetweenSteps(request);
    try {
      if (!live) {
        const initial = withInitialStatus(route.kind, object);
        if (isDryRun(request)) return jsonResponse(201, prepareCreate(initial), warnings);
        // Admission tells a create by a route without a name, as a POST has.
        const creating = { ...context, route: { ...route, name: undefined } };
        const stored = await writeAdmitted(creating, initial, (admitted) =>
          store.create(route.kind, admitted),
        );
        return jsonResponse(201, stored, warnings);
      }
      if (precondition !== undefined && precondition !== live.metadata.resourceVersion)
        throw new ConflictError({
          group: route.kind.group,
          plural: route.kind.plural,
          namespace: route.namespace,
          name: route.name ?? '',
        });
      object.metadata.resourceVersion = live.metadata.resourceVersion;
      if (isDryRun(request)) {
        // The store runs the kind's update checks on a real write; a dry run runs them here.
        runUpdateChecks(route, object, live);
        return jsonResponse(200, object, warnings);
      }
      const stored = subresource
        ? await store.updateStatus(route.kind, object, { readFrom: live })
        : await writeAdmitted(context, object, (admitted) =>
            store.update(route.kind, admitted, { readFrom: live }),
          );
      return jsonResponse(200, stored, warnings);
    } catch (error) {
      const raced = error instanceof ConflictError || error instanceof AlreadyExistsError;
      if (!raced || precondition !== undefined || attempt >= APPLY_ATTEMPTS) throw error;
    }
  }
}

/**
 * The applied configuration: YAML or JSON (JSON first, the common case), an object of the
 * route's kind (upstream's "invalid object type" otherwise) without managedFields.
 */
function readConfiguration(body: string, kind: VerbContext['route']['kind']): JsonObject {
  let value: unknown;
  try {
    value = parseJsonText(body);
  } catch {
    try {
      value = parseYamlText(body);
    } catch (error) {
      throw new BadRequestError(`error decoding YAML: ${(error as Error).message}`);
    }
  }
  if (!isJsonObject(value)) throw new BadRequestError('error decoding YAML: the body must be an object');
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
  const kindName = typeof value.kind === 'string' ? value.kind : '';
  if (apiVersion !== apiVersionOf(kind) || kindName !== kind.kind) {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    throw new BadRequestError(`invalid object type: ${group}/${version}, Kind=${kindName}`);
  }
  if (
    isJsonObject(value.metadata) &&
    value.metadata.managedFields !== undefined &&
    value.metadata.managedFields !== null
  )
    throw new BadRequestError('metadata.managedFields must be nil');
  return value;
}

/** The configuration's metadata.resourceVersion, a precondition on the object it applies to. */
function resourceVersionOf(config: JsonObject): string | undefined {
  const metadata = isJsonObject(config.metadata) ? config.metadata : {};
  const version = metadata.resourceVersion;
  return typeof version === 'string' && version !== '' ? version : undefined;
}
