import { deepEqual } from '../../../store/deep-equal';
import { isJsonObject } from '../json-value';
import type { ApplySchema } from './apply-schema';
import { fieldElement, type PathElement } from './field-path';
import { FieldSet } from './field-set';
import { indexItems, isGranularList } from './list-items';

/** What changed between two versions of an object, as field sets (upstream's typed.Comparison). */
export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

const NOTHING: Comparison = { added: FieldSet.EMPTY, modified: FieldSet.EMPTY, removed: FieldSet.EMPTY };

/**
 * Compares the stored object with the one about to be written. Leaves (scalars, atomic lists and
 * maps, empty containers) are added, removed or modified by value; a list item or free map entry
 * that appears or goes is itself added or removed, as are the lists and maps (labels, ports) that
 * appear or go as a whole. Structs are only the way to their fields, which keeps `spec` from
 * being owned by whoever wrote it first.
 *
 * @example compareValues({ spec: { replicas: 1 } }, { spec: { replicas: 3 } }, schema).modified // .spec.replicas
 */
export function compareValues(before: unknown, after: unknown, schema: ApplySchema): Comparison {
  return compareAt(before, after, schema, false);
}

type Shape = 'map' | 'list' | 'leaf' | 'absent';

function shapeOf(value: unknown): Shape {
  if (value === undefined) return 'absent';
  if (Array.isArray(value)) return 'list';
  if (isJsonObject(value)) return 'map';
  return 'leaf';
}

function isEmptyContainer(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isJsonObject(value) && Object.keys(value).length === 0;
}

/** `itemLike`: the node is a list item, a free map entry, or a list or map field, owned as a node when it comes or goes. */
function compareAt(before: unknown, after: unknown, schema: ApplySchema, itemLike: boolean): Comparison {
  const shape = shapeOf(before) === 'absent' ? shapeOf(after) : shapeOf(before);
  const sameShape = shapeOf(after) === 'absent' || shapeOf(after) === shape;
  const leaf =
    !sameShape ||
    shape === 'leaf' ||
    (shape === 'list' && !isGranularList(schema)) ||
    (shape === 'map' && schema.atomicMap) ||
    (isEmptyContainer(before) && isEmptyContainer(after));
  if (leaf) return compareLeaf(before, after);
  const children = shape === 'map' ? compareMaps(before, after, schema) : compareLists(before, after, schema);
  if (!itemLike) return children;
  if (before === undefined) return { ...children, added: children.added.withMember(true) };
  if (after === undefined) return { ...children, removed: children.removed.withMember(true) };
  return children;
}

function compareLeaf(before: unknown, after: unknown): Comparison {
  const member = FieldSet.EMPTY.withMember(true);
  if (before === undefined && after === undefined) return NOTHING;
  if (before === undefined) return { ...NOTHING, added: member };
  if (after === undefined) return { ...NOTHING, removed: member };
  return deepEqual(before, after) ? NOTHING : { ...NOTHING, modified: member };
}

/** Children's comparisons gathered under their path elements, each set built once. */
class ComparisonBuilder {
  private readonly added = new Map<PathElement, FieldSet>();
  private readonly modified = new Map<PathElement, FieldSet>();
  private readonly removed = new Map<PathElement, FieldSet>();

  add(element: PathElement, child: Comparison): void {
    if (!child.added.isEmpty()) this.added.set(element, child.added);
    if (!child.modified.isEmpty()) this.modified.set(element, child.modified);
    if (!child.removed.isEmpty()) this.removed.set(element, child.removed);
  }

  build(): Comparison {
    return {
      added: FieldSet.fromChildren(false, this.added),
      modified: FieldSet.fromChildren(false, this.modified),
      removed: FieldSet.fromChildren(false, this.removed),
    };
  }
}

function compareMaps(before: unknown, after: unknown, schema: ApplySchema): Comparison {
  const lhs = isJsonObject(before) ? before : {};
  const rhs = isJsonObject(after) ? after : {};
  const result = new ComparisonBuilder();
  for (const name of new Set([...Object.keys(lhs), ...Object.keys(rhs)])) {
    const field = schema.field(name);
    const value = lhs[name] ?? rhs[name];
    const itemLike = !schema.declares(name) || !(isJsonObject(value) && field.isStruct);
    result.add(fieldElement(name), compareAt(lhs[name], rhs[name], field, itemLike));
  }
  return result.build();
}

function compareLists(before: unknown, after: unknown, schema: ApplySchema): Comparison {
  const lhs = indexItems(schema, Array.isArray(before) ? before : [], true).byElement;
  const rhs = indexItems(schema, Array.isArray(after) ? after : [], true).byElement;
  const result = new ComparisonBuilder();
  for (const element of new Set([...lhs.keys(), ...rhs.keys()]))
    result.add(element, compareAt(lhs.get(element), rhs.get(element), schema.items(), true));
  return result.build();
}
