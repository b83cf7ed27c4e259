import { apiVersionOf, type KindInfo } from '../../kinds/kind-info';
import { findKindByKind } from '../../kinds/registry';
import { decodeObject } from '../../kinds/decode';
import type { KubeObject } from '../../kinds/meta';
import { invalidValue, unsupportedValue } from '../../kinds/field-error';
import { InvalidObjectError } from '../../kinds/errors';
import { goConvertError, goPrint } from '../protobuf/go-convert-errors';
import { goUnmarshalTypeError } from '../protobuf/go-type-errors';
import { messageForKind } from '../protobuf/kube-schema';
import { BadRequestError } from '../errors';
import type { ApiRequest } from '../http';
import type { ResourceRoute } from '../route';
import { invalidOptions, writeOptionsKind } from './invalid-options';

type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

/**
 * The `fieldValidation` query parameter (kubectl sends Strict by default); Warn when absent. Any
 * other value is 422 Invalid, as kube's ValidateCreateOptions (and Update, Patch) refuse it.
 */
export function fieldValidationOf(request: ApiRequest): FieldValidation {
  const value = request.query.fieldValidation;
  if (value === undefined || value === '') return 'Warn';
  if (value === 'Ignore' || value === 'Warn' || value === 'Strict') return value;
  // kube's ValidateFieldValidation lists its allowed values sorted, the empty one first.
  throw invalidOptions(
    writeOptionsKind(request.method),
    'fieldValidation',
    unsupportedValue(value, ['', 'Ignore', 'Strict', 'Warn']),
  );
}

/**
 * Where a written body came from, which decides how a value its Go type cannot hold is answered
 * (goTypeErrors): a request body (POST, PUT) as kube's decoder answers it (400), a merge or JSON
 * patch's result as kube's patcher does (422 on `patch`), or not at all (a strategic merge patch
 * or an apply, which kube converts from unstructured data with errors of their own).
 */
export type WrittenFrom = 'body' | 'patch' | 'unchecked';

/**
 * Turns a written body into a validated, defaulted object of the route's kind, as kube-apiserver
 * does before storage: apiVersion and kind must match the URL (or be absent), a built-in kind's
 * values must fit their Go types, the namespace comes from the URL, and for PUT/PATCH the name
 * must match the URL. `update` says the body replaces a stored object (PUT, PATCH, an apply to an
 * existing object).
 */
export function decodeWrite(
  route: ResourceRoute,
  request: ApiRequest,
  body: Record<string, unknown>,
  update = false,
  from: WrittenFrom = 'body',
): { object: KubeObject; warnings: string[] } {
  const expectedVersion = apiVersionOf(route.kind);
  const apiVersion = body.apiVersion ?? expectedVersion;
  const kind = body.kind ?? route.kind.kind;
  if (kind !== route.kind.kind) throw new BadRequestError(kindMismatchMessage(apiVersion, kind, route.kind));
  if (apiVersion !== expectedVersion)
    throw new BadRequestError(
      `the API version in the data (${String(apiVersion)}) does not match the expected API version (${expectedVersion})`,
    );
  if (from !== 'unchecked') refuseGoTypeErrors(route.kind, body, from);
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
      );
    meta.namespace = route.namespace;
  } else delete meta.namespace;
  if (route.name !== undefined) {
    if (meta.name !== undefined && meta.name !== null && meta.name !== route.name)
      throw new BadRequestError(
        `the name of the object (${String(meta.name)}) does not match the name on the URL (${route.name})`,
      );
    meta.name = route.name;
  }
  return decodeObject(
    route.kind,
    { ...body, apiVersion: expectedVersion, kind: route.kind.kind, metadata: meta },
    {
      fieldValidation: fieldValidationOf(request),
      unnamed: route.kind.review !== undefined,
      // The store runs the update checks: the kind's validateUpdate on the main resource, its
      // validateStatusUpdate on /status (a kind without one is validated here in full).
      update: update && (route.subresource === undefined || route.kind.validateStatusUpdate !== undefined),
    },
  );
}

/**
 * kube's answer to a value a built-in kind's Go type cannot hold (`replicas: "3"`): its decoder
 * fails before any validation. A request body gets transformDecodeError's 400, `Deployment in
 * version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct
 * field DeploymentSpec.spec.replicas of type int32`; a patched object the patcher's 422, an
 * invalid `patch` holding the patched JSON. Custom kinds have no Go type: their schema decides.
 */
function refuseGoTypeErrors(info: KindInfo, body: Record<string, unknown>, from: 'body' | 'patch'): void {
  const type = messageForKind(apiVersionOf(info), info.kind);
  const error = type && goUnmarshalTypeError(type, body);
  if (!error) return;
  if (from === 'body')
    throw new BadRequestError(
      `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: ${error}`,
    );
  throw new InvalidObjectError({ kind: '', group: '' }, '', [
    { reason: 'FieldValueInvalid', field: 'patch', message: invalidValue(JSON.stringify(body), error) },
  ]);
}

/**
 * kube's 422 for a strategic merge patch whose result a built-in kind's Go type cannot hold: its
 * unstructured converter's error (`unrecognized type: int32`) on an invalid `patch` holding the
 * patch as Go prints it (`map[spec:map[replicas:3]]`).
 */
export function refuseConvertErrors(info: KindInfo, patched: unknown, patch: unknown): void {
  const type = messageForKind(apiVersionOf(info), info.kind);
  const error = type && goConvertError(type, patched);
  if (!error) return;
  throw new InvalidObjectError({ kind: '', group: '' }, '', [
    { reason: 'FieldValueInvalid', field: 'patch', message: invalidValue(goPrint(patch), error) },
  ]);
}

/**
 * kube's 400 for a body of another kind than the URL's: its decoder reads the body as the kind it
 * names and fails to convert it into the URL's (transformDecodeError), e.g. `ReplicaSet in version
 * "v1" cannot be handled as a Deployment: converting (v1.ReplicaSet) to (apps.Deployment): unknown
 * conversion`; a kind its scheme does not know fails earlier, with `no kind "X" is registered`.
 */
function kindMismatchMessage(apiVersion: unknown, kind: unknown, expected: KindInfo): string {
  const sent = `${String(apiVersion)}`;
  const version = sent.includes('/') ? sent.slice(sent.indexOf('/') + 1) : sent;
  const head = `${String(kind)} in version ${JSON.stringify(version)} cannot be handled as a ${expected.kind}`;
  if (!findKindByKind(sent, String(kind)))
    return `${head}: no kind ${JSON.stringify(String(kind))} is registered for version ${JSON.stringify(sent)} in scheme "pkg/api/legacyscheme/scheme.go:30"`;
  // kube's internal packages are named after the group's first label (core for the core group).
  const internal = expected.group === '' ? 'core' : expected.group.split('.')[0];
  return `${head}: converting (${version}.${String(kind)}) to (${internal}.${expected.kind}): unknown conversion`;
}
