import { BindingKind } from '../../kinds/binding';
import { EvictionKind } from '../../kinds/eviction';
import { ScaleKind } from '../../kinds/scale';
import type { KindInfo } from '../../kinds/kind-info';
import { definitionNameOf } from './schema-names';

type Operation = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';

const queryParam = (name: string, description: string) => ({
  name,
  in: 'query',
  description,
  schema: { type: 'string' },
});
const WRITE_PARAMS = [
  queryParam('dryRun', 'When present (All), the request is validated but not persisted.'),
  queryParam('fieldManager', 'Accepted for compatibility; Skiff does not track managed fields.'),
  queryParam('fieldValidation', 'Ignore, Warn (default) or Strict: what to do with unknown fields.'),
];
const LIST_PARAMS = [
  queryParam('labelSelector', 'Restricts the list by labels.'),
  queryParam(
    'fieldSelector',
    'Restricts the list by fields (metadata.name, metadata.namespace and per-kind fields).',
  ),
  {
    name: 'limit',
    in: 'query',
    schema: { type: 'integer' },
    description: 'Maximum number of items per page.',
  },
  queryParam('continue', 'The token from the previous page.'),
];
const intParam = (name: string, description: string) => ({
  name,
  in: 'query',
  description,
  schema: { type: 'integer' },
});
const boolParam = (name: string, description: string) => ({
  name,
  in: 'query',
  description,
  schema: { type: 'boolean' },
});
/** PodLogOptions, the query of `pods/log`. */
const LOG_PARAMS = [
  queryParam('container', 'The container; may be omitted when the pod has one (or names a default).'),
  boolParam('follow', 'Stream the log until the container ends.'),
  boolParam('previous', 'The log of the previous terminated run of the container.'),
  boolParam('timestamps', 'Prefix each line with its RFC 3339 timestamp.'),
  intParam('tailLines', 'Only the last N lines.'),
  intParam('limitBytes', 'Stop after this many bytes.'),
  intParam('sinceSeconds', 'Only lines written in the last N seconds.'),
  queryParam('sinceTime', 'Only lines written at or after this RFC 3339 time.'),
];
const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

/**
 * The OpenAPI paths of one kind with kube's operation extensions. kubectl looks for the PATCH
 * operation carrying the kind's x-kubernetes-group-version-kind and a `fieldValidation` parameter to
 * decide that the server validates (so it needs no client-side schema), and for the
 * strategic-merge-patch request type to compute `apply` patches from these schemas.
 */
