import { cloneJson, isJsonObject, setOwn, type JsonObject } from '../json-value';
import type { ApplySchema } from './apply-schema';
import { fieldElement, fieldNameOf, type PathElement } from './field-path';
import { FieldSet } from './field-set';
import { indexItems, isGranularList, itemElement } from './list-items';

/**
 * Merges an applied configuration into the stored object, as upstream's typed Merge does: the
 * configuration's values win; maps merge key by key; sets and associative lists merge item by
 * item (keeping the stored items the configuration does not name, in an order that follows the
 * configuration for the items both have); atomic lists and maps are replaced whole.
 *
 * @example mergeApplied({ a: 1, b: 2 }, { b: 3 }, schema) // { a: 1, b: 3 }
 */
export function mergeApplied(live: unknown, config: unknown, schema: ApplySchema): unknown {
  if (config === undefined) return cloneJson(live);
  if (live === undefined) return cloneJson(config);
  if (isJsonObject(live) && isJsonObject(config) && !schema.atomicMap) {
    const out = cloneJson(live);
    for (const name of Object.keys(config))
      setOwn(out, name, mergeApplied(live[name], config[name], schema.field(name)));
    return out;
  }
  if (Array.isArray(live) && Array.isArray(config) && isGranularList(schema))
    return mergeLists(live, config, schema);
  return cloneJson(config);
}

/** structured-merge-diff's list merge (merge.go visitListItems), item order included. */
function mergeLists(live: unknown[], config: unknown[], schema: ApplySchema): unknown[] {
  const lhs = indexItems(schema, live, true);
  const rhs = indexItems(schema, config, false);
  const shared = rhs.elements.filter((element) => lhs.byElement.has(element));
  let nextShared: PathElement | undefined = shared.shift();
  const merged = new Set<PathElement>();
  const out: unknown[] = [];
  const mergeItem = (element: PathElement) => {
    merged.add(element);
    out.push(mergeApplied(lhs.byElement.get(element), rhs.byElement.get(element), schema.items()));
  };
  let l = 0;
  let r = 0;
  while (l < lhs.elements.length || r < rhs.elements.length) {
    if (l < lhs.elements.length && r < rhs.elements.length) {
      const element = lhs.elements[l];
      if (element === rhs.elements[r]) {
        mergeItem(element);
        l++;
        r++;
        nextShared = shared.shift();
        continue;
      }
      if (rhs.byElement.has(element) && nextShared !== undefined && nextShared !== element) {
        l++;
        continue;
      }
    }
    if (l < lhs.elements.length) {
      const element = lhs.elements[l];
      if (!rhs.byElement.has(element)) {
        out.push(cloneJson(live[l]));
        l++;
        continue;
      }
      if (merged.has(element)) {
        l++;
        continue;
      }
    }
    if (r < rhs.elements.length) {
      const element = rhs.elements[r];
      mergeItem(element);
      r++;
      if (nextShared === element) nextShared = shared.shift();
    }
  }
  return out;
}

/**
 * The value without the fields, items and entries that are members of `set` (upstream's
 * RemoveItems): a removed member goes with everything below it.
 */
export function removeFields(value: unknown, set: FieldSet, schema: ApplySchema): unknown {
  if (set.isEmpty()) return value;
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const name of Object.keys(value)) {
      const child = set.child(fieldElement(name));
      if (child.member) continue;
      setOwn(out, name, removeFields(value[name], child, schema.field(name)));
    }
    return out;
  }
  if (Array.isArray(value) && isGranularList(schema)) {
    const out: unknown[] = [];
    value.forEach((item, index) => {
      const child = set.child(itemElement(schema, item, index, true));
      if (!child.member) out.push(removeFields(item, child, schema.items()));
    });
    return out;
  }
  return value;
}

/**
 * The set with every struct field on the way to a member made a member too (upstream's
 * EnsureNamedFieldsAreMembers): owning `spec.strategy.rollingUpdate.maxSurge` then counts as
 * owning `spec.strategy.rollingUpdate`, so pruning can remove a struct a manager stopped applying.
 * Free map entries and list items on the way are left as they are.
 */
export function ensureNamedFieldsAreMembers(set: FieldSet, schema: ApplySchema): FieldSet {
  const children = new Map<PathElement, FieldSet>();
  for (const element of set.childElements()) {
    const name = fieldNameOf(element);
    const childSchema = name === undefined ? schema.items() : schema.field(name);
    let child = ensureNamedFieldsAreMembers(set.child(element), childSchema);
    if (name !== undefined && schema.declares(name)) child = child.withMember(true);
    children.set(element, child);
  }
  return FieldSet.fromChildren(set.member, children);
}
