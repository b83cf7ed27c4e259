import { GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from './object-item';
import { TABLE } from './table-schema';

/**
 * A change counter per node for the pods bound to it: how agents on AWS follow their pods without
 * holding a watch open. A watch through API Gateway keeps an API Lambda running for as long as it
 * lasts (about $35 a month per node, docs/cost.md); instead the reconcile function, woken by every
 * pod change on the table's stream, adds the changes of each node's pods to that node's marker
 * item, and the agent reads its marker (an eventually consistent GetItem, half a read unit) every
 * couple of seconds and lists its pods through the API when the count moved (docs/agent.md,
 * "Following pods on AWS").
 *
 * The items live beside the heartbeat items, outside every index and stream filter (no index
 * attributes): `~pods#<node name>`, one attribute `changes`. The count only grows; its value means
 * nothing beyond "different from last time".
 */
export interface NodePodMarkers {
  /** Counts `changes` more changes to the pods bound to each node named in `changesByNode`. */
  bump(changesByNode: ReadonlyMap<string, number>): Promise<void>;
  /** The node's change count (0 before its first pod change); may lag a bump by up to a second. */
  read(nodeName: string): Promise<number>;
}

/** The marker items' partition prefix: `~` keeps them apart from objects' `<group>/<Kind>#` keys. */
export const POD_MARKER_PARTITION_PREFIX = '~pods#';
/** Their sort key (one item per partition). */
export const POD_MARKER_SORT_KEY = '~';
/** The one attribute besides the key: how many pod changes the node has seen. */
export const POD_MARKER_CHANGES_ATTRIBUTE = 'changes';

export class TableNodePodMarkers implements NodePodMarkers {
  constructor(private readonly options: { client: DynamoDBClient; tableName: string }) {}

  async bump(changesByNode: ReadonlyMap<string, number>): Promise<void> {
    // One UpdateItem per node (1 WRU each): ADD is commutative, so concurrent batches never conflict.
    await Promise.all(
      [...changesByNode].map(([nodeName, changes]) =>
        this.options.client.send(
          new UpdateItemCommand({
            TableName: this.options.tableName,
            Key: markerKey(nodeName),
            UpdateExpression: 'ADD #changes :n',
            ExpressionAttributeNames: { '#changes': POD_MARKER_CHANGES_ATTRIBUTE },
            ExpressionAttributeValues: { ':n': { N: String(changes) } },
          }),
        ),
      ),
    );
  }

  async read(nodeName: string): Promise<number> {
    const { Item: item } = await this.options.client.send(
      new GetItemCommand({
        TableName: this.options.tableName,
        Key: markerKey(nodeName),
        ProjectionExpression: '#changes',
        ExpressionAttributeNames: { '#changes': POD_MARKER_CHANGES_ATTRIBUTE },
        ConsistentRead: false,
      }),
    );
    return Number(item?.[POD_MARKER_CHANGES_ATTRIBUTE]?.N ?? 0);
  }
}

/** The key of node `nodeName`'s marker item. */
export function markerKey(nodeName: string): Item {
  return {
    [TABLE.partitionKey]: { S: `${POD_MARKER_PARTITION_PREFIX}${nodeName}` },
    [TABLE.sortKey]: { S: POD_MARKER_SORT_KEY },
  };
}

/**
 * How many changes each node's pods saw in a batch of table stream images: a pod item carries the
 * `nodeName` index attribute once bound (object-item.ts), so a record counts for the node in its
 * new image and, when different (or gone), for the node in its old one. Records of other kinds
 * carry no `nodeName` and count for nothing.
 */
export function podChangesByNode(
  images: readonly { NewImage?: Item; OldImage?: Item }[],
): Map<string, number> {
  const counts = new Map<string, number>();
  const count = (node: string | undefined) => {
    if (node) counts.set(node, (counts.get(node) ?? 0) + 1);
  };
  for (const { NewImage, OldImage } of images) {
    const after = NewImage?.[TABLE.nodeName]?.S;
    const before = OldImage?.[TABLE.nodeName]?.S;
    count(after);
    if (before !== after) count(before);
  }
  return counts;
}
