import { DescribeTableCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as SdkRecord,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { StreamRecord } from '../../lib/controllers/stream-record';
import { dynamoClient } from './dynamo-engines';

/** Poll interval of waitFor: GetRecords is a polling API (Lambda's pollers poll it too). */
const POLL_INTERVAL_MS = 25;

/** What one shard's reader knows: where it has read to, and whether the shard is exhausted. */
interface ShardCursor {
  shard: Shard;
  iterator?: string;
  done: boolean;
}

/**
 * Reads a table's real stream through the DynamoDB Streams API, as Lambda's event source mapping
 * does: DescribeTable for the stream ARN, DescribeStream for its shards, a TRIM_HORIZON iterator
 * per shard, then GetRecords following NextShardIterator. A child shard is read only after its
 * parent is exhausted, which keeps per-item order across a shard split. Records are converted to
 * the StreamRecord shape Lambda delivers (ApproximateCreationDateTime in epoch seconds).
 *
 * For engines that have streams (DynamoDB Local); the tables must be created with a stream.
 */
export class StreamPump {
  private readonly received: StreamRecord[] = [];
  private readonly cursors = new Map<string, ShardCursor>();

  private constructor(
    private readonly client: DynamoDBStreamsClient,
    private readonly streamArn: string,
  ) {}

  /** The pump for `tableName`'s latest stream on the engine at `endpoint`. */
  static async open(endpoint: string, tableName: string): Promise<StreamPump> {
    const dynamo = dynamoClient(endpoint);
    try {
      const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
      if (!Table?.LatestStreamArn) throw new Error(`table ${tableName} has no stream on ${endpoint}`);
      // The same region and dummy credentials as dynamoClient: DynamoDB Local keys tables by them.
      const client = new DynamoDBStreamsClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      });
      return new StreamPump(client, Table.LatestStreamArn);
    } finally {
      dynamo.destroy();
    }
  }

  /** Every record read so far, in stream order. */
  records(): StreamRecord[] {
    return [...this.received];
  }

  /**
   * Reads until at least `count` records have arrived, and returns them all; throws, listing what
   * did arrive, when `deadlineMs` passes first.
   */
  async waitFor(count: number, deadlineMs = 10_000): Promise<StreamRecord[]> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      await this.poll();
      if (this.received.length >= count) return this.records();
      if (Date.now() >= deadline) {
        const arrived = this.received.map((r) => `${r.eventName} ${r.dynamodb?.Keys?.sk?.S}`).join(', ');
        throw new Error(
          `the stream delivered ${this.received.length} of ${count} records in ${deadlineMs} ms: [${arrived}]`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }

  /** Reads everything the stream holds now, parents before children. */
  async poll(): Promise<void> {
    await this.discoverShards();
    for (let progressed = true; progressed;) {
      progressed = false;
      for (const cursor of this.cursors.values()) {
        if (cursor.done || !this.parentDone(cursor)) continue;
        await this.readShard(cursor);
        progressed ||= cursor.done;
      }
    }
  }

  close(): void {
    this.client.destroy();
  }

  private async discoverShards(): Promise<void> {
    let start: string | undefined;
    do {
      const { StreamDescription } = await this.client.send(
        new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: start }),
      );
      for (const shard of StreamDescription?.Shards ?? [])
        if (shard.ShardId && !this.cursors.has(shard.ShardId))
          this.cursors.set(shard.ShardId, { shard, done: false });
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
  }

  /** A parent the stream no longer lists was trimmed, so it counts as read. */
  private parentDone(cursor: ShardCursor): boolean {
    const parent = cursor.shard.ParentShardId && this.cursors.get(cursor.shard.ParentShardId);
    return !parent || parent.done;
  }

  /** Reads one shard until it has nothing more now (or is closed and exhausted). */
  private async readShard(cursor: ShardCursor): Promise<void> {
    if (cursor.iterator === undefined) {
      const { ShardIterator } = await this.client.send(
        new GetShardIteratorCommand({
          StreamArn: this.streamArn,
          ShardId: cursor.shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      cursor.iterator = ShardIterator;
    }
    while (cursor.iterator) {
      const { Records = [], NextShardIterator } = await this.client.send(
        new GetRecordsCommand({ ShardIterator: cursor.iterator }),
      );
      this.received.push(...Records.map(toStreamRecord));
      cursor.iterator = NextShardIterator;
      if (Records.length === 0) break;
    }
    if (!cursor.iterator) cursor.done = true;
  }
}

/** The SDK's record in the shape Lambda delivers. */
function toStreamRecord(record: SdkRecord): StreamRecord & Omit<SdkRecord, 'dynamodb' | 'eventName'> {
  const { dynamodb, eventName, ...envelope } = record;
  const created = dynamodb?.ApproximateCreationDateTime;
  return {
    ...envelope,
    eventName,
    dynamodb: dynamodb && {
      ...dynamodb,
      ApproximateCreationDateTime: created && Math.floor(created.getTime() / 1000),
      Keys: asItem(dynamodb.Keys),
      NewImage: asItem(dynamodb.NewImage),
      OldImage: asItem(dynamodb.OldImage),
    },
  };
}

/**
 * The Streams client declares its own AttributeValue union, member for member the DynamoDB
 * client's: the wire format is the same, only the TypeScript declarations are separate.
 */
function asItem(image: Record<string, unknown> | undefined): Record<string, AttributeValue> | undefined {
  return image as Record<string, AttributeValue> | undefined;
}
