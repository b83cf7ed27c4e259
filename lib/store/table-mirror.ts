import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isLogMachineryItem } from './change-log/log-item';
import type { Item } from './object-item';
import { INDEXES, TABLE } from './table-schema';

/**
 * An in-memory copy of the object table, for a store that is the table's only writer (the local
 * control plane): it answers reads from memory, as kube-apiserver's watch cache does, while every
 * write still goes to the table first, conditionally, and reaches the mirror only once the table
 * accepted it. A mirror that lags an in-flight write can only make a write conflict and retry,
 * never lose one. Not for tables that other processes write (the Lambda API).
 */
export class TableMirror {
  private readonly items = new Map<string, Item>();
  /** Items grouped by the value of each attribute a query can name: partition attribute -> value -> group. */
  private readonly groups = new Map<string, Map<string, Group>>(
    PARTITION_ATTRIBUTES.map((attribute) => [attribute, new Map()]),
  );

  /**
   * Reads the whole table into a new mirror. Items are kept as stored, unparsed: a corrupt one
   * (see CorruptObjectError) is left out of lists and reported by the store's reads, as it is when
   * reading the table, and stays deletable through the API; one left out here would be invisible,
   * undeletable and would still block creates of its name.
   */
  static async load(client: DynamoDBClient, tableName: string): Promise<TableMirror> {
    const mirror = new TableMirror();
    let startKey: Item | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey, ConsistentRead: true }),
      );
      // The change log's records and counters live in the table too; the mirror holds objects.
      for (const item of page.Items ?? []) if (!isLogMachineryItem(item)) mirror.put(item);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return mirror;
  }

  /** Every item the mirror holds, in no particular order. */
  all(): IterableIterator<Item> {
    return this.items.values();
  }

  get(partitionKey: string, sortKey: string): Item | undefined {
    return this.items.get(mirrorKey(partitionKey, sortKey));
  }

  put(item: Item): void {
    const key = mirrorKey(item[TABLE.partitionKey]?.S ?? '', item[TABLE.sortKey]?.S ?? '');
    this.ungroup(key);
    this.items.set(key, item);
    for (const [attribute, byValue] of this.groups) {
      const value = item[attribute]?.S;
      if (value === undefined) continue;
      let group = byValue.get(value);
      if (!group) byValue.set(value, (group = new Group()));
      group.set(key, item);
    }
  }

  delete(partitionKey: string, sortKey: string): void {
    const key = mirrorKey(partitionKey, sortKey);
    this.ungroup(key);
    this.items.delete(key);
  }

  /**
   * What a Query on `partitionAttribute = value` returns, in the same order (by `sortAttribute`,
   * then by table key as DynamoDB orders index entries), resuming after `startKey` when given.
   * Only the items holding `value` are looked at, in an order kept sorted between writes, so a
   * list costs what it returns, not what the table holds.
   */
  query(partitionAttribute: string, value: string, sortAttribute: string, startKey?: Item): Item[] {
    const byValue = this.groups.get(partitionAttribute);
    if (!byValue) throw new Error(`the mirror keeps no groups by ${partitionAttribute}`);
    const sorted = byValue.get(value)?.sortedBy(sortAttribute) ?? [];
    if (!startKey) return [...sorted];
    return sorted.slice(firstAfter(sorted, startKey, sortAttribute));
  }

  /** Takes the item stored under `key` out of its groups, before it is replaced or removed. */
  private ungroup(key: string): void {
    const previous = this.items.get(key);
    if (!previous) return;
    for (const [attribute, byValue] of this.groups) {
      const value = previous[attribute]?.S;
      if (value === undefined) continue;
      const group = byValue.get(value);
      group?.delete(key);
      if (group?.size === 0) byValue.delete(value);
    }
  }
}

/** The attributes lists query by: the table's partition key and each index's. */
const PARTITION_ATTRIBUTES = [
  TABLE.partitionKey,
  ...Object.values(INDEXES).map((index) => index.partitionKey),
];

/** The items sharing one value of an attribute, with their sorted orders cached until the next change. */
class Group {
  private readonly items = new Map<string, Item>();
  private readonly sorted = new Map<string, Item[]>();

  get size(): number {
    return this.items.size;
  }

  set(key: string, item: Item): void {
    this.items.set(key, item);
    this.sorted.clear();
  }

  delete(key: string): void {
    if (this.items.delete(key)) this.sorted.clear();
  }

  sortedBy(sortAttribute: string): readonly Item[] {
    let order = this.sorted.get(sortAttribute);
    if (!order) {
      order = [...this.items.values()].sort((a, b) => compareItems(a, b, sortAttribute));
      this.sorted.set(sortAttribute, order);
    }
    return order;
  }
}

/** The index of the first item that sorts after `startKey` (binary search). */
function firstAfter(sorted: readonly Item[], startKey: Item, sortAttribute: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareItems(sorted[middle], startKey, sortAttribute) > 0) high = middle;
    else low = middle + 1;
  }
  return low;
}

function mirrorKey(partitionKey: string, sortKey: string): string {
  return `${partitionKey}\u0000${sortKey}`;
}

/** The order DynamoDB returns a Query on `sortAttribute` in: by it, then by the table key. */
export function compareItems(a: Item, b: Item, sortAttribute: string): number {
  return (
    compare(a[sortAttribute]?.S, b[sortAttribute]?.S) ||
    compare(a[TABLE.partitionKey]?.S, b[TABLE.partitionKey]?.S) ||
    compare(a[TABLE.sortKey]?.S, b[TABLE.sortKey]?.S)
  );
}

function compare(a = '', b = ''): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
