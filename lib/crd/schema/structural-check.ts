import type { FieldCause } from '../../kinds/errors';
import { forbidden, invalidValue, requiredValue } from '../../kinds/field-error';
import { additionalSchemaOf, itemSchemaOf, type JSONSchemaProps } from './json-schema-props';

/**
 * The structural-schema rules kube-apiserver applies to a CRD version's schema
 * (k8s.io/apiextensions-apiserver pkg/apiserver/schema/validation.go, ValidateStructural with
 * its default options, and complete.go): every specified field has a type, `metadata` at the
 * root names at most name/generateName, embedded resources are objects with properties, and the
 * value validations under allOf/anyOf/oneOf/not add no types, defaults, descriptions,
 * extensions or fields of their own. Causes come sorted by their full text, as kube sorts them.
 */
export function structuralCauses(schema: JSONSchemaProps, path: string): FieldCause[] {
  const causes = [...invariants(schema, 'root', path), ...completeness(schema, path)];
  return causes.sort((a, b) => compare(causeText(a), causeText(b)));
}

type Level = 'root' | 'item' | 'field';

function required(field: string, detail: string): FieldCause {
  return { reason: 'FieldValueRequired', field, message: requiredValue(detail) };
}
function forbid(field: string, detail: string): FieldCause {
  return { reason: 'FieldValueForbidden', field, message: forbidden(detail) };
}
function invalid(field: string, value: unknown, detail: string): FieldCause {
  return { reason: 'FieldValueInvalid', field, message: invalidValue(value, detail) };
}

/** field.Path.Key: `properties[spec]`. */
const key = (path: string, name: string, k: string): string => `${path}.${name}[${k}]`;

