import { readJsonPath } from '../../crd/json-path';
import { decodeObject } from '../../kinds/decode';
import type { KindInfo } from '../../kinds/kind-info';
import type { LabelSelector } from '../../kinds/label-selector';
import type { KubeObject } from '../../kinds/meta';
import { ScaleKind, type Scale } from '../../kinds/scale';
import { ConflictError } from '../../store/errors';
import { BadRequestError } from '../errors';
import { patchMetaOf } from '../kind-json-schema';
import { applyPatch, patchContentType } from '../patch/apply-patch';
import { readObjectBody, requireBody } from '../request-body';
import { selectorString } from './selector-string';
import { isDryRun, jsonResponse, type VerbContext } from './verb-context';
import { fieldValidationOf } from './write-input';
import { recordWriteManager } from './record-managed-fields';

/** Writes without a resourceVersion are made again on the latest object this many times on a race. */
const ATTEMPTS = 5;

/**
 * The `scale` subresource of Deployments and ReplicaSets (autoscaling/v1 Scale), as kube's
 * ScaleREST serves it: GET answers the object's Scale; PUT and PATCH (applied to the Scale) change
 * only spec.replicas. A Scale's resourceVersion makes the write conditional (409 when stale);
 * without one it applies to the latest object.
 */

/**
 * The Scale of a Deployment or ReplicaSet (its identity, spec.replicas, status.replicas, selector),
 * or of a custom kind, read at its CRD's scale paths (the selector as the string found there).
 */
export function scaleOf(object: KubeObject, kind?: KindInfo): Scale {
  const paths = kind?.scalePaths;
  const number = (path: string) => {
    const [found] = readJsonPath(object, path);
    return typeof found === 'number' ? found : undefined;
  };
  const spec = paths
    ? { replicas: number(paths.specReplicasPath) }
    : ((object.spec ?? {}) as { replicas?: number; selector?: LabelSelector });
  const status = paths
    ? { replicas: number(paths.statusReplicasPath) }
    : ((object.status ?? {}) as { replicas?: number });
  const { name, namespace, uid, resourceVersion, creationTimestamp } = object.metadata;
  const selector = paths
    ? paths.labelSelectorPath && String(readJsonPath(object, paths.labelSelectorPath)[0] ?? '')
    : selectorString((spec as { selector?: LabelSelector }).selector);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    // autoscaling/v1 omits zero replicas in spec (omitempty), never in status.
    spec: spec.replicas ? { replicas: spec.replicas } : {},
    status: { replicas: status.replicas ?? 0, ...(selector ? { selector } : {}) },
  };
}

/** GET `.../{name}/scale`. */
export async function readScale({ route, store }: VerbContext) {
  return jsonResponse(
    200,
    scaleOf(await store.get(route.kind, route.namespace, route.name ?? ''), route.kind),
  );
}

/** PUT `.../{name}/scale` with a Scale. */
export async function replaceScale(context: VerbContext) {
  const scale = decodeScale(context, readObjectBody(context.request));
  return writeScale(context, () => scale);
}

/** PATCH `.../{name}/scale`: the patch applies to the current Scale, in any of kube's three types. */
export async function patchScale(context: VerbContext) {
  const contentType = patchContentType(context.request.headers['content-type']);
  const patchText = requireBody(context.request);
  return writeScale(context, (current) => {
    const patched = applyPatch(
      contentType,
      scaleOf(current, context.route.kind),
      patchText,
      patchMetaOf(ScaleKind),
    );
    const scale = decodeScale(context, patched as Record<string, unknown>);
    // A patch that leaves resourceVersion alone is not conditional: the loop re-reads on a race.
    if (scale.metadata.resourceVersion === current.metadata.resourceVersion)
      delete scale.metadata.resourceVersion;
    return scale;
  });
}

/**
 * Reads the object, sets spec.replicas from the Scale `scaleFor` gives for it, and writes it
 * conditionally on the version read (or the Scale's own, answered 409 when stale).
 */
