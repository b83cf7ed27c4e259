import { isKubeStringFormat, normalizeFormat } from './formats';
import type { JSONSchemaProps } from './json-schema-props';

/** The JSON Schema (draft-07) object ajv compiles. */
export type AjvSchema = Record<string, unknown>;

/**
 * Where the converted schema keeps what the kube-openapi type check needs and ajv must not see:
 * the declared `format` (kept for integer and number types, and for strings whose format kube
 * ignores) and `nullable`. Unknown keywords are ignored by ajv (strict: false).
 */
export const KUBE_FORMAT_KEY = 'x-skiff-kube-format';
export const KUBE_NULLABLE_KEY = 'x-skiff-kube-nullable';

/** The types a schema declares, as kube-openapi sees them (`integer,string` for int-or-string). */
export function declaredTypes(schema: JSONSchemaProps): string[] {
  if (schema['x-kubernetes-int-or-string']) return ['integer', 'string'];
  return schema.type ? [schema.type] : [];
}

/**
 * The format kube-openapi validates with, after apiextensions-apiserver 1.32's
 * StripUnsupportedFormatsPostProcess (pkg/apiserver/validation/formats.go): a format stays only
 * if it is one of the strfmt formats kube supports, whatever the type, so `int32`, `int64`,
 * `float` and `double` are dropped (later releases keep them for numbers).
 */
export function effectiveFormat(schema: JSONSchemaProps): string | undefined {
  const format = schema.format;
  return format && isKubeStringFormat(format) ? format : undefined;
}

/**
 * Converts a CRD's OpenAPI v3.0 schema into the draft-07 schema ajv checks, the way
 * apiextensions-apiserver converts it for kube-openapi (ConvertJSONSchemaPropsWithPostProcess):
 * boolean exclusiveMinimum/exclusiveMaximum become numeric bounds, x-kubernetes-int-or-string
 * becomes `integer|string`, `nullable` admits null, unsupported formats are dropped, and
 * defaults, descriptions and the other x-kubernetes-* extensions (which do not constrain values
 * here) are left out.
 */
export function toAjvSchema(schema: JSONSchemaProps): AjvSchema {
  const out: AjvSchema = {};
  const types = declaredTypes(schema);
  if (types.length > 0)
    out.type = schema.nullable ? [...types, 'null'] : types.length === 1 ? types[0] : types;
  if (schema.nullable) out[KUBE_NULLABLE_KEY] = true;
  const format = effectiveFormat(schema);
  if (format) {
    out[KUBE_FORMAT_KEY] = format;
    out.format = normalizeFormat(format);
  }
  copyBound(out, 'minimum', 'exclusiveMinimum', schema.minimum, schema.exclusiveMinimum);
  copyBound(out, 'maximum', 'exclusiveMaximum', schema.maximum, schema.exclusiveMaximum);
  for (const key of [
    'maxLength',
    'minLength',
    'pattern',
    'maxItems',
    'minItems',
    'uniqueItems',
    'multipleOf',
    'maxProperties',
    'minProperties',
    'required',
    'enum',
  ] as const)
    if (schema[key] !== undefined) out[key] = schema[key];
  if (schema.properties) out.properties = mapValues(schema.properties, toAjvSchema);
  if (schema.additionalProperties !== undefined)
    out.additionalProperties =
      typeof schema.additionalProperties === 'boolean'
        ? schema.additionalProperties
        : toAjvSchema(schema.additionalProperties);
  if (schema.items !== undefined)
    out.items = Array.isArray(schema.items) ? schema.items.map(toAjvSchema) : toAjvSchema(schema.items);
  const composites: AjvSchema = {};
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const branches = schema[key];
    if (branches) composites[key] = branches.map(toAjvSchema);
  }
  if (schema.not) composites.not = toAjvSchema(schema.not);
  // kube-openapi checks only the type and enum of a null (SchemaValidator.Validate), never
  // allOf/anyOf/oneOf/not: so the composites apply to everything but null.
  if (Object.keys(composites).length > 0) {
    out.if = { type: 'null' };
    out.else = composites;
  }
  return out;
}

function copyBound(
  out: AjvSchema,
  inclusive: 'minimum' | 'maximum',
  exclusive: 'exclusiveMinimum' | 'exclusiveMaximum',
  bound: number | undefined,
  isExclusive: boolean | undefined,
): void {
  if (bound === undefined) return;
  if (isExclusive) out[exclusive] = bound;
  else out[inclusive] = bound;
}

function mapValues<T, U>(record: Record<string, T>, f: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}