export function pathsOf(kind: KindInfo): Record<string, Record<string, unknown>> {
  const prefix = kind.group === '' ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
  const gvk = { group: kind.group, version: kind.version, kind: kind.kind };
  const objectRef = ref(definitionNameOf(kind));
  const nameParam = { name: 'name', in: 'path', required: true, schema: { type: 'string' } };
  const namespaceParam = { name: 'namespace', in: 'path', required: true, schema: { type: 'string' } };
  const scope = kind.namespaced
    ? `${prefix}/namespaces/{namespace}/${kind.plural}`
    : `${prefix}/${kind.plural}`;
  const scopeParams = kind.namespaced ? [namespaceParam] : [];
  const op = (action: string, id: string, extra: Operation): Operation => ({
    operationId: `${id}${kind.kind}`,
    tags: [kind.group || 'core'],
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    responses: { default: { description: 'Status', content: json(ref(STATUS)) } },
    ...extra,
  });
  const ok = (code: string) => ({ [code]: { description: 'OK', content: json(objectRef) } });
  const patchBody = {
    required: true,
    content: Object.fromEntries(PATCH_TYPES.map((t) => [t, { schema: { type: 'object' } }])),
  };

  // kube's access reviews are created and answered, never stored: only POST on the collection.
  if (kind.review)
    return {
      [scope]: {
        parameters: scopeParams,
        post: op('post', 'create', {
          parameters: WRITE_PARAMS,
          requestBody: { required: true, content: json(objectRef) },
          responses: ok('201'),
        }),
      },
    };
  const paths: Record<string, Record<string, unknown>> = {
    [scope]: {
      parameters: scopeParams,
      get: op('list', 'list', { parameters: LIST_PARAMS, responses: { 200: { description: 'OK' } } }),
      post: op('post', 'create', {
        parameters: WRITE_PARAMS,
        requestBody: { required: true, content: json(objectRef) },
        responses: ok('201'),
      }),
      delete: op('deletecollection', 'deleteCollection', { parameters: LIST_PARAMS }),
    },
    [`${scope}/{name}`]: {
      parameters: [...scopeParams, nameParam],
      get: op('get', 'read', { responses: ok('200') }),
      put: op('put', 'replace', {
        parameters: WRITE_PARAMS,
        requestBody: { required: true, content: json(objectRef) },
        responses: ok('200'),
      }),
      patch: op('patch', 'patch', { parameters: WRITE_PARAMS, requestBody: patchBody, responses: ok('200') }),
      delete: op('delete', 'delete', { responses: ok('200') }),
    },
  };
  if (kind.hasStatus)
    paths[`${scope}/{name}/status`] = {
      parameters: [...scopeParams, nameParam],
      get: op('get', 'readStatus', { responses: ok('200') }),
      put: op('put', 'replaceStatus', {
        parameters: WRITE_PARAMS,
        requestBody: { required: true, content: json(objectRef) },
        responses: ok('200'),
      }),
      patch: op('patch', 'patchStatus', {
        parameters: WRITE_PARAMS,
        requestBody: patchBody,
        responses: ok('200'),
      }),
    };
  if (kind.hasBinding)
    paths[`${scope}/{name}/binding`] = {
      parameters: [...scopeParams, nameParam],
      post: {
        ...op('post', 'create', {
          parameters: WRITE_PARAMS,
          requestBody: { required: true, content: json(ref(definitionNameOf(BindingKind))) },
          responses: { 201: { description: 'Created', content: json(ref(STATUS)) } },
        }),
        operationId: `create${kind.kind}Binding`,
        'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind: 'Binding' },
      },
    };
  if (kind.hasEviction)
    paths[`${scope}/{name}/eviction`] = {
      parameters: [...scopeParams, nameParam],
      post: {
        ...op('post', 'create', {
          parameters: WRITE_PARAMS,
          requestBody: { required: true, content: json(ref(definitionNameOf(EvictionKind))) },
          responses: { 201: { description: 'Created', content: json(ref(STATUS)) } },
        }),
        operationId: `create${kind.kind}Eviction`,
        'x-kubernetes-group-version-kind': { group: 'policy', version: 'v1', kind: 'Eviction' },
      },
    };
  if (kind.hasScale) {
    const scaleRef = ref(definitionNameOf(ScaleKind));
    const scaleGvk = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
    const scaleOk = { 200: { description: 'OK', content: json(scaleRef) } };
    paths[`${scope}/{name}/scale`] = {
      parameters: [...scopeParams, nameParam],
      get: {
        ...op('get', 'read', { responses: scaleOk }),
        operationId: `readNamespaced${kind.kind}Scale`,
        'x-kubernetes-group-version-kind': scaleGvk,
      },
      put: {
        ...op('put', 'replace', {
          parameters: WRITE_PARAMS,
          requestBody: { required: true, content: json(scaleRef) },
          responses: scaleOk,
        }),
        operationId: `replaceNamespaced${kind.kind}Scale`,
        'x-kubernetes-group-version-kind': scaleGvk,
      },
      patch: {
        ...op('patch', 'patch', { parameters: WRITE_PARAMS, requestBody: patchBody, responses: scaleOk }),
        operationId: `patchNamespaced${kind.kind}Scale`,
        'x-kubernetes-group-version-kind': scaleGvk,
      },
    };
  }
  if (kind.hasLog)
    paths[`${scope}/{name}/log`] = {
      parameters: [...scopeParams, nameParam],
      get: {
        ...op('get', 'read', {
          parameters: LOG_PARAMS,
          responses: {
            200: { description: 'OK', content: { 'text/plain': { schema: { type: 'string' } } } },
            204: { description: 'No node runs the pod yet: no log' },
          },
        }),
        operationId: `readNamespaced${kind.kind}Log`,
      },
    };
  if (kind.namespaced)
    paths[`${prefix}/${kind.plural}`] = {
      get: op('list', 'listAllNamespaces', {
        parameters: LIST_PARAMS,
        responses: { 200: { description: 'OK' } },
      }),
    };
  return paths;
}

/** The Status schema every error response refers to. */
export const STATUS_SCHEMA = {
  [STATUS]: {
    type: 'object',
    description: 'Status is the return value for calls that do not return other objects.',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      status: { type: 'string' },
      message: { type: 'string' },
      reason: { type: 'string' },
      code: { type: 'integer' },
      details: { type: 'object' },
    },
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }],
  },
};
