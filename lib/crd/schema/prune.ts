import { additionalSchemaOf, isJsonObject, itemSchemaOf, type JSONSchemaProps } from './json-schema-props';

/**
 * Pruning of unknown fields, as apiextensions-apiserver does it (pkg/apiserver/schema/pruning/
 * algorithm.go): fields the structural schema does not specify are deleted, in place, except
 * below `x-kubernetes-preserve-unknown-fields: true`; `apiVersion`, `kind` and `metadata` are kept
 * at the resource root and in `x-kubernetes-embedded-resource` objects. A map value without a schema
 * of its own (`additionalProperties: true`) is kept but loses its own fields, as in kube.
 *
 * Returns the pruned paths sorted, as kube reports them (`spec.foo`, `spec.items[0].bar`): the
 * API turns them into `unknown field "spec.foo"` warnings, or a strict decoding error.
 *
 * @example
 *   const pruned = pruneUnknownFields(object, schema); // ['spec.typo']
 */
export function pruneUnknownFields(
  object: unknown,
  schema: JSONSchemaProps | undefined,
  options: { isResourceRoot?: boolean } = {},
): string[] {
  const isResourceRoot = options.isResourceRoot ?? true;
  const root: JSONSchemaProps | undefined =
    isResourceRoot && !schema?.['x-kubernetes-embedded-resource']
      ? { ...schema, 'x-kubernetes-embedded-resource': true }
      : schema;
  const pruned: string[] = [];
  prune(object, root, '', pruned);
  return pruned.sort();
}

const META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

function keyPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** The schema of a field of `schema`, or `null` when the field is unknown (no schema says it exists). */
function fieldSchema(schema: JSONSchemaProps, key: string): JSONSchemaProps | undefined | null {
  if (schema.properties && Object.hasOwn(schema.properties, key)) return schema.properties[key];
  // Any additionalProperties (even `false`, which CRD validation refuses) keeps the key.
  if (schema.additionalProperties !== undefined) return additionalSchemaOf(schema);
  return null;
}

function prune(x: unknown, schema: JSONSchemaProps | undefined, path: string, pruned: string[]): void {
  if (schema?.['x-kubernetes-preserve-unknown-fields']) return skipPrune(x, schema, path, pruned);
  if (isJsonObject(x)) {
    for (const key of Object.keys(x)) {
      if (!schema) {
        pruned.push(keyPath(path, key));
        delete x[key];
        continue;
      }
      if (schema['x-kubernetes-embedded-resource'] && META_FIELDS.has(key)) continue;
      const child = fieldSchema(schema, key);
      if (child !== null) prune(x[key], child, keyPath(path, key), pruned);
      else {
        // kube does not report apiVersion/kind/metadata at the root (they are always allowed).
        if (!META_FIELDS.has(key) || path !== '') pruned.push(keyPath(path, key));
        delete x[key];
      }
    }
  } else if (Array.isArray(x)) {
    const items = schema ? itemSchemaOf(schema) : undefined;
    x.forEach((item, i) => prune(item, items, `${path}[${i}]`, pruned));
  }
}

/** Below preserve-unknown-fields: unknown fields stay, but specified ones are pruned inside. */
function skipPrune(x: unknown, schema: JSONSchemaProps | undefined, path: string, pruned: string[]): void {
  if (!schema) return;
  if (isJsonObject(x)) {
    for (const key of Object.keys(x)) {
      if (schema['x-kubernetes-embedded-resource'] && META_FIELDS.has(key)) continue;
      const child = fieldSchema(schema, key);
      if (child !== null) prune(x[key], child, keyPath(path, key), pruned);
    }
  } else if (Array.isArray(x)) {
    const items = itemSchemaOf(schema);
    x.forEach((item, i) => skipPrune(item, items, `${path}[${i}]`, pruned));
  }
}