function causeText(cause: FieldCause): string {
  return `${cause.field}: ${cause.message}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function invariants(s: JSONSchemaProps | undefined, level: Level, path: string): FieldCause[] {
  if (!s) return [];
  const causes: FieldCause[] = [];
  const items = itemSchemaOf(s);
  if (s.type === 'array' && !items) causes.push(required(`${path}.items`, 'must be specified'));
  causes.push(...invariants(items, 'item', `${path}.items`));
  for (const [name, property] of Object.entries(s.properties ?? {}))
    causes.push(...invariants(property, 'field', key(path, 'properties', name)));
  if (s.additionalProperties !== undefined) {
    if (level === 'root') causes.push(forbid(`${path}.additionalProperties`, 'must not be used at the root'));
    causes.push(...invariants(additionalSchemaOf(s), 'field', `${path}.additionalProperties`));
  }
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (intOrString && preserve)
    causes.push(
      invalid(
        `${path}.x-kubernetes-preserve-unknown-fields`,
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  if (intOrString && embedded)
    causes.push(
      invalid(
        `${path}.x-kubernetes-embedded-resource`,
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  causes.push(
    ...valueValidation(s, isIntOrStringAnyOf(s.anyOf), isIntOrStringAnyOf(s.allOf?.[0]?.anyOf), level, path),
  );

  if (embedded && s.type !== 'object') {
    if (!s.type)
      causes.push(required(`${path}.type`, 'must be object if x-kubernetes-embedded-resource is true'));
    else
      causes.push(
        invalid(`${path}.type`, s.type, 'must be object if x-kubernetes-embedded-resource is true'),
      );
  } else if (!s.type && !intOrString && !preserve) {
    const detail = {
      root: 'must not be empty at the root',
      item: 'must not be empty for specified array items',
      field: 'must not be empty for specified object fields',
    }[level];
    causes.push(required(`${path}.type`, detail));
  }
  if (embedded && s.additionalProperties !== undefined)
    causes.push(
      forbid(`${path}.additionalProperties`, 'must not be used if x-kubernetes-embedded-resource is set'),
    );
  if (level === 'root' && s.type && s.type !== 'object')
    causes.push(invalid(`${path}.type`, s.type, 'must be object at the root'));

  const checkMetadata = level === 'root' || embedded;
  for (const name of ['kind', 'apiVersion']) {
    const property = s.properties?.[name];
    if (property && checkMetadata && property.type !== 'string')
      causes.push(invalid(`${key(path, 'properties', name)}.type`, property.type ?? '', 'must be string'));
  }
  const metadata = s.properties?.metadata;
  if (metadata)
    causes.push(...metadataInvariants(metadata, checkMetadata, level, key(path, 'properties', 'metadata')));
  if (embedded && !preserve && Object.keys(s.properties ?? {}).length === 0)
    causes.push(
      required(
        `${path}.properties`,
        'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields',
      ),
    );
  return causes;
}

/** At the root, metadata may only restrict name and generateName; kube fills in the rest. */
function metadataInvariants(
  s: JSONSchemaProps,
  checkMetadata: boolean,
  level: Level,
  path: string,
): FieldCause[] {
  const causes: FieldCause[] = [];
  if (checkMetadata && s.type !== 'object')
    causes.push(invalid(`${path}.type`, s.type ?? '', 'must be object'));
  if (level === 'root') {
    const names = Object.keys(s.properties ?? {});
    const onlyNames = names.every((n) => n === 'name' || n === 'generateName');
    const rest = Object.entries(s).filter(
      ([k, v]) => v !== undefined && k !== 'type' && k !== 'default' && !(k === 'properties' && onlyNames),
    );
    if (rest.length > 0)
      causes.push(
        forbid(
          path,
          'must not specify anything other than name and generateName, but metadata is implicitly specified',
        ),
      );
  }
  return causes;
}

/** `anyOf: [{type: integer}, {type: string}]`, the int-or-string spelling kube lets through. */
function isIntOrStringAnyOf(anyOf: JSONSchemaProps[] | undefined): boolean {
  return (
    anyOf?.length === 2 &&
    anyOf.every((b, i) => Object.keys(b).length === 1 && b.type === (i === 0 ? 'integer' : 'string'))
  );
}

/** The composites of a schema and its pattern (validateValueValidation). */
function valueValidation(
  s: JSONSchemaProps,
  skipAnyOf: boolean,
  skipFirstAllOfAnyOf: boolean,
  level: Level,
  path: string,
): FieldCause[] {
  const causes: FieldCause[] = [];
  if (!skipAnyOf) s.anyOf?.forEach((v, i) => causes.push(...nested(v, false, level, `${path}.anyOf[${i}]`)));
  s.allOf?.forEach((v, i) =>
    causes.push(...nested(v, skipFirstAllOfAnyOf && i === 0, level, `${path}.allOf[${i}]`)),
  );
  s.oneOf?.forEach((v, i) => causes.push(...nested(v, false, level, `${path}.oneOf[${i}]`)));
  if (s.not) causes.push(...nested(s.not, false, level, `${path}.not`));
  if (s.pattern) {
    const problem = patternProblem(s.pattern);
    if (problem)
      causes.push(
        invalid(`${path}.pattern`, s.pattern, `must be a valid regular expression, but isn't: ${problem}`),
      );
  }
  return causes;
}

/** A value validation under allOf/anyOf/oneOf/not (validateNestedValueValidation). */
function nested(v: JSONSchemaProps, skipAnyOf: boolean, level: Level, path: string): FieldCause[] {
  const causes = valueValidation(v, skipAnyOf, false, level, path);
  const items = itemSchemaOf(v);
  if (items) causes.push(...nested(items, false, level, `${path}.items`));
  for (const [name, property] of Object.entries(v.properties ?? {}))
    causes.push(...nested(property, false, 'field', key(path, 'properties', name)));
  if (v.type) causes.push(forbid(`${path}.type`, 'must be empty to be structural'));
  if (v.additionalProperties !== undefined)
    causes.push(forbid(`${path}.additionalProperties`, 'must be undefined to be structural'));
  if (v.default !== undefined && v.default !== null)
    causes.push(forbid(`${path}.default`, 'must be undefined to be structural'));
  if (v.title) causes.push(forbid(`${path}.title`, 'must be empty to be structural'));
  if (v.description) causes.push(forbid(`${path}.description`, 'must be empty to be structural'));
  if (v.nullable) causes.push(forbid(`${path}.nullable`, 'must be false to be structural'));
  if (v['x-kubernetes-preserve-unknown-fields'])
    causes.push(forbid(`${path}.x-kubernetes-preserve-unknown-fields`, 'must be false to be structural'));
  if (v['x-kubernetes-embedded-resource'])
    causes.push(forbid(`${path}.x-kubernetes-embedded-resource`, 'must be false to be structural'));
  if (v['x-kubernetes-int-or-string'])
    causes.push(forbid(`${path}.x-kubernetes-int-or-string`, 'must be false to be structural'));
  if (v['x-kubernetes-list-map-keys']?.length)
    causes.push(forbid(`${path}.x-kubernetes-list-map-keys`, 'must be empty to be structural'));
  if (v['x-kubernetes-list-type'] !== undefined)
    causes.push(forbid(`${path}.x-kubernetes-list-type`, 'must be undefined to be structural'));
  if (v['x-kubernetes-map-type'] !== undefined)
    causes.push(forbid(`${path}.x-kubernetes-map-type`, 'must be undefined to be structural'));
  if (v['x-kubernetes-validations']?.length)
    causes.push(forbid(`${path}.x-kubernetes-validations`, 'must be empty to be structural'));
  if (v.properties?.metadata)
    causes.push(forbid(key(path, 'properties', 'metadata'), 'must not be specified in a nested context'));
  return causes;
}

