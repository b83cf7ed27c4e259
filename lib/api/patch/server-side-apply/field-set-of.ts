import { isJsonObject } from '../json-value';
import type { ApplySchema } from './apply-schema';
import { fieldElement, type PathElement } from './field-path';
import { FieldSet } from './field-set';
import { isGranularList, itemElement } from './list-items';

/**
 * The fields a value sets, as upstream's ToFieldSet counts them: every scalar, every atomic list
 * or map, every item of a set or associative list, every free map entry (a label, an annotation),
 * and a struct field only when it holds null or an empty object (a struct with fields is only the
 * way to them). This is what an applier owns after applying `value`.
 *
 * Throws InvalidApplyConfigurationError for list items that cannot be identified.
 *
 * @example fieldSetOf({ spec: { replicas: 3 } }, schema).toFieldsV1() // {"f:spec":{"f:replicas":{}}}
 */
export function fieldSetOf(value: unknown, schema: ApplySchema): FieldSet {
  if (Array.isArray(value)) {
    if (!isGranularList(schema)) return FieldSet.EMPTY.withMember(true);
    const children = new Map<PathElement, FieldSet>();
    value.forEach((item, index) => {
      const element = itemElement(schema, item, index);
      const child = fieldSetOf(item, schema.items()).withMember(true);
      children.set(element, children.get(element)?.union(child) ?? child);
    });
    return FieldSet.fromChildren(false, children);
  }
  if (isJsonObject(value)) {
    if (schema.atomicMap) return FieldSet.EMPTY.withMember(true);
    const children = new Map<PathElement, FieldSet>();
    for (const name of Object.keys(value)) {
      const field = value[name];
      const child = fieldSetOf(field, schema.field(name));
      const member =
        field === null || (isJsonObject(field) && Object.keys(field).length === 0) || !schema.declares(name);
      children.set(fieldElement(name), member ? child.withMember(true) : child);
    }
    return FieldSet.fromChildren(false, children);
  }
  return FieldSet.EMPTY.withMember(true);
}
