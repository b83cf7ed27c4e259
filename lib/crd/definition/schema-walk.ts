import { additionalSchemaOf, type JSONSchemaProps } from '../schema/json-schema-props';

/**
 * kube's SchemaHas: whether `predicate` holds for the schema or any schema nested in it
 * (items, properties, additionalProperties, the composites, definitions, dependencies...).
 */
export function schemaHas(
  schema: JSONSchemaProps | undefined,
  predicate: (s: JSONSchemaProps) => boolean,
): boolean {
  if (!schema) return false;
  if (predicate(schema)) return true;
  const nested: (JSONSchemaProps | undefined)[] = [
    ...(Array.isArray(schema.items) ? schema.items : [schema.items]),
    ...(schema.allOf ?? []),
    ...(schema.oneOf ?? []),
    ...(schema.anyOf ?? []),
    schema.not,
    ...Object.values(schema.properties ?? {}),
    additionalSchemaOf(schema),
    ...Object.values(schema.patternProperties ?? {}),
    typeof schema.additionalItems === 'object' ? schema.additionalItems : undefined,
    ...Object.values(schema.definitions ?? {}),
    ...Object.values(schema.dependencies ?? {}).map((d) => (Array.isArray(d) ? undefined : d)),
  ];
  return nested.some((s) => schemaHas(s, predicate));
}

/** Whether any schema in the tree sets a default (kube's schemaHasDefaults). */
export function schemaHasDefaults(schema: JSONSchemaProps): boolean {
  return schemaHas(schema, (s) => s.default !== undefined);
}
