import type { KindInfo } from '../kinds/kind-info';
import type { KubeObject } from '../kinds/meta';
import type { ChangeEntry } from './change-log/change-entry';
import { kindKeyOf, partitionKeyOf, toItem, type Item } from './object-item';
import { compareItems } from './table-mirror';
import { TABLE } from './table-schema';

/**
 * A change log lists can be made exact against, when many writers share the table (see
 * TableChangeLog): a list reads the resolved head before and after its query and replays the
 * changes between onto what the query returned, so the answer is the state at the second head,
 * which it then reports as its resourceVersion.
 */
export interface SnapshotSource {
  head(): Promise<number>;
  changesSince(after: number, upTo: number, marginMs: number): Promise<ChangeEntry[]>;
}

export function isSnapshotSource(source: object): source is SnapshotSource {
  return 'changesSince' in source && typeof source.changesSince === 'function';
}

/**
 * How long after this process saw a change resolved it still replays it onto lists: a global
 * secondary index (cross-namespace and per-node lists) may lag the table it indexes, typically by
 * well under a second.
 */
export const INDEX_LAG_MARGIN_MS = 5000;

/** What one list (or one page of it) covers, in the order its query reads. */
export interface ListScope {
  kind: KindInfo;
  /** The query's key condition: items whose `partitionAttribute` is `value`, ordered by `sortAttribute`. */
  partitionAttribute: string;
  value: string;
  sortAttribute: string;
  /** A namespaced list over a cross-namespace index keeps this namespace only. */
  namespace?: string;
  /** The list's selectors. */
  selects: (object: KubeObject) => boolean;
  /** The page starts after this item (its continue key)... */
  after?: Item;
  /** ...and ends with this one, when more follow. */
  through?: Item;
}

/**
 * `items` (what the query read, some of it newer than others) with `entries` replayed onto them in
 * revision order: each object the entries touch ends in the state of its last entry, so the
 * result is the state at the last entry's revision for every object in the scope.
 */
export function rollForward(scope: ListScope, items: KubeObject[], entries: ChangeEntry[]): KubeObject[] {
  const { kind } = scope;
  const kindKey = kindKeyOf(kind);
  const byKey = new Map<string, KubeObject>(items.map((object) => [keyOfObject(kind, object), object]));
  let changed = false;
  for (const entry of entries) {
    if (entry.kindKey !== kindKey) continue;
    const item = toItem(kind, entry.object, '');
    if (!inPage(scope, item)) continue;
    const key = keyOfObject(kind, entry.object);
    const inScope =
      entry.type !== 'DELETED' &&
      item[scope.partitionAttribute]?.S === scope.value &&
      (scope.namespace === undefined || entry.namespace === scope.namespace) &&
      scope.selects(entry.object);
    if (inScope) byKey.set(key, entry.object);
    else byKey.delete(key);
    changed = true;
  }
  if (!changed) return items;
  const sortKey = (object: KubeObject) => toItem(kind, object, '');
  return [...byKey.values()]
    .map((object) => ({ object, item: sortKey(object) }))
    .sort((a, b) => compareItems(a.item, b.item, scope.sortAttribute))
    .map(({ object }) => object);
}

function inPage(scope: ListScope, item: Item): boolean {
  if (scope.after && compareItems(item, scope.after, scope.sortAttribute) <= 0) return false;
  if (scope.through && compareItems(item, scope.through, scope.sortAttribute) > 0) return false;
  return true;
}

function keyOfObject(kind: KindInfo, object: KubeObject): string {
  return `${partitionKeyOf(kind, object.metadata.namespace)}\u0000${object.metadata.name ?? ''}`;
}

/**
 * The scope of a list pinned to one name (`fieldSelector=metadata.name=x`) in one partition: the
 * selectors hold the name, so entries for other names never enter it.
 */
export function nameScope(
  kind: KindInfo,
  namespace: string | undefined,
  selects: ListScope['selects'],
): ListScope {
  const value = partitionKeyOf(kind, namespace);
  return { kind, partitionAttribute: TABLE.partitionKey, value, sortAttribute: TABLE.sortKey, selects };
}
