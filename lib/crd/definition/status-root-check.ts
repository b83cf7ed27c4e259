import type { FieldCause } from '../../kinds/errors';
import type { JSONSchemaProps } from '../schema/json-schema-props';
import { invalid } from './causes';
import { goSchemaValue } from './go-schema-value';

/**
 * kube's restriction on the root of a schema when the status subresource is enabled: status is
 * validated with `properties.status` alone, so the root may only hold keywords that lose nothing
 * when it is cut out. kube walks the internal JSONSchemaProps' Go fields in declaration order,
 * skips zero values, and stops at the first offence.
 */
const GO_FIELDS: [keyof JSONSchemaProps, string, 'string' | 'bool' | 'pointer'][] = [
  ['id', 'ID', 'string'],
  ['$schema', 'Schema', 'string'],
  ['$ref', 'Ref', 'pointer'],
  ['description', 'Description', 'string'],
  ['type', 'Type', 'string'],
  ['nullable', 'Nullable', 'bool'],
  ['format', 'Format', 'string'],
  ['title', 'Title', 'string'],
  ['default', 'Default', 'pointer'],
  ['maximum', 'Maximum', 'pointer'],
  ['exclusiveMaximum', 'ExclusiveMaximum', 'bool'],
  ['minimum', 'Minimum', 'pointer'],
  ['exclusiveMinimum', 'ExclusiveMinimum', 'bool'],
  ['maxLength', 'MaxLength', 'pointer'],
  ['minLength', 'MinLength', 'pointer'],
  ['pattern', 'Pattern', 'string'],
  ['maxItems', 'MaxItems', 'pointer'],
  ['minItems', 'MinItems', 'pointer'],
  ['uniqueItems', 'UniqueItems', 'bool'],
  ['multipleOf', 'MultipleOf', 'pointer'],
  ['enum', 'Enum', 'pointer'],
  ['maxProperties', 'MaxProperties', 'pointer'],
  ['minProperties', 'MinProperties', 'pointer'],
  ['required', 'Required', 'pointer'],
  ['items', 'Items', 'pointer'],
  ['allOf', 'AllOf', 'pointer'],
  ['oneOf', 'OneOf', 'pointer'],
  ['anyOf', 'AnyOf', 'pointer'],
  ['not', 'Not', 'pointer'],
  ['properties', 'Properties', 'pointer'],
  ['additionalProperties', 'AdditionalProperties', 'pointer'],
  ['patternProperties', 'PatternProperties', 'pointer'],
  ['dependencies', 'Dependencies', 'pointer'],
  ['additionalItems', 'AdditionalItems', 'pointer'],
  ['definitions', 'Definitions', 'pointer'],
  ['externalDocs', 'ExternalDocs', 'pointer'],
  ['example', 'Example', 'pointer'],
  ['x-kubernetes-preserve-unknown-fields', 'XPreserveUnknownFields', 'pointer'],
  ['x-kubernetes-embedded-resource', 'XEmbeddedResource', 'bool'],
  ['x-kubernetes-int-or-string', 'XIntOrString', 'bool'],
  ['x-kubernetes-list-map-keys', 'XListMapKeys', 'pointer'],
  ['x-kubernetes-list-type', 'XListType', 'pointer'],
  ['x-kubernetes-map-type', 'XMapType', 'pointer'],
  ['x-kubernetes-validations', 'XValidations', 'pointer'],
];

const ALLOWED_AT_ROOT = [
  'Description',
  'Type',
  'Format',
  'Title',
  'Maximum',
  'ExclusiveMaximum',
  'Minimum',
  'ExclusiveMinimum',
  'MaxLength',
  'MinLength',
  'Pattern',
  'MaxItems',
  'MinItems',
  'UniqueItems',
  'MultipleOf',
  'Required',
  'Items',
  'Properties',
  'ExternalDocs',
  'Example',
  'XPreserveUnknownFields',
  'XValidations',
];

/** `path` is the schema's own path (`spec.validation.openAPIV3Schema`). */
export function statusRootCauses(schema: JSONSchemaProps, path: string): FieldCause[] {
  for (const [key, goName, kind] of GO_FIELDS) {
    const value = schema[key];
    const isZero =
      value === undefined || (kind === 'string' && value === '') || (kind === 'bool' && value === false);
    if (isZero) continue;
    if (goName === 'Type') {
      if (schema.type !== 'object')
        return [
          invalid(
            `${path}.type`,
            schema.type,
            'only "object" is allowed as the type at the root of the schema if the status subresource is enabled',
          ),
        ];
      continue;
    }
    if (!ALLOWED_AT_ROOT.includes(goName))
      return [
        invalid(
          path,
          goSchemaValue(schema),
          `only [${ALLOWED_AT_ROOT.join(' ')}] fields are allowed at the root of the schema if the status subresource is enabled`,
        ),
      ];
  }
  return [];
}
