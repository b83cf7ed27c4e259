import type { DeleteOptions } from '../../store/object-store';
import { BadRequestError } from '../errors';
import type { ApiRequest } from '../http';
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
  if (policy === undefined && (orphan === true || orphan === 'true')) policy = 'Orphan';
  if (policy !== undefined && !(POLICIES as readonly string[]).includes(policy))
    throw new BadRequestError(
      `Unsupported value: "${policy}": supported values: "Background", "Foreground", "Orphan"`,
      'propagationPolicy',
    );
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
 * DELETE on one object: removed now, or marked for deletion while finalizers remain or while a
 * bound pod's grace period runs (answered 200 with the marked object, as kube-apiserver does). A corrupt
 * object (one the store cannot read) is removed unread and answered with a Success Status, as there
 * is no object to return.
 */
export async function deleteObject({ route, request, store }: VerbContext) {
  const options = deleteOptionsOf(request);
  if (isDryRun(request))
    return jsonResponse(200, await store.get(route.kind, route.namespace, route.name ?? ''));
  const result = await store.delete(route.kind, route.namespace, route.name ?? '', options);
  if (result.unread)
    return jsonResponse(200, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: {
        name: result.object.metadata.name,
        ...(route.kind.group ? { group: route.kind.group } : {}),
        kind: route.kind.plural,
      },
    });
  return jsonResponse(200, result.object);
}
