import { additionalSchemaOf, isJsonObject, itemSchemaOf, type JSONSchemaProps } from './json-schema-props';

/**
 * Structural defaulting, as apiextensions-apiserver does it (pkg/apiserver/schema/defaulting/
 * algorithm.go), in place: a property's `default` is set where the property is absent, or null
 * while the property is not nullable; map values and list items that are null on a non-nullable
 * schema get that schema's default; then it recurses into properties, map values and items.
 * Defaults are deep-copied, so objects never share them.
 *
 * Kube's order on a write is prune unknown fields, pruneNullsWithoutDefaults, applyDefaults,
 * then validate: see prepareCustomResource.
 */
export function applyDefaults(x: unknown, schema: JSONSchemaProps | undefined): void {
  if (!schema) return;
  if (isJsonObject(x)) {
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      if (property.default === undefined || property.default === null) continue;
      if (!Object.hasOwn(x, key) || isNonNullableNull(x[key], property))
        x[key] = structuredClone(property.default);
    }
    const additional = additionalSchemaOf(schema);
    for (const key of Object.keys(x)) {
      if (schema.properties && Object.hasOwn(schema.properties, key))
        applyDefaults(x[key], schema.properties[key]);
      else if (additional) {
        if (isNonNullableNull(x[key], additional)) x[key] = cloneDefault(additional);
        applyDefaults(x[key], additional);
      }
    }
  } else if (Array.isArray(x)) {
    const items = itemSchemaOf(schema);
    for (let i = 0; i < x.length; i++) {
      if (isNonNullableNull(x[i], items)) x[i] = cloneDefault(items);
      applyDefaults(x[i], items);
    }
  }
}

function cloneDefault(schema: JSONSchemaProps | undefined): unknown {
  return schema?.default === undefined ? null : structuredClone(schema.default);
}

function isNonNullableNull(x: unknown, schema: JSONSchemaProps | undefined): boolean {
  return x === null && schema !== undefined && !schema.nullable;
}

/**
 * Drops null fields whose schema is neither nullable nor defaulted (defaulting/prunenulls.go),
 * in place: kube does this right after pruning, so `spec: { replicas: null }` reads as absent.
 * Null list items are left for validation, as in kube.
 */
export function pruneNullsWithoutDefaults(x: unknown, schema: JSONSchemaProps | undefined): void {
  if (isJsonObject(x)) {
    for (const key of Object.keys(x)) {
      const child = schemaForField(key, schema);
      if (
        x[key] === null &&
        child &&
        !child.nullable &&
        (child.default === undefined || child.default === null)
      )
        delete x[key];
      else pruneNullsWithoutDefaults(x[key], child);
    }
  } else if (Array.isArray(x)) {
    const items = itemSchemaOf(schema);
    for (const item of x) pruneNullsWithoutDefaults(item, items);
  }
}

function schemaForField(key: string, schema: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  if (!schema) return undefined;
  if (schema.properties && Object.hasOwn(schema.properties, key)) return schema.properties[key];
  return additionalSchemaOf(schema);
}