async function writeScale({ route, request, store }: VerbContext, scaleFor: (current: KubeObject) => Scale) {
  for (let attempt = 1; ; attempt++) {
    const current = await store.get(route.kind, route.namespace, route.name ?? '');
    const scale = scaleFor(current);
    const pinned = scale.metadata.resourceVersion;
    const replicas = scale.spec.replicas ?? 0;
    const paths = route.kind.scalePaths;
    const next = {
      ...(paths ? withValueAt(current, paths.specReplicasPath, replicas) : current),
      metadata: { ...current.metadata, resourceVersion: pinned ?? current.metadata.resourceVersion },
      ...(paths ? {} : { spec: { ...(current.spec as Record<string, unknown>), replicas } }),
    } as KubeObject;
    recordWriteManager(route, request, current, next);
    if (isDryRun(request)) {
      if (pinned !== undefined && pinned !== current.metadata.resourceVersion)
        throw new ConflictError({
          group: route.kind.group,
          plural: route.kind.plural,
          namespace: route.namespace,
          name: route.name ?? '',
        });
      return jsonResponse(200, scaleOf(next, route.kind));
    }
    try {
      return jsonResponse(200, scaleOf(await store.update(route.kind, next), route.kind));
    } catch (error) {
      if (!(error instanceof ConflictError) || pinned !== undefined || attempt >= ATTEMPTS) throw error;
    }
  }
}

/** A copy of `object` with `value` at the dotted path `.a.b.c` (made where missing). */
function withValueAt(object: KubeObject, path: string, value: unknown): KubeObject {
  const names = path.replace(/^\./, '').split('.');
  const copy = structuredClone(object) as unknown as Record<string, unknown>;
  let at = copy;
  for (const name of names.slice(0, -1)) {
    const next = at[name];
    at[name] = typeof next === 'object' && next !== null && !Array.isArray(next) ? next : {};
    at = at[name] as Record<string, unknown>;
  }
  at[names[names.length - 1]] = value;
  return copy as unknown as KubeObject;
}

/**
 * A written Scale, checked as kube checks it: apiVersion autoscaling/v1 and kind Scale (or absent),
 * the URL's name and namespace, then ValidateScale (422 `Scale.autoscaling "web" is invalid`).
 */
function decodeScale({ route, request }: VerbContext, body: Record<string, unknown>): Scale {
  const apiVersion = body.apiVersion ?? 'autoscaling/v1';
  if (apiVersion !== 'autoscaling/v1')
    throw new BadRequestError(
      `the API version in the data (${String(apiVersion)}) does not match the expected API version (autoscaling/v1)`,
      'apiVersion',
    );
  if ((body.kind ?? 'Scale') !== 'Scale')
    throw new BadRequestError(
      `the kind in the data (${String(body.kind)}) does not match the expected kind (Scale)`,
      'kind',
    );
  const metadata = (body.metadata ?? {}) as Record<string, unknown>;
  if (typeof metadata !== 'object' || Array.isArray(metadata))
    throw new BadRequestError('metadata must be an object', 'metadata');
  const name = route.name ?? '';
  if (metadata.name !== undefined && metadata.name !== name)
    throw new BadRequestError(
      `the name of the object (${String(metadata.name)}) does not match the name on the URL (${name})`,
      'metadata.name',
    );
  if (metadata.namespace !== undefined && metadata.namespace !== '' && metadata.namespace !== route.namespace)
    throw new BadRequestError(
      'the namespace of the provided object does not match the namespace sent on the request',
      'metadata.namespace',
    );
  const { object } = decodeObject(
    ScaleKind,
    { ...body, apiVersion, kind: 'Scale', metadata: { ...metadata, name, namespace: route.namespace } },
    { fieldValidation: fieldValidationOf(request) },
  );
  return object as unknown as Scale;
}
