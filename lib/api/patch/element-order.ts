import { badArgTypeError, noMergeKeyError } from './directives';
import { getOwn, hasOwn, isJsonObject } from './json-value';

/**
 * The order of a merged list, as upstream strategicpatch decides it (normalizeElementOrder,
 * mergeSortedSlice): items the patch names keep the patch's order (or `$setElementOrder`'s),
 * server-only items keep the live order, and the two are interleaved by where they sat in the
 * live list. An item new to the list has no live position, so it lands before the server-only
 * items that follow it in the merge; hence `[a, b]` patched with `[c]` becomes `[c, a, b]`.
 */

/** How list items are identified: by a merge key for lists of maps, by value for primitives. */
export interface ItemIdentity {
  mergeKey?: string;
}

/** Splits `merged` into the items that `by` names and the rest, keeping their order. */
export function partitionByPresence(
  merged: readonly unknown[],
  by: readonly unknown[],
  { mergeKey }: ItemIdentity,
): { named: unknown[]; serverOnly: unknown[] } {
  const named: unknown[] = [];
  const serverOnly: unknown[] = [];
  const present =
    mergeKey === undefined
      ? new Set(by)
      : new Set(
          by.flatMap((other) => (isJsonObject(other) && hasOwn(other, mergeKey) ? [other[mergeKey]] : [])),
        );
  for (const item of merged) {
    if (mergeKey !== undefined) {
      if (!isJsonObject(item)) throw badArgTypeError('map', item);
      if (!hasOwn(item, mergeKey)) throw noMergeKeyError(item, mergeKey);
    }
    (present.has(mergeKey === undefined ? item : (item as Record<string, unknown>)[mergeKey])
      ? named
      : serverOnly
    ).push(item);
  }
  return { named, serverOnly };
}

/**
 * Sorts the named items by `namedOrder` and the server-only items by `serverOrder`, then
 * interleaves them by their positions in `serverOrder`.
 */
export function normalizeElementOrder(
  named: readonly unknown[],
  serverOnly: readonly unknown[],
  namedOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  identity: ItemIdentity,
): unknown[] {
  const namedSorted = sortByOrder(named, namedOrder, identity);
  const serverSorted = sortByOrder(serverOnly, serverOrder, identity);
  return mergeSorted(serverSorted, namedSorted, serverOrder, identity);
}

function sortByOrder(
  items: readonly unknown[],
  order: readonly unknown[],
  identity: ItemIdentity,
): unknown[] {
  if (identity.mergeKey !== undefined) validateMergeKeys(identity.mergeKey, items, order);
  const rankOf = positionsIn(order, identity);
  return items
    .map((item, position) => ({ item, position, rank: rankOf(item) }))
    .sort((a, b) => (a.rank >= 0 && b.rank >= 0 ? a.rank - b.rank : 0) || a.position - b.position)
    .map(({ item }) => item);
}

/** Takes a server-only item first only when both are in the live list and it came first there. */
function mergeSorted(
  serverOnly: readonly unknown[],
  named: readonly unknown[],
  serverOrder: readonly unknown[],
  identity: ItemIdentity,
): unknown[] {
  const positionOf = positionsIn(serverOrder, identity);
  const result: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length && j < named.length) {
    const left = positionOf(serverOnly[i]);
    const right = positionOf(named[j]);
    if (left >= 0 && right >= 0 && left < right) result.push(serverOnly[i++]);
    else result.push(named[j++]);
  }
  return result.concat(serverOnly.slice(i), named.slice(j));
}

/**
 * The position of an item's first match in `list` (by value, or by merge key), or -1: one pass to
 * index the list, then constant time per look-up, so merging lists of n items costs n log n, not n².
 */
function positionsIn(list: readonly unknown[], { mergeKey }: ItemIdentity): (item: unknown) => number {
  const key = (item: unknown) => (mergeKey === undefined ? item : identityValue(item, mergeKey));
  const positions = new Map<unknown, number>();
  list.forEach((item, position) => {
    const value = key(item);
    if (!positions.has(value)) positions.set(value, position);
  });
  return (item) => positions.get(key(item)) ?? -1;
}

function identityValue(item: unknown, mergeKey: string): unknown {
  return isJsonObject(item) ? getOwn(item, mergeKey) : undefined;
}

function validateMergeKeys(mergeKey: string, ...lists: (readonly unknown[])[]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isJsonObject(item)) throw badArgTypeError('map', item);
      if (!hasOwn(item, mergeKey)) throw noMergeKeyError(item, mergeKey);
    }
  }
}
