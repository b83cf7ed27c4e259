import type { FieldCause } from '../../kinds/errors';
import { GoValue, forbidden, invalidValue, requiredValue, unsupportedValue } from '../../kinds/field-error';
import { additionalSchemaOf, itemSchemaOf, type JSONSchemaProps } from './json-schema-props';

/**
 * The per-keyword rules of a CRD's OpenAPI schema, from apiextensions-apiserver's
 * ValidateCustomResourceDefinitionOpenAPISchema and specStandardValidatorV3.validate
 * (pkg/apis/apiextensions/validation/validation.go), with the options a new v1 CRD gets:
 * known types only, no id/$ref/definitions/dependencies/patternProperties/additionalItems, no
 * uniqueItems, properties and additionalProperties exclusive, the list/map-type extension rules,
 * and no defaults under the root's apiVersion, kind and metadata.
 */
export function openAPISchemaCauses(schema: JSONSchemaProps, path: string): FieldCause[] {
  return walk(schema, path, { isRoot: true, insideResourceMeta: false });
}

interface Scope {
  isRoot: boolean;
  insideResourceMeta: boolean;
  /** Why a default is not allowed here, when it is not. */
  forbiddenDefaults?: string;
}

const OPENAPI_V3_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

const cause = (reason: FieldCause['reason'], field: string, message: string): FieldCause => ({
  reason,
  field,
  message,
});
const forbid = (field: string, detail: string) => cause('FieldValueForbidden', field, forbidden(detail));
const required = (field: string, detail: string) => cause('FieldValueRequired', field, requiredValue(detail));
const invalid = (field: string, value: unknown, detail: string) =>
  cause('FieldValueInvalid', field, invalidValue(value, detail));

