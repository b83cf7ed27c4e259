import type { DeleteOptions } from '../../store/object-store';
import { BadRequestError } from '../errors';
import type { ApiRequest } from '../http';
import { isDryRun, jsonResponse, type VerbContext } from './verb-context';

const POLICIES = ['Background', 'Foreground', 'Orphan'] as const;

/**
 * DeleteOptions from the body (kubectl sends one) and the query: propagationPolicy and
 * preconditions. `orphanDependents` (deprecated) maps onto Orphan as kube does.
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
  let policy = (body.propagationPolicy ?? request.query.propagationPolicy) as string | undefined;
  const orphan = body.orphanDependents ?? request.query.orphanDependents;
  if (policy === undefined && (orphan === true || orphan === 'true')) policy = 'Orphan';
  if (policy !== undefined && !(POLICIES as readonly string[]).includes(policy))
    throw new BadRequestError(
      `Unsupported value: "${policy}": supported values: "Background", "Foreground", "Orphan"`,
      'propagationPolicy',
    );
  const preconditions = body.preconditions as DeleteOptions['preconditions'] | undefined;
  return {
    propagationPolicy: policy as DeleteOptions['propagationPolicy'],
    ...(preconditions && typeof preconditions === 'object' ? { preconditions } : {}),
  };
}

/** DELETE on one object: removed now, or marked for deletion while finalizers remain. */
export async function deleteObject({ route, request, store }: VerbContext) {
  const options = deleteOptionsOf(request);
  if (isDryRun(request))
    return jsonResponse(200, await store.get(route.kind, route.namespace, route.name ?? ''));
  const result = await store.delete(route.kind, route.namespace, route.name ?? '', options);
  return jsonResponse(200, result.object);
}