/**
 * complete.go: a field a value validation names must exist in the structural schema. Kube checks
 * the root schema's composites (and what they nest), not those of deeper fields.
 */
function completeness(s: JSONSchemaProps, path: string): FieldCause[] {
  return valueCompleteness(s, s, path, path);
}

function valueCompleteness(
  v: JSONSchemaProps,
  s: JSONSchemaProps | undefined,
  sPath: string,
  vPath: string,
): FieldCause[] {
  const causes: FieldCause[] = [];
  if (v.not) causes.push(...nestedCompleteness(v.not, s, sPath, `${vPath}.not`));
  v.allOf?.forEach((b, i) => causes.push(...nestedCompleteness(b, s, sPath, `${vPath}.allOf[${i}]`)));
  v.anyOf?.forEach((b, i) => causes.push(...nestedCompleteness(b, s, sPath, `${vPath}.anyOf[${i}]`)));
  v.oneOf?.forEach((b, i) => causes.push(...nestedCompleteness(b, s, sPath, `${vPath}.oneOf[${i}]`)));
  return causes;
}

function nestedCompleteness(
  v: JSONSchemaProps,
  s: JSONSchemaProps | undefined,
  sPath: string,
  vPath: string,
): FieldCause[] {
  if (!s) return [required(sPath, `because it is defined in ${vPath}`)];
  const causes = valueCompleteness(v, s, sPath, vPath);
  const vItems = itemSchemaOf(v);
  if (vItems) causes.push(...nestedCompleteness(vItems, itemSchemaOf(s), `${sPath}.items`, `${vPath}.items`));
  for (const [name, property] of Object.entries(v.properties ?? {})) {
    const sProperty = s.properties?.[name];
    if (!sProperty)
      causes.push(
        required(
          key(sPath, 'properties', name),
          `because it is defined in ${key(vPath, 'properties', name)}`,
        ),
      );
    else
      causes.push(
        ...nestedCompleteness(
          property,
          sProperty,
          key(sPath, 'properties', name),
          key(vPath, 'properties', name),
        ),
      );
  }
  return causes;
}

/**
 * A pattern Go's regexp would refuse, in Go's words for the common faults (a quantifier with
 * nothing before it, an unclosed group or class); otherwise JavaScript's reason. Go-only syntax
 * that JavaScript lacks is not flagged (the leading inline flags are accepted).
 */
function patternProblem(pattern: string): string | undefined {
  const source = pattern.replace(/^\(\?[ims]+\)/, '');
  try {
    new RegExp(source, 'u');
    return undefined;
  } catch (error) {
    try {
      new RegExp(source);
      return undefined;
    } catch {
      const message = (error as Error).message;
      const quantifier = /(?:^|[(|])([*+?])/.exec(source);
      if (/nothing to repeat/i.test(message) && quantifier)
        return `error parsing regexp: missing argument to repetition operator: \`${quantifier[1]}\``;
      if (/unterminated group/i.test(message))
        return `error parsing regexp: missing closing ): \`${source}\``;
      if (/unmatched '\)'/i.test(message)) return `error parsing regexp: unexpected ): \`${source}\``;
      if (/unterminated character class/i.test(message))
        return `error parsing regexp: missing closing ]: \`${source.slice(source.lastIndexOf('['))}\``;
      return `error parsing regexp: ${message}`;
    }
  }
}
