import type { FieldCause } from '../../kinds/errors';
import type {
  CustomResourceColumnDefinition,
  CustomResourceSubresources,
  SelectableField,
} from '../../kinds/custom-resource-definition';
import { additionalSchemaOf, type JSONSchemaProps } from '../schema/json-schema-props';
import { validateCRDSchema } from '../schema/schema-check';
import { duplicate, invalid, required, tooManyItems } from './causes';
import { statusRootCauses } from './status-root-check';

/**
 * The per-version parts of kube's CRD validation (validation.go at apiextensions-apiserver
 * v0.32): a version's schema, subresources, printer columns and selectable fields, which the v1
 * to internal conversion may have moved to the top level (internal-spec.ts): `path` is where they
 * sit, `spec` or `spec.versions[i]`.
 */

/** validateCustomResourceDefinitionValidation: `path` is the `schema` (or `validation`) field. */
export function schemaCauses(
  validation: { openAPIV3Schema?: JSONSchemaProps } | undefined,
  statusEnabled: boolean,
  path: string,
): FieldCause[] {
  const schema = validation?.openAPIV3Schema;
  if (!schema) return [];
  const causes = statusEnabled ? statusRootCauses(schema, `${path}.openAPIV3Schema`) : [];
  return [...causes, ...validateCRDSchema(schema, `${path}.openAPIV3Schema`)];
}

/** validateSimpleJSONPath. */
function simpleJSONPathCauses(value: string, field: string): FieldCause[] {
  if (value === '') return [invalid(field, value, 'must not be empty')];
  if (!value.startsWith('.')) return [invalid(field, value, 'must be a simple json path starting with .')];
  return [];
}

/** ValidateCustomResourceDefinitionSubresources: the scale subresource's paths. */
export function subresourcesCauses(
  subresources: CustomResourceSubresources | undefined,
  path: string,
): FieldCause[] {
  const scale = subresources?.scale;
  if (!scale) return [];
  const causes: FieldCause[] = [];
  const replicas = (value: string, key: string, under: '.spec' | '.status') => {
    const field = `${path}.scale.${key}`;
    if (value === '') return causes.push(required(field));
    const errors = simpleJSONPathCauses(value, field);
    if (errors.length > 0) return causes.push(...errors);
    if (!value.startsWith(`${under}.`))
      causes.push(invalid(field, value, `should be a json path under ${under}`));
  };
  replicas(scale.specReplicasPath, 'specReplicasPath', '.spec');
  replicas(scale.statusReplicasPath, 'statusReplicasPath', '.status');
  const selector = scale.labelSelectorPath;
  if (selector) {
    const field = `${path}.scale.labelSelectorPath`;
    const errors = simpleJSONPathCauses(selector, field);
    if (errors.length > 0) causes.push(...errors);
    else if (!selector.startsWith('.spec.') && !selector.startsWith('.status.'))
      causes.push(invalid(field, selector, 'should be a json path under either .spec or .status'));
  }
  return causes;
}

const COLUMN_TYPES = 'boolean,date,integer,number,string';
const COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];

/**
 * ValidateCustomResourceColumnDefinition. kube names the path field after its internal Go field,
 * `JSONPath`, not the JSON `jsonPath`.
 */
export function columnCauses(column: CustomResourceColumnDefinition, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  if (column.name === '') causes.push(required(`${path}.name`));
  if (column.type === '') causes.push(required(`${path}.type`, `must be one of ${COLUMN_TYPES}`));
  else if (!COLUMN_TYPES.split(',').includes(column.type))
    causes.push(invalid(`${path}.type`, column.type, `must be one of ${COLUMN_TYPES}`));
  if (column.format && !COLUMN_FORMATS.includes(column.format))
    causes.push(invalid(`${path}.format`, column.format, `must be one of ${COLUMN_FORMATS.join(',')}`));
  if (column.jsonPath === '') causes.push(required(`${path}.JSONPath`));
  else causes.push(...simpleJSONPathCauses(column.jsonPath, `${path}.JSONPath`));
  return causes;
}

