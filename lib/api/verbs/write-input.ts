import { apiVersionOf } from '../../kinds/kind-info';
import { decodeObject } from '../../kinds/decode';
import type { KubeObject } from '../../kinds/meta';
import { BadRequestError } from '../errors';
import type { ApiRequest } from '../http';
import type { ResourceRoute } from '../route';

type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

/** The `fieldValidation` query parameter (kubectl sends Strict by default); Warn when absent. */
export function fieldValidationOf(request: ApiRequest): FieldValidation {
  const value = request.query.fieldValidation;
  if (value === undefined || value === '') return 'Warn';
  if (value === 'Ignore' || value === 'Warn' || value === 'Strict') return value;
  throw new BadRequestError(
    `fieldValidation parameter unsupported: ${value}, must be one of Ignore, Warn, Strict`,
    'fieldValidation',
  );
}

/**
 * Turns a written body into a validated, defaulted object of the route's kind, as kube-apiserver
 * does before storage: apiVersion and kind must match the URL (or be absent), the namespace comes
 * from the URL, and for PUT/PATCH the name must match the URL.
 */
export function decodeWrite(
  route: ResourceRoute,
  request: ApiRequest,
  body: Record<string, unknown>,
): { object: KubeObject; warnings: string[] } {
  const expectedVersion = apiVersionOf(route.kind);
  const apiVersion = body.apiVersion ?? expectedVersion;
  const kind = body.kind ?? route.kind.kind;
  if (apiVersion !== expectedVersion)
    throw new BadRequestError(
      `the API version in the data (${String(apiVersion)}) does not match the expected API version (${expectedVersion})`,
      'apiVersion',
    );
  if (kind !== route.kind.kind)
    throw new BadRequestError(
      `the kind in the data (${String(kind)}) does not match the expected kind (${route.kind.kind})`,
      'kind',
    );
  const metadata = body.metadata ?? {};
  if (typeof metadata !== 'object' || Array.isArray(metadata))
    throw new BadRequestError('metadata must be an object', 'metadata');
  const meta = { ...(metadata as Record<string, unknown>) };
  if (route.kind.namespaced) {
    if (
      meta.namespace !== undefined &&
      meta.namespace !== null &&
      meta.namespace !== '' &&
      meta.namespace !== route.namespace
    )
      throw new BadRequestError(
        'the namespace of the provided object does not match the namespace sent on the request',
        'metadata.namespace',
      );
    meta.namespace = route.namespace;
  } else delete meta.namespace;
  if (route.name !== undefined) {
    if (meta.name !== undefined && meta.name !== null && meta.name !== route.name)
      throw new BadRequestError(
        `the name of the object (${String(meta.name)}) does not match the name on the URL (${route.name})`,
        'metadata.name',
      );
    meta.name = route.name;
  }
  return decodeObject(
    route.kind,
    { ...body, apiVersion: expectedVersion, kind: route.kind.kind, metadata: meta },
    { fieldValidation: fieldValidationOf(request), unnamed: route.kind.review !== undefined },
  );
}