function walk(s: JSONSchemaProps | undefined, path: string, scope: Scope): FieldCause[] {
  if (!s) return [];
  const causes = keywordCauses(s, path, scope);
  const child: Scope = { isRoot: false, insideResourceMeta: scope.insideResourceMeta };
  if (s.additionalProperties !== undefined) {
    const hasProperties = Object.keys(s.properties ?? {}).length > 0;
    if (hasProperties && (s.additionalProperties === false || typeof s.additionalProperties === 'object'))
      causes.push(
        forbid(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'),
      );
    const sub: Scope = scope.insideResourceMeta
      ? { ...child, forbiddenDefaults: 'inside additionalProperties applying to object metadata' }
      : { ...child, forbiddenDefaults: scope.forbiddenDefaults };
    causes.push(...walk(additionalSchemaOf(s), `${path}.additionalProperties`, sub));
  }
  for (const [name, property] of Object.entries(s.properties ?? {})) {
    let sub: Scope = { ...child, forbiddenDefaults: scope.forbiddenDefaults };
    if ((scope.isRoot || s['x-kubernetes-embedded-resource']) && META_FIELDS.has(name)) {
      sub = { ...sub, insideResourceMeta: true };
      if (scope.isRoot) sub.forbiddenDefaults = `in top-level ${name}`;
    }
    causes.push(...walk(property, `${path}.properties[${name}]`, sub));
  }
  const same: Scope = { ...child, forbiddenDefaults: scope.forbiddenDefaults };
  causes.push(...walk(s.not, `${path}.not`, same));
  s.allOf?.forEach((b, i) => causes.push(...walk(b, `${path}.allOf[${i}]`, same)));
  s.oneOf?.forEach((b, i) => causes.push(...walk(b, `${path}.oneOf[${i}]`, same)));
  s.anyOf?.forEach((b, i) => causes.push(...walk(b, `${path}.anyOf[${i}]`, same)));
  if (Array.isArray(s.items)) s.items.forEach((b, i) => causes.push(...walk(b, `${path}.items[${i}]`, same)));
  else causes.push(...walk(s.items, `${path}.items`, same));
  causes.push(...extensionCauses(s, path));
  return causes;
}

/** specStandardValidatorV3.validate, uniqueItems, and the root's nullable. */
function keywordCauses(s: JSONSchemaProps, path: string, scope: Scope): FieldCause[] {
  const causes: FieldCause[] = [];
  if (scope.isRoot && s.nullable)
    causes.push(forbid(`${path}.nullable`, 'nullable cannot be true at the root'));
  if (s.type && !OPENAPI_V3_TYPES.includes(s.type))
    causes.push(cause('FieldValueNotSupported', `${path}.type`, unsupportedValue(s.type, OPENAPI_V3_TYPES)));
  if (s.default !== undefined && s.default !== null && scope.forbiddenDefaults)
    causes.push(forbid(`${path}.default`, `must not be set ${scope.forbiddenDefaults}`));
  if (s.id) causes.push(forbid(`${path}.id`, 'id is not supported'));
  if (s.additionalItems !== undefined)
    causes.push(forbid(`${path}.additionalItems`, 'additionalItems is not supported'));
  if (Object.keys(s.patternProperties ?? {}).length > 0)
    causes.push(forbid(`${path}.patternProperties`, 'patternProperties is not supported'));
  if (Object.keys(s.definitions ?? {}).length > 0)
    causes.push(forbid(`${path}.definitions`, 'definitions is not supported'));
  if (s.dependencies !== undefined)
    causes.push(forbid(`${path}.dependencies`, 'dependencies is not supported'));
  if (s.$ref !== undefined) causes.push(forbid(`${path}.$ref`, '$ref is not supported'));
  if (s.type === 'null')
    causes.push(forbid(`${path}.type`, 'type cannot be set to null, use nullable as an alternative'));
  if (Array.isArray(s.items) && s.items.length > 0)
    causes.push(forbid(`${path}.items`, 'items must be a schema object and not an array'));
  if (scope.insideResourceMeta && s['x-kubernetes-embedded-resource'])
    causes.push(forbid(`${path}.x-kubernetes-embedded-resource`, 'must not be used inside of resource meta'));
  if (s.uniqueItems)
    causes.push(
      forbid(
        `${path}.uniqueItems`,
        'uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
      ),
    );
  return causes;
}

/** The x-kubernetes-* extension rules, including the list-map key rules of new CRDs. */
function extensionCauses(s: JSONSchemaProps, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  if (s['x-kubernetes-preserve-unknown-fields'] === false)
    causes.push(invalid(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'));
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined && s.type !== 'object') {
    if (!s.type)
      causes.push(required(`${path}.type`, 'must be object if x-kubernetes-map-type is specified'));
    else causes.push(invalid(`${path}.type`, s.type, 'must be object if x-kubernetes-map-type is specified'));
  }
  if (mapType !== undefined && mapType !== 'atomic' && mapType !== 'granular')
    causes.push(
      cause(
        'FieldValueNotSupported',
        `${path}.x-kubernetes-map-type`,
        unsupportedValue(mapType, ['atomic', 'granular']),
      ),
    );
  const listType = s['x-kubernetes-list-type'];
  const items = itemSchemaOf(s);
  if (listType !== undefined && s.type !== 'array') {
    if (!s.type)
      causes.push(required(`${path}.type`, 'must be array if x-kubernetes-list-type is specified'));
    else causes.push(invalid(`${path}.type`, s.type, 'must be array if x-kubernetes-list-type is specified'));
  } else if (listType === 'set' && items) {
    if (
      items.type === 'array' &&
      items['x-kubernetes-list-type'] !== undefined &&
      items['x-kubernetes-list-type'] !== 'atomic'
    )
      causes.push(
        invalid(
          `${path}.items.x-kubernetes-list-type`,
          items['x-kubernetes-list-type'],
          'must be atomic as item of a list with x-kubernetes-list-type=set',
        ),
      );
    if (items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic')
      causes.push(
        invalid(
          `${path}.items.x-kubernetes-map-type`,
          items['x-kubernetes-list-type'] ?? null,
          'must be atomic as item of a list with x-kubernetes-list-type=set',
        ),
      );
  }
  if (listType !== undefined && !['atomic', 'set', 'map'].includes(listType))
    causes.push(
      cause(
        'FieldValueNotSupported',
        `${path}.x-kubernetes-list-type`,
        unsupportedValue(listType, ['atomic', 'set', 'map']),
      ),
    );
  const mapKeys = s['x-kubernetes-list-map-keys'] ?? [];
  if (mapKeys.length > 0) {
    if (listType === undefined)
      causes.push(
        required(`${path}.x-kubernetes-list-type`, 'must be map if x-kubernetes-list-map-keys is non-empty'),
      );
    else if (listType !== 'map')
      causes.push(
        invalid(
          `${path}.x-kubernetes-list-type`,
          listType,
          'must be map if x-kubernetes-list-map-keys is non-empty',
        ),
      );
  }
  if (listType === 'map') {
    if (mapKeys.length === 0)
      causes.push(
        required(`${path}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'),
      );
    if (s.items === undefined)
      causes.push(required(`${path}.items`, 'must have a schema if x-kubernetes-list-type is map'));
    if (items && items.type !== 'object')
      causes.push(
        invalid(
          `${path}.items.type`,
          items.type ?? '',
          "must be object if parent array's x-kubernetes-list-type is map",
        ),
      );
    if (items?.type === 'object') {
      for (const k of mapKeys) {
        const keyType = items.properties?.[k]?.type;
        if (keyType === 'array' || keyType === 'object')
          causes.push(
            invalid(
              `${path}.items.properties[${k}].type`,
              items.type,
              "must be a scalar type if parent array's x-kubernetes-list-type is map",
            ),
          );
      }
      if (new Set(mapKeys).size !== mapKeys.length)
        causes.push(
          invalid(
            `${path}.x-kubernetes-list-map-keys`,
            new GoValue(goStringSlice(mapKeys)),
            'must not contain duplicate entries',
          ),
        );
    }
  }
  if ((listType === 'set' || listType === 'map') && items) {
    if (items.nullable)
      causes.push(
        forbid(`${path}.items.nullable`, `cannot be nullable when x-kubernetes-list-type is ${listType}`),
      );
    if (listType === 'map')
      for (const k of mapKeys) {
        const property = items.properties?.[k];
        if (!property) continue;
        if (!items.required?.includes(k) && (property.default === undefined || property.default === null))
          causes.push(
            required(
              `${path}.items.properties[${k}].default`,
              'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property',
            ),
          );
        if (property.nullable)
          causes.push(
            forbid(
              `${path}.items.properties[${k}].nullable`,
              'this property is in x-kubernetes-list-map-keys, so it cannot be nullable',
            ),
          );
      }
  }
  s['x-kubernetes-validations']?.forEach((rule, i) => {
    const at = `${path}.x-kubernetes-validations[${i}]`;
    const trimmedRule = (rule.rule ?? '').trim();
    const message = rule.message ?? '';
    const trimmedMessage = message.trim();
    if (trimmedRule === '') causes.push(required(`${at}.rule`, 'rule is not specified'));
    else if (message.length > 0 && trimmedMessage === '')
      causes.push(invalid(`${at}.message`, message, 'must be non-empty if specified'));
    else if (/[\n\r]/.test(trimmedMessage))
      causes.push(invalid(`${at}.message`, message, 'must not contain line breaks'));
    else if (/[\n\r]/.test(trimmedRule) && trimmedMessage === '')
      causes.push(required(`${at}.message`, 'message must be specified if rule contains line breaks'));
    const expression = rule.messageExpression ?? '';
    if (expression.length > 0 && expression.trim() === '')
      causes.push(required(`${at}.messageExpression`, 'messageExpression must be non-empty if specified'));
  });
  return causes;
}

/** A []string as field.Error prints it in 1.32 (Go's %#v): []string{"a", "b"}. */
function goStringSlice(values: string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}