/**
 * validateDeprecationWarning: only on deprecated versions, 1 to 256 bytes, printable. Each
 * problem is its own cause on `deprecationWarning`.
 */
export function deprecationWarningCauses(
  deprecated: boolean,
  warning: string | undefined,
  path: string,
): FieldCause[] {
  const field = `${path}.deprecationWarning`;
  if (!deprecated && warning !== undefined)
    return [invalid(field, warning, 'can only be set for deprecated versions')];
  if (warning === undefined) return [];
  const errors: string[] = [];
  if (Buffer.byteLength(warning, 'utf8') > 256) errors.push('must be <= 256 characters long');
  if (warning.length === 0) errors.push('must not be an empty string');
  let index = 0;
  for (const char of warning) {
    // unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(char)) {
      errors.push(
        `must only contain printable UTF-8 characters; non-printable character found at index ${index}`,
      );
      break;
    }
    index += Buffer.byteLength(char, 'utf8');
  }
  return errors.map((detail) => invalid(field, warning, detail));
}

const MAX_SELECTABLE_FIELDS = 8;

/**
 * ValidateCustomResourceSelectableFields: each jsonPath a dotted path (no array notation) to a
 * string, boolean or integer field of the schema outside metadata, at most 8 distinct.
 * `topLevel` picks kube's message for fields without a schema.
 */
export function selectableFieldsCauses(
  fields: SelectableField[] | undefined,
  schema: JSONSchemaProps | undefined,
  path: string,
  topLevel: boolean,
): FieldCause[] {
  if (!fields || fields.length === 0) return [];
  const field = `${path}.selectableFields`;
  if (!schema)
    return [
      invalid(
        field,
        '',
        topLevel
          ? 'selectableFields may only be set when validations.schema is included'
          : 'selectableFields may only be set when version.schema.openAPIV3Schema is not included',
      ),
    ];
  const causes: FieldCause[] = [];
  const seen = new Set<string>();
  fields.forEach((selectable, i) => {
    const at = `${field}[${i}].jsonPath`;
    if (selectable.jsonPath === '') return causes.push(required(at));
    const resolved = resolveFieldPath(selectable.jsonPath, schema);
    if ('error' in resolved)
      return causes.push(invalid(at, selectable.jsonPath, `is an invalid path: ${resolved.error}`));
    if (resolved.root === 'metadata')
      causes.push(invalid(at, selectable.jsonPath, 'must not point to fields in metadata'));
    if (!['string', 'boolean', 'integer'].includes(resolved.schema?.type ?? ''))
      causes.push(
        invalid(
          at,
          selectable.jsonPath,
          'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.',
        ),
      );
    if (seen.has(resolved.path)) causes.push(duplicate(at, selectable.jsonPath));
    else seen.add(resolved.path);
  });
  if (seen.size > MAX_SELECTABLE_FIELDS) causes.push(tooManyItems(field, seen.size, MAX_SELECTABLE_FIELDS));
  return causes;
}

type Resolved = { path: string; root: string; schema: JSONSchemaProps | undefined } | { error: string };

/** cel.ValidFieldPath without array notation: `.a.b` through properties and map values. */
function resolveFieldPath(jsonPath: string, root: JSONSchemaProps): Resolved {
  const tokens = jsonPath.match(/[.[\]]|[^.[\]]+/g) ?? [];
  let schema: JSONSchemaProps | undefined = root;
  let path = '';
  let first = '';
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === '[') return { error: 'array notation is not allowed' };
    if (token !== '.') return { error: `expected [ or . but got: ${token}` };
    const name = tokens[++i];
    if (name === undefined) return { error: 'unexpected end of JSON path' };
    if (schema?.properties !== undefined) {
      if (!(name in schema.properties)) return { error: 'does not refer to a valid field' };
      schema = schema.properties[name];
      path += path === '' ? name : `.${name}`;
    } else if (schema?.additionalProperties !== undefined) {
      schema = additionalSchemaOf(schema);
      path += `[${name}]`;
    } else return { error: 'does not refer to a valid field' };
    if (first === '') first = name;
  }
  return { path, root: first, schema };
}
