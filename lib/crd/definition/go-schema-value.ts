import { GoValue } from '../../kinds/field-error';
import { goSyntax } from '../schema/go-value';
import type { JSONSchemaProps } from '../schema/json-schema-props';

/**
 * A schema as kube prints it as a bad value: Go's %#v of the internal apiextensions.JSONSchemaProps,
 * every field in declaration order. A set pointer field (items, default, minimum,
 * x-kubernetes-preserve-unknown-fields...) prints as an address in Go, which cannot be reproduced;
 * Skiff prints a fixed one (0xc000000000), so a schema without them reads exactly as kube's.
 */
const ADDRESS = '0xc000000000';
const PKG = 'apiextensions';

type Printer = (value: unknown) => string;

const str: Printer = (v) => JSON.stringify(typeof v === 'string' ? v : '');
const bool: Printer = (v) => String(v === true);
const pointer =
  (type: string): Printer =>
  (v) =>
    `(*${type})(${v === undefined ? 'nil' : ADDRESS})`;
const strings: Printer = (v) =>
  Array.isArray(v) ? `[]string{${v.map((s) => JSON.stringify(s)).join(', ')}}` : '[]string(nil)';
const schemas: Printer = (v) =>
  Array.isArray(v)
    ? `[]${PKG}.JSONSchemaProps{${(v as JSONSchemaProps[]).map(goSchema).join(', ')}}`
    : `[]${PKG}.JSONSchemaProps(nil)`;
const schemaMap =
  (type: string): Printer =>
  (v) => {
    if (typeof v !== 'object' || v === null) return `${type}(nil)`;
    const entries = Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goSchema((v as Record<string, JSONSchemaProps>)[k])}`);
    return `${type}{${entries.join(', ')}}`;
  };

function dependencies(v: unknown): string {
  const type = `${PKG}.JSONSchemaDependencies`;
  if (typeof v !== 'object' || v === null) return `${type}(nil)`;
  const entries = Object.keys(v)
    .sort()
    .map((k) => {
      const dep = (v as Record<string, JSONSchemaProps | string[]>)[k];
      const schema = pointer(`${PKG}.JSONSchemaProps`)(Array.isArray(dep) ? undefined : dep);
      return `${JSON.stringify(k)}:${PKG}.JSONSchemaPropsOrStringArray{Schema:${schema}, Property:${strings(Array.isArray(dep) ? dep : undefined)}}`;
    });
  return `${type}{${entries.join(', ')}}`;
}

function validationRules(v: unknown): string {
  if (!Array.isArray(v)) return `${PKG}.ValidationRules(nil)`;
  const rules = (v as NonNullable<JSONSchemaProps['x-kubernetes-validations']>).map(
    (r) =>
      `${PKG}.ValidationRule{Rule:${str(r.rule)}, Message:${str(r.message)}, MessageExpression:${str(r.messageExpression)}, ` +
      `Reason:${pointer(`${PKG}.FieldValueErrorReason`)(r.reason)}, FieldPath:${str(r.fieldPath)}, ` +
      `OptionalOldSelf:${pointer('bool')(r.optionalOldSelf)}}`,
  );
  return `${PKG}.ValidationRules{${rules.join(', ')}}`;
}

const FIELDS: [string, keyof JSONSchemaProps, Printer][] = [
  ['ID', 'id', str],
  ['Schema', '$schema', str],
  ['Ref', '$ref', pointer('string')],
  ['Description', 'description', str],
  ['Type', 'type', str],
  ['Nullable', 'nullable', bool],
  ['Format', 'format', str],
  ['Title', 'title', str],
  ['Default', 'default', pointer(`${PKG}.JSON`)],
  ['Maximum', 'maximum', pointer('float64')],
  ['ExclusiveMaximum', 'exclusiveMaximum', bool],
  ['Minimum', 'minimum', pointer('float64')],
  ['ExclusiveMinimum', 'exclusiveMinimum', bool],
  ['MaxLength', 'maxLength', pointer('int64')],
  ['MinLength', 'minLength', pointer('int64')],
  ['Pattern', 'pattern', str],
  ['MaxItems', 'maxItems', pointer('int64')],
  ['MinItems', 'minItems', pointer('int64')],
  ['UniqueItems', 'uniqueItems', bool],
  ['MultipleOf', 'multipleOf', pointer('float64')],
  [
    'Enum',
    'enum',
    (v) => (Array.isArray(v) ? `[]${PKG}.JSON{${v.map(goSyntax).join(', ')}}` : `[]${PKG}.JSON(nil)`),
  ],
  ['MaxProperties', 'maxProperties', pointer('int64')],
  ['MinProperties', 'minProperties', pointer('int64')],
  ['Required', 'required', strings],
  ['Items', 'items', pointer(`${PKG}.JSONSchemaPropsOrArray`)],
  ['AllOf', 'allOf', schemas],
  ['OneOf', 'oneOf', schemas],
  ['AnyOf', 'anyOf', schemas],
  ['Not', 'not', pointer(`${PKG}.JSONSchemaProps`)],
  ['Properties', 'properties', schemaMap(`map[string]${PKG}.JSONSchemaProps`)],
  ['AdditionalProperties', 'additionalProperties', pointer(`${PKG}.JSONSchemaPropsOrBool`)],
  ['PatternProperties', 'patternProperties', schemaMap(`map[string]${PKG}.JSONSchemaProps`)],
  ['Dependencies', 'dependencies', dependencies],
  ['AdditionalItems', 'additionalItems', pointer(`${PKG}.JSONSchemaPropsOrBool`)],
  ['Definitions', 'definitions', schemaMap(`${PKG}.JSONSchemaDefinitions`)],
  ['ExternalDocs', 'externalDocs', pointer(`${PKG}.ExternalDocumentation`)],
  ['Example', 'example', pointer(`${PKG}.JSON`)],
  ['XPreserveUnknownFields', 'x-kubernetes-preserve-unknown-fields', pointer('bool')],
  ['XEmbeddedResource', 'x-kubernetes-embedded-resource', bool],
  ['XIntOrString', 'x-kubernetes-int-or-string', bool],
  ['XListMapKeys', 'x-kubernetes-list-map-keys', strings],
  ['XListType', 'x-kubernetes-list-type', pointer('string')],
  ['XMapType', 'x-kubernetes-map-type', pointer('string')],
  ['XValidations', 'x-kubernetes-validations', validationRules],
];

function goSchema(schema: JSONSchemaProps): string {
  const fields = FIELDS.map(([name, key, print]) => `${name}:${print(schema[key])}`);
  return `${PKG}.JSONSchemaProps{${fields.join(', ')}}`;
}

/** The bad value of kube's errors that name a whole schema. */
export function goSchemaValue(schema: JSONSchemaProps): GoValue {
  return new GoValue(goSchema(schema));
}
