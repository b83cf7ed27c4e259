import * as z from 'zod';
import { BindingKind } from '../../kinds/binding';
import { EvictionKind } from '../../kinds/eviction';
import { ScaleKind } from '../../kinds/scale';
import type { KindInfo } from '../../kinds/kind-info';
import { apiVersionOf } from '../../kinds/kind-info';
import { TYPE_DESCRIPTIONS } from './descriptions';
import { describeSchemas } from './describe-schemas';
import { definitionNameOf } from './schema-names';

type Schema = Record<string, unknown>;

/**
 * A kind's zod schema as OpenAPI 3.0 component schemas. Nested definitions that zod hoists into
 * `$defs` become components of their own, named after the kind, and references are rewritten to
 * `#/components/schemas/...`, which is where kubectl resolves them. Every field then gets its
 * description (descriptions/), which `kubectl explain` prints.
 */
export function componentSchemasOf(kind: KindInfo): Record<string, Schema> {
  const name = definitionNameOf(kind);
  const generated = z.toJSONSchema(kind.schema, {
    target: 'openapi-3.0',
    io: 'input',
    unrepresentable: 'any',
  }) as Schema;
  const { $schema: _dialect, $defs, definitions, ...root } = generated;
  const nested = {
    ...((definitions as Record<string, Schema>) ?? {}),
    ...(($defs as Record<string, Schema>) ?? {}),
  };
  const rename = (def: string) => `${name}.${def}`;
  const schemas: Record<string, Schema> = {
    [name]: {
      ...(rewriteRefs(root, rename) as Schema),
      'x-kubernetes-group-version-kind': [{ group: kind.group, kind: kind.kind, version: kind.version }],
    },
  };
  for (const [def, schema] of Object.entries(nested))
    schemas[rename(def)] = rewriteRefs(schema, rename) as Schema;
  const properties = schemas[name].properties as Schema | undefined;
  if (properties?.apiVersion)
    properties.apiVersion = { type: 'string', description: `Always ${apiVersionOf(kind)}.` };
  if (properties?.kind) properties.kind = { type: 'string', description: `Always ${kind.kind}.` };
  // TypeMeta's fields are optional in kube's types (omitempty): kubectl explain marks neither -required-.
  const required = schemas[name].required;
  if (Array.isArray(required)) {
    const fields = required.filter((field) => field !== 'apiVersion' && field !== 'kind');
    if (fields.length > 0) schemas[name].required = fields;
    else delete schemas[name].required;
  }
  describeSchemas(schemas, name, kind.kind, TYPE_DESCRIPTIONS);
  if (kind.openApiSchema) withDefinedSchema(schemas[name], kind.openApiSchema);
  return schemas;
}

/**
 * A custom kind's schema as its CRD defines it: the envelope (apiVersion, kind, described
 * metadata) with the CRD's own fields and description, as apiextensions-apiserver publishes it.
 * The envelope wins over the CRD's own `metadata: {type: object}` (Gateway API's CRDs have one),
 * as kube's builder puts ObjectMeta there: kubectl looks up `metadata.annotations` in it to patch.
 */
function withDefinedSchema(root: Schema, defined: Schema): void {
  const { properties: definedProperties, description, ...rest } = defined;
  const envelope = (root.properties as Schema | undefined) ?? {};
  const { apiVersion, kind, metadata } = envelope;
  Object.assign(root, rest, {
    ...(typeof description === 'string' ? { description } : {}),
    properties: {
      ...((definedProperties as Schema | undefined) ?? {}),
      apiVersion,
      kind,
      metadata,
    },
  });
  delete root.additionalProperties;
}

function rewriteRefs(value: unknown, rename: (def: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, rename));
  if (typeof value !== 'object' || value === null) return value;
  const out: Schema = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string') {
      const match = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(child);
      out[key] = match ? `#/components/schemas/${rename(match[1])}` : child;
    } else out[key] = rewriteRefs(child, rename);
  }
  return out;
}

/**
 * The schemas a kind's subresources take beyond the kind itself: v1 Binding for `pods/binding`,
 * policy/v1 Eviction for `pods/eviction`, autoscaling/v1 Scale for `deployments/scale`.
 */
export function subresourceSchemasOf(kind: KindInfo): Record<string, Schema> {
  return {
    ...(kind.hasBinding ? componentSchemasOf(BindingKind) : {}),
    ...(kind.hasEviction ? componentSchemasOf(EvictionKind) : {}),
    ...(kind.hasScale ? componentSchemasOf(ScaleKind) : {}),
  };
}
