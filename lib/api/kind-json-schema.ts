import * as z from 'zod';
import type { KindInfo } from '../kinds/kind-info';
import { patchMetaFromJsonSchema, type JsonSchema, type PatchMeta } from './patch/patch-meta';

/**
 * Each kind's JSON Schema, derived once from its zod schema (the single source), with the
 * x-kubernetes-* extensions the kinds annotate. Strategic merge patch reads its list merge keys
 * from here, and the OpenAPI documents are built from the same output.
 */
const schemas = new Map<KindInfo, JsonSchema>();
const patchMetas = new Map<KindInfo, PatchMeta>();

/** The kind's input JSON Schema (what clients may send), computed on first use. */
export function jsonSchemaOf(kind: KindInfo): JsonSchema {
  let schema = schemas.get(kind);
  if (!schema) {
    schema = z.toJSONSchema(kind.schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    schemas.set(kind, schema);
  }
  return schema;
}

/** The strategic-merge-patch metadata of a kind. */
export function patchMetaOf(kind: KindInfo): PatchMeta {
  let meta = patchMetas.get(kind);
  if (!meta) {
    meta = patchMetaFromJsonSchema(jsonSchemaOf(kind));
    patchMetas.set(kind, meta);
  }
  return meta;
}
