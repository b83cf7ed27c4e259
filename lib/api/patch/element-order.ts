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
  for (const item of merged) {
    let present: boolean;
    if (mergeKey === undefined) {
      present = by.includes(item);
    } else {
      if (!isJsonObject(item)) throw badArgTypeError('map', item);
      if (!hasOwn(item, mergeKey)) throw noMergeKeyError(item, mergeKey);
      const value = item[mergeKey];
      present = by.some(
        (other) => isJsonObject(other) && hasOwn(other, mergeKey) && other[mergeKey] === value,
      );
    }
    (present ? named : serverOnly).push(item);
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
  return items
    .map((item, position) => ({ item, position, rank: indexOf(order, item, identity) }))
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
  const result: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length && j < named.length) {
    const left = indexOf(serverOrder, serverOnly[i], identity);
    const right = indexOf(serverOrder, named[j], identity);
    if (left >= 0 && right >= 0 && left < right) result.push(serverOnly[i++]);
    else result.push(named[j++]);
  }
  return result.concat(serverOnly.slice(i), named.slice(j));
}

function indexOf(list: readonly unknown[], item: unknown, { mergeKey }: ItemIdentity): number {
  if (mergeKey === undefined) return list.indexOf(item);
  const value = identityValue(item, mergeKey);
  return list.findIndex((other) => identityValue(other, mergeKey) === value);
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
