import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from './object-item';
import { TABLE } from './table-schema';

/**
 * An in-memory copy of the object table, for a store that is the table's only writer (the local
 * control plane): it answers reads from memory, as kube-apiserver's watch cache does, while every
 * write still goes to the table first, conditionally, and reaches the mirror only once the table
 * accepted it. A mirror that lags an in-flight write can only make a write conflict and retry,
 * never lose one. Not for tables that other processes write (the Lambda API).
 */
export class TableMirror {
  private readonly items = new Map<string, Item>();

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
      for (const item of page.Items ?? []) mirror.put(item);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return mirror;
  }

  get(partitionKey: string, sortKey: string): Item | undefined {
    return this.items.get(mirrorKey(partitionKey, sortKey));
  }

  put(item: Item): void {
    this.items.set(mirrorKey(item[TABLE.partitionKey]?.S ?? '', item[TABLE.sortKey]?.S ?? ''), item);
  }

  delete(partitionKey: string, sortKey: string): void {
    this.items.delete(mirrorKey(partitionKey, sortKey));
  }

  /**
   * What a Query on `partitionAttribute = value` returns, in the same order (by `sortAttribute`,
   * then by table key as DynamoDB orders index entries), resuming after `startKey` when given.
   */
  query(partitionAttribute: string, value: string, sortAttribute: string, startKey?: Item): Item[] {
    const matching: Item[] = [];
    for (const item of this.items.values()) if (item[partitionAttribute]?.S === value) matching.push(item);
    matching.sort((a, b) => compareItems(a, b, sortAttribute));
    if (!startKey) return matching;
    return matching.filter((item) => compareItems(item, startKey, sortAttribute) > 0);
  }
}

function mirrorKey(partitionKey: string, sortKey: string): string {
  return `${partitionKey}\u0000${sortKey}`;
}

function compareItems(a: Item, b: Item, sortAttribute: string): number {
  return (
    compare(a[sortAttribute]?.S, b[sortAttribute]?.S) ||
    compare(a[TABLE.partitionKey]?.S, b[TABLE.partitionKey]?.S) ||
    compare(a[TABLE.sortKey]?.S, b[TABLE.sortKey]?.S)
  );
}

function compare(a = '', b = ''): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
