import { invalidValue, unsupportedValue } from '../../kinds/field-error';
import type { KindInfo } from '../../kinds/kind-info';
import type { KubeObject } from '../../kinds/meta';
import type { DeleteOptions } from '../../store/object-store';
import { BadRequestError } from '../errors';
import type { ApiRequest } from '../http';
import { invalidOptions } from './invalid-options';
import { isDryRun, jsonResponse, type VerbContext } from './verb-context';

const POLICIES = ['Background', 'Foreground', 'Orphan'] as const;

const UNSAFE_DELETE = 'ignoreStoreReadErrorWithClusterBreakingPotential';

/**
 * DeleteOptions from the body (kubectl sends one) and the query: propagationPolicy, preconditions,
 * gracePeriodSeconds and ignoreStoreReadErrorWithClusterBreakingPotential. `orphanDependents` (deprecated) maps onto
 * Orphan as kube does.
 */
export function deleteOptionsOf(request: ApiRequest): DeleteOptions {
  let body: Record<string, unknown> = {};
  if (request.body && request.body.trim() !== '') {
    try {
      body = JSON.parse(request.body) as Record<string, unknown>;
    } catch {
      throw new BadRequestError('the DeleteOptions in the body could not be decoded');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new BadRequestError('the DeleteOptions in the body must be an object');
  }
  return deleteOptionsFrom(body, request.query);
}

/**
 * DeleteOptions from a decoded body and the query, as DELETE reads them; the eviction subresource
 * reads an Eviction's deleteOptions with it too (evict-pod.ts).
 */
export function deleteOptionsFrom(
  body: Record<string, unknown>,
  query: ApiRequest['query'] = {},
): DeleteOptions {
  let policy = (body.propagationPolicy ?? query.propagationPolicy) as string | undefined;
  const orphan = body.orphanDependents ?? query.orphanDependents;
  // kube's ValidateDeleteOptions: 422 Invalid for a policy it does not know, or one set beside orphanDependents.
  if (policy !== undefined && orphan !== undefined)
    throw invalidOptions(
      'DeleteOptions',
      'propagationPolicy',
      invalidValue(policy, 'orphanDependents and deletionPropagation cannot be both set'),
    );
  if (policy !== undefined && !(POLICIES as readonly string[]).includes(policy))
    throw invalidOptions(
      'DeleteOptions',
      'propagationPolicy',
      unsupportedValue(policy, ['Foreground', 'Background', 'Orphan', 'nil']),
    );
  if (policy === undefined && (orphan === true || orphan === 'true')) policy = 'Orphan';
  const preconditions = body.preconditions as DeleteOptions['preconditions'] | undefined;
  const unsafe = booleanOption(body[UNSAFE_DELETE] ?? query[UNSAFE_DELETE], UNSAFE_DELETE);
  const grace = integerOption(body.gracePeriodSeconds ?? query.gracePeriodSeconds, 'gracePeriodSeconds');
  return {
    propagationPolicy: policy as DeleteOptions['propagationPolicy'],
    ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
    ...(preconditions && typeof preconditions === 'object' ? { preconditions } : {}),
    ...(unsafe ? { [UNSAFE_DELETE]: true } : {}),
  };
}

/**
 * An integer option (gracePeriodSeconds): a JSON number in the body or digits in the query; null
 * or empty is absent. Negative values are kept: the store reads them as 1 second, as kube does.
 */
function integerOption(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof number === 'number' && Number.isSafeInteger(number)) return number;
  throw new BadRequestError(`${field} must be an integer`, field);
}

/** A boolean option: a JSON boolean in the body, or `true`/`false`/`1`/`0` in the query. */
function booleanOption(value: unknown, field: string): boolean {
  if (value === undefined || value === '' || value === false || value === 'false' || value === '0')
    return false;
  if (value === true || value === 'true' || value === '1') return true;
  throw new BadRequestError(`${field} must be true or false`, field);
}

/**
 * DELETE on one object, answered as kube-apiserver's registry answers it: an object removed now is
 * a Success Status naming it (details name, group, resource as kind, uid), except for the kinds
 * that return the deleted object (KindInfo.returnsDeletedObject: Pods, Namespaces); an object only
 * marked for deletion, while finalizers remain or a bound pod's grace period runs, is answered
 * itself. A corrupt object (one the store cannot read) is removed unread: a Status, with no uid.
 */
export async function deleteObject({ route, request, store }: VerbContext) {
  const options = deleteOptionsOf(request);
  if (isDryRun(request)) {
    const object = await store.get(route.kind, route.namespace, route.name ?? '');
    const kept = (object.metadata.finalizers ?? []).length > 0;
    return jsonResponse(
      200,
      kept || route.kind.returnsDeletedObject ? object : deletedStatus(route.kind, object),
    );
  }
  const result = await store.delete(route.kind, route.namespace, route.name ?? '', options);
  if (result.unread || (result.removed && !route.kind.returnsDeletedObject))
    return jsonResponse(200, deletedStatus(route.kind, result.object));
  return jsonResponse(200, result.object);
}

/** kube's finalizeDelete: `Status` Success with the deleted object's name, group, resource and uid. */
function deletedStatus(kind: KindInfo, object: KubeObject) {
  const { name, uid } = object.metadata;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: {
      name,
      ...(kind.group ? { group: kind.group } : {}),
      kind: kind.plural,
      ...(uid ? { uid } : {}),
    },
  };
}
