import { parse as parseYaml } from 'yaml';
import { apiVersionOf } from '../../kinds/kind-info';
import { withInitialStatus } from '../../kinds/initial-status';
import type { KubeObject } from '../../kinds/meta';
import { AlreadyExistsError, ConflictError } from '../../store/errors';
import { getIfPresent } from '../../store/get-if-present';
import { prepareCreate } from '../../store/server-fields';
import { BadRequestError } from '../errors';
import { parseJsonText } from '../json-text';
import { isJsonObject, type JsonObject } from '../patch/json-value';
import { applyConfiguration } from '../patch/server-side-apply/field-manager';
import { InvalidApplyConfigurationError } from '../patch/server-side-apply/list-items';
import { patchOptionsOf } from '../patch/server-side-apply/patch-options';
import { requireBody } from '../request-body';
import { isDryRun, jsonResponse, type VerbContext } from './verb-context';
import { decodeWrite } from './write-input';
import { yieldBetweenSteps } from './yield-between-steps';

/** An apply that races another write is merged again into the newer object this many times. */
const APPLY_ATTEMPTS = 5;

/** kubectl's client-side apply annotation, which a `kubectl` server-side apply keeps current. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * PATCH with `application/apply-patch+yaml`: server-side apply of the configuration in the body
 * (YAML or JSON) for the `fieldManager` of the query, `force` taking conflicting fields over. The
 * object is created when absent (201), as kube-apiserver allows; otherwise the merged object is
 * validated like a PUT and written conditionally on the version it was merged into (200).
 */
export async function applyObject({ route, request, store }: VerbContext) {
  const options = patchOptionsOf(request, true);
  const config = readConfiguration(requireBody(request), route.kind);
  const subresource: 'status' | undefined = route.subresource === 'status' ? 'status' : undefined;
  const scope = { kind: route.kind, manager: options.manager, ...(subresource ? { subresource } : {}) };
  for (let attempt = 1; ; attempt++) {
    const live = await getIfPresent(store, route.kind, route.namespace, route.name ?? '');
    if (!live && subresource) await store.get(route.kind, route.namespace, route.name ?? '');
    let applied;
    try {
      applied = applyConfiguration(scope, live, config, options.force);
    } catch (error) {
      if (error instanceof InvalidApplyConfigurationError)
        throw new BadRequestError(`failed to create typed patch object: ${error.message}`);
      throw error;
    }
    if (live && options.manager === 'kubectl') keepLastAppliedCurrent(applied.object, config);
    await yieldBetweenSteps(request);
    const { object, warnings } = decodeWrite(route, request, applied.object);
    object.metadata.managedFields = applied.managedFields;
    await yieldBetweenSteps(request);
    try {
      if (!live) {
        const initial = withInitialStatus(route.kind, object);
        if (isDryRun(request)) return jsonResponse(201, prepareCreate(initial), warnings);
        return jsonResponse(201, await store.create(route.kind, initial), warnings);
      }
      object.metadata.resourceVersion = live.metadata.resourceVersion;
      if (isDryRun(request)) return jsonResponse(200, object, warnings);
      const stored = subresource
        ? await store.updateStatus(route.kind, object)
        : await store.update(route.kind, object);
      return jsonResponse(200, stored, warnings);
    } catch (error) {
      const raced = error instanceof ConflictError || error instanceof AlreadyExistsError;
      if (!raced || attempt >= APPLY_ATTEMPTS) throw error;
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
      value = parseYaml(body, { maxAliasCount: 100 }) as unknown;
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

/**
 * kube-apiserver's lastAppliedUpdater: when kubectl applies server-side to an object that client-
 * side apply managed, the last-applied annotation is rewritten to the new configuration, so that
 * a later client-side apply computes its patch from what was really applied.
 */
function keepLastAppliedCurrent(object: JsonObject, config: JsonObject): void {
  const metadata = isJsonObject(object.metadata) ? object.metadata : undefined;
  const annotations = metadata && isJsonObject(metadata.annotations) ? metadata.annotations : undefined;
  if (!annotations || typeof annotations[LAST_APPLIED] !== 'string') return;
  const configMetadata = isJsonObject(config.metadata) ? { ...config.metadata } : {};
  if (isJsonObject(configMetadata.annotations)) {
    const rest = { ...configMetadata.annotations };
    delete rest[LAST_APPLIED];
    configMetadata.annotations = rest;
  }
  const lastApplied: KubeObject = { ...config, metadata: configMetadata } as KubeObject;
  annotations[LAST_APPLIED] = JSON.stringify(lastApplied);
}
