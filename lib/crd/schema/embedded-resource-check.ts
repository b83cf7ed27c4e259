import type { FieldCause } from '../../kinds/errors';
import { invalidValue, requiredValue } from '../../kinds/field-error';
import { dns1035LabelError, dns1123LabelError, labelValueError, qualifiedNameError } from '../../kinds/names';
import { pathSegmentNameError } from '../../kinds/path-segment-name';
import { goBadValue } from './go-value';
import {
  additionalSchemaOf,
  isJsonObject,
  itemSchemaOf,
  type JSONSchemaProps,
  type JsonObject,
} from './json-schema-props';

/**
 * The checks kube-apiserver makes of `x-kubernetes-embedded-resource` objects inside a custom
 * resource (apiextensions-apiserver pkg/apiserver/schema/objectmeta/validation.go, run by the
 * strategy with isResourceRoot=false): apiVersion and kind are required strings, kind a
 * DNS-1035 label in any case, and the embedded metadata passes ValidateObjectMeta with
 * path-segment names: name/generateName, namespace, label keys and values, annotation keys.
 * Paths use field.Path's style (`spec.template.metadata.name`, map keys in brackets).
 *
 * Not checked: ownerReferences, finalizers, managedFields and the annotations' total size.
 */
export function embeddedResourceCauses(schema: JSONSchemaProps, object: unknown): FieldCause[] {
  return walk('', object, schema);
}

const child = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);
const invalid = (field: string, value: unknown, detail: string): FieldCause => ({
  reason: 'FieldValueInvalid',
  field,
  message: invalidValue(goBadValue(value), detail),
});

function walk(path: string, x: unknown, s: JSONSchemaProps | undefined): FieldCause[] {
  if (!s) return [];
  const causes: FieldCause[] = [];
  if (isJsonObject(x)) {
    if (s['x-kubernetes-embedded-resource']) causes.push(...embedded(path, x));
    const additional = s.additionalProperties !== undefined ? additionalSchemaOf(s) : undefined;
    for (const [k, v] of Object.entries(x)) {
      const property = s.properties?.[k];
      if (property) causes.push(...walk(child(path, k), v, property));
      else if (additional) causes.push(...walk(`${path}[${k}]`, v, additional));
    }
  } else if (Array.isArray(x)) x.forEach((v, i) => causes.push(...walk(`${path}[${i}]`, v, itemSchemaOf(s))));
  return causes;
}

function embedded(path: string, x: JsonObject): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const name of ['apiVersion', 'kind'])
    if (!Object.hasOwn(x, name))
      causes.push({
        reason: 'FieldValueRequired',
        field: child(path, name),
        message: requiredValue('must not be empty'),
      });
  if (Object.hasOwn(x, 'apiVersion')) {
    const v = x.apiVersion;
    const field = child(path, 'apiVersion');
    if (typeof v !== 'string') causes.push(invalid(field, v, 'must be a string'));
    else if (v === '') causes.push(invalid(field, v, 'must not be empty'));
    else if (v !== '/' && v.split('/').length > 2)
      causes.push(invalid(field, v, `unexpected GroupVersion string: ${v}`));
  }
  if (Object.hasOwn(x, 'kind')) {
    const v = x.kind;
    const field = child(path, 'kind');
    if (typeof v !== 'string') causes.push(invalid(field, v, 'must be a string'));
    else if (v === '') causes.push(invalid(field, v, 'must not be empty'));
    else {
      const error = dns1035LabelError(v.toLowerCase());
      if (error) causes.push(invalid(field, v, `may have mixed case, but should otherwise match: ${error}`));
    }
  }
  if (isJsonObject(x.metadata)) causes.push(...objectMeta(child(path, 'metadata'), x.metadata));
  return causes;
}

/** ValidateObjectMetaAccessor with ValidatePathSegmentName; an empty name passes (kube fills in "fakename"). */
function objectMeta(path: string, meta: JsonObject): FieldCause[] {
  const causes: FieldCause[] = [];
  const { name, generateName, namespace, labels, annotations } = meta;
  if (typeof generateName === 'string' && generateName !== '') {
    const error = ['/', '%'].find((c) => generateName.includes(c));
    if (error) causes.push(invalid(child(path, 'generateName'), generateName, `may not contain '${error}'`));
  }
  if (typeof name === 'string' && name !== '') {
    const error = pathSegmentNameError(name);
    if (error) causes.push(invalid(child(path, 'name'), name, error));
  }
  if (typeof namespace === 'string' && namespace !== '') {
    const error = dns1123LabelError(namespace);
    if (error) causes.push(invalid(child(path, 'namespace'), namespace, error));
  }
  if (isJsonObject(labels))
    for (const [k, v] of Object.entries(labels)) {
      const keyError = qualifiedNameError(k);
      if (keyError) causes.push(invalid(child(path, 'labels'), k, keyError));
      const valueError = typeof v === 'string' ? labelValueError(v) : undefined;
      if (valueError) causes.push(invalid(child(path, 'labels'), v, valueError));
    }
  if (isJsonObject(annotations))
    for (const k of Object.keys(annotations)) {
      const keyError = qualifiedNameError(k.toLowerCase());
      if (keyError) causes.push(invalid(child(path, 'annotations'), k, keyError));
    }
  return causes;
}
