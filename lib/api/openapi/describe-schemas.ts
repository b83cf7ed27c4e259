import type { FieldDescription, TypeDescriptions } from './descriptions/type-description';

type Schema = Record<string, unknown>;

/** Where a described field was found, for checks that every description is used. */
export type DescriptionUse = (typeName: string, field?: string) => void;

/**
 * Sets `description` on a kind's root schema, on every property the descriptions know and on
 * each described object that has none yet (list items, $ref targets), in place, walking from the root type (`Deployment`) through the fields' types (`DeploymentSpec`,
 * `PodTemplateSpec`, ...). The walk goes through `$ref`s into `components`, list items, map values
 * and `anyOf`/`oneOf`/`allOf` branches, so it does not depend on how zod lays out the schema. A
 * property that is a bare `$ref` becomes `allOf: [$ref]` with the description beside it, as in
 * kube-apiserver's documents, because OpenAPI 3.0 ignores a `$ref`'s siblings.
 * @example describeSchemas(schemas, 'io.k8s.api.apps.v1.Deployment', 'Deployment', TYPE_DESCRIPTIONS)
 */
export function describeSchemas(
  components: Record<string, Schema>,
  rootName: string,
  rootType: string,
  types: TypeDescriptions,
  onUse: DescriptionUse = () => {},
): void {
  const root = components[rootName];
  const type = types[rootType];
  if (!root || !type) return;
  root.description = type.description;
  onUse(rootType);
  const seen = new Set<Schema>();
  const resolve = (schema: Schema): Schema | undefined => {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return schema;
    return components[ref.replace(/^#\/components\/schemas\//, '')];
  };

  const describeObject = (schema: Schema, typeName: string): void => {
    const described = types[typeName];
    if (!described || seen.has(schema)) return;
    seen.add(schema);
    onUse(typeName);
    // A list's items or a $ref'd component: the field's own description is on the list or the
    // property, so the object itself says what its type is, as kube's definitions do.
    schema.description ??= described.description;
    const properties = schema.properties as Record<string, Schema> | undefined;
    for (const [field, property] of Object.entries(properties ?? {})) {
      const entry: FieldDescription | undefined = described.fields[field];
      if (entry === undefined) continue;
      onUse(typeName, field);
      const text = typeof entry === 'string' ? entry : entry.description;
      if (typeof property.$ref === 'string') {
        properties![field] = { allOf: [{ $ref: property.$ref }], description: text };
      } else property.description = text;
      if (typeof entry !== 'string')
        forEachObject(property, resolve, (object) => describeObject(object, entry.type));
    }
  };

  forEachObject(root, resolve, (object) => describeObject(object, rootType));
}

/**
 * Calls `visit` with each object schema a value may hold: the schema itself, the targets of its
 * `$ref`s, its `anyOf`/`oneOf`/`allOf` branches, its list items and its map values.
 */
function forEachObject(
  schema: Schema,
  resolve: (schema: Schema) => Schema | undefined,
  visit: (object: Schema) => void,
  depth = 0,
): void {
  const target = resolve(schema);
  if (!target || depth > 8) return;
  if (target.properties) visit(target);
  for (const key of ['anyOf', 'oneOf', 'allOf'])
    for (const branch of (target[key] as Schema[] | undefined) ?? [])
      forEachObject(branch, resolve, visit, depth + 1);
  if (typeof target.items === 'object' && target.items !== null)
    forEachObject(target.items as Schema, resolve, visit, depth + 1);
  if (typeof target.additionalProperties === 'object' && target.additionalProperties !== null)
    forEachObject(target.additionalProperties as Schema, resolve, visit, depth + 1);
}
