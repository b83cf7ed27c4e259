import type { KindInfo } from '../../../kinds/kind-info';
import { jsonSchemaOf } from '../../kind-json-schema';
import { isJsonObject, type JsonObject } from '../json-value';
import { applySchemaFromJsonSchema, type ApplySchema } from './apply-schema';

/** Who writes, and where: the object itself or its status. */
export interface FieldManagerScope {
  kind: KindInfo;
  /** The field manager: the `fieldManager` query, else derived from the User-Agent. */
  manager: string;
  /**
   * The subresource written, recorded in the entry: `status` owns only the status; others (`scale`)
   * write fields of the object itself.
   */
  subresource?: string;
  now?: Date;
}

/**
 * The metadata the server sets, which nobody owns (fieldmanager's stripMeta), plus the deletion
 * marks only a delete sets.
 */
export const SERVER_METADATA = [
  'name',
  'namespace',
  'creationTimestamp',
  'selfLink',
  'uid',
  'generation',
  'managedFields',
  'resourceVersion',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;

const schemas = new Map<KindInfo, ApplySchema>();

/** The apply schema of a kind, read once from its JSON Schema. */
export function applySchemaOf(kind: KindInfo): ApplySchema {
  let schema = schemas.get(kind);
  if (!schema) {
    schema = applySchemaFromJsonSchema(jsonSchemaOf(kind));
    schemas.set(kind, schema);
  }
  return schema;
}

/**
 * The part of an object a write through `scope` can own: without apiVersion, kind and the
 * server's metadata; for the object itself without the status of a kind with the status
 * subresource (the store keeps it), for the status subresource only the status.
 */
export function ownablePart(object: JsonObject | undefined, scope: FieldManagerScope): JsonObject {
  if (!object) return {};
  if (scope.subresource === 'status') return object.status === undefined ? {} : { status: object.status };
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = object;
  if (scope.kind.hasStatus) delete rest.status;
  if (isJsonObject(rest.metadata)) {
    const metadata = { ...rest.metadata };
    for (const field of SERVER_METADATA) delete metadata[field];
    if (Object.keys(metadata).length === 0) delete rest.metadata;
    else rest.metadata = metadata;
  }
  return rest;
}
