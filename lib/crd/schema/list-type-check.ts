import type { FieldCause } from '../../kinds/errors';
import { duplicateValue, invalidValue } from '../../kinds/field-error';
import { goBadValue } from './go-value';
import {
  additionalSchemaOf,
  isJsonObject,
  itemSchemaOf,
  type JSONSchemaProps,
  type JsonObject,
} from './json-schema-props';

/**
 * Uniqueness of `x-kubernetes-list-type: set` items and `map` keys in a custom resource, as
 * kube-apiserver checks it after schema validation (apiextensions-apiserver pkg/apiserver/schema/
 * listtype/validation.go, ValidateListSetsAndMaps): each repeat after the first is a
 * `Duplicate value` at its index; a map list item that is not an object is invalid. Paths here use
 * field.Path's own style, so map keys are in brackets (`spec.byName[a].ports[1]`).
 */
export function listTypeCauses(schema: JSONSchemaProps, object: unknown, path = ''): FieldCause[] {
  return isJsonObject(object) ? objectCauses(path, schema, object) : [];
}

const child = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);

function objectCauses(path: string, s: JSONSchemaProps, obj: JsonObject): FieldCause[] {
  const causes: FieldCause[] = [];
  const additional = additionalSchemaOf(s);
  if (additional)
    for (const [k, v] of Object.entries(obj)) causes.push(...valueCauses(`${path}[${k}]`, additional, v));
  if (s.properties)
    for (const [k, v] of Object.entries(obj)) {
      const sub = s.properties[k];
      if (sub) causes.push(...valueCauses(child(path, k), sub, v));
    }
  return causes;
}

function valueCauses(path: string, s: JSONSchemaProps, value: unknown): FieldCause[] {
  if (Array.isArray(value)) return arrayCauses(path, s, value);
  if (isJsonObject(value)) return objectCauses(path, s, value);
  return [];
}

function arrayCauses(path: string, s: JSONSchemaProps, list: unknown[]): FieldCause[] {
  const causes: FieldCause[] = [];
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'set')
    for (const i of repeatedIndices(list)) causes.push(duplicate(`${path}[${i}]`, list[i]));
  else if (listType === 'map')
    causes.push(...mapListCauses(path, s['x-kubernetes-list-map-keys'] ?? [], list));
  const items = itemSchemaOf(s);
  if (items) list.forEach((item, i) => causes.push(...valueCauses(`${path}[${i}]`, items, item)));
  return causes;
}

function duplicate(field: string, value: unknown): FieldCause {
  return { reason: 'FieldValueDuplicate', field, message: duplicateValue(goBadValue(value)) };
}

function mapListCauses(path: string, keys: string[], list: unknown[]): FieldCause[] {
  const bad = list.findIndex((x) => x !== null && !isJsonObject(x));
  if (bad >= 0)
    return [
      {
        reason: 'FieldValueInvalid',
        field: `${path}[${bad}]`,
        message: invalidValue(goBadValue(list[bad]), 'must be an object for an array of list-type map'),
      },
    ];
  // An item without a key field (or a null item) has the empty key {}; one key field is compared bare.
  const entries = list.map((x) => {
    const key: JsonObject = {};
    for (const k of keys) if (isJsonObject(x) && Object.hasOwn(x, k)) key[k] = x[k];
    return key;
  });
  const compared =
    keys.length === 1 ? entries.map((e) => (Object.hasOwn(e, keys[0]) ? e[keys[0]] : UNSPECIFIED)) : entries;
  return repeatedIndices(compared).map((i) => duplicate(`${path}[${i}]`, entries[i]));
}

const UNSPECIFIED = Symbol('unspecified key');

/** Indices of the second occurrence of each repeated value (validateListSet reports only that one). */
function repeatedIndices(list: readonly unknown[]): number[] {
  const seenScalars = new Map<unknown, number>();
  const seenCompounds = new Map<string, number>();
  const indices: number[] = [];
  list.forEach((x, i) => {
    const compound = typeof x === 'object' && x !== null;
    const times = compound ? (seenCompounds.get(stableJson(x)) ?? 0) : (seenScalars.get(x) ?? 0);
    if (times === 1) indices.push(i);
    if (compound) seenCompounds.set(stableJson(x), times + 1);
    else seenScalars.set(x, times + 1);
  });
  return indices;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isJsonObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
