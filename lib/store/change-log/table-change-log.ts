import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { ExpiredError, ResourceVersionTooLargeError } from '../errors';
import type { Item } from '../object-item';
import { TABLE } from '../table-schema';
import { isSkipped, type ChangeEntry, type LogRecord } from './change-entry';
import {
  LOG_RETENTION_SECONDS,
  type ChangeBatch,
  type ChangeFeed,
  type ChangeWriter,
  type PreparedWrite,
} from './change-log';
import {
  COUNTER_VALUE,
  RESOLVED_WATERMARK_KEY,
  REVISION_COUNTER_KEY,
  logItemOf,
  logQuery,
  recordOfLogItem,
} from './log-item';
import { changedOrAborted } from './wait-for-change';

export interface TableChangeLogOptions {
  client: DynamoDBClient;
  tableName: string;
  /**
   * How long DynamoDB keeps a record before its TTL may remove it (default 48 hours: twice the
   * 24 hours served, so TTL's own lag never shortens what watches can resume from).
   */
  recordTtlSeconds?: number;
  /** How long a missing revision is waited for before it is filled as skipped (default 2 s). */
  gapTimeoutMs?: number;
  /** How often the log is read while watches follow it (default 250 ms). */
  pollIntervalMs?: number;
  /** How many recent records are kept in memory for watches and lists (default 10,000). */
  windowRecords?: number;
  /**
   * Called with each revision taken, before its write is prepared: a test throws here to play a
   * writer that dies between taking a revision and writing (nothing written, nothing filled).
   */
  afterRevisionTaken?: (revision: number) => void | Promise<void>;
}

/** Attempts at a write whose log slot a reader filled first, or that met another transaction. */
const MAX_COMMIT_ATTEMPTS = 5;
/** How many records one read of the log asks for. */
const PAGE = 1000;
/** The resolved watermark is written at most this often by one process. */
const WATERMARK_INTERVAL_MS = 5000;

/**
 * The change log for many writers (the API and reconciler Lambdas), kine's design on DynamoDB:
 *
 * - Writers take the next revision from a counter item (UpdateItem ADD 1), then commit the object
 *   write and the record at that revision in one transaction, the record conditional on its slot
 *   being empty. A write whose object condition fails records its revision as skipped.
 * - Readers resolve the log in revision order. A revision missing below one present is a write in
 *   flight or a writer that died after taking it: after `gapTimeoutMs` a reader fills the slot
 *   with a skipped record, conditional on it being empty. Whichever of filler and transaction
 *   comes second fails, so a write given up on can never commit afterwards.
 * - A resolved watermark item records a revision up to which every slot is filled, so a reader
 *   starting cold begins there, and a missing slot below it can only be a record DynamoDB's TTL
 *   removed: a watch needing it gets 410 Expired.
 *
 * docs/watch.md holds the argument that no change is missed or delivered twice.
 */
export class TableChangeLog implements ChangeWriter, ChangeFeed {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly recordTtlSeconds: number;
  private readonly gapTimeoutMs: number;
  private readonly pollIntervalMs: number;
  private readonly windowRecords: number;
  private readonly afterRevisionTaken?: (revision: number) => void | Promise<void>;

  /** Every revision up to this one is resolved (committed or skipped); -1 until first read. */
  private resolved = -1;
  /** Recent resolved records, dense: window[i].revision === windowFirst + i. */
  private window: LogRecord[] = [];
  /** When this process saw each window record resolved (ms), for lists' index-lag margin. */
  private resolvedAt: number[] = [];
  private windowFirst = 1;
  private readonly gapSeenAt = new Map<number, number>();
  private advancing: Promise<void> | undefined;
  private watermarkWritten = 0;
  private watermarkWrittenAt = 0;
  private readonly listeners = new Set<() => void>();
  private followers = 0;
  private polling: Promise<void> | undefined;

  constructor(options: TableChangeLogOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.recordTtlSeconds = options.recordTtlSeconds ?? 2 * LOG_RETENTION_SECONDS;
    this.gapTimeoutMs = options.gapTimeoutMs ?? 2000;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.windowRecords = options.windowRecords ?? 10_000;
    this.afterRevisionTaken = options.afterRevisionTaken;
  }

  async commit(prepare: (revision: number) => PreparedWrite, committed?: () => void): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const revision = await this.takeRevision();
      await this.afterRevisionTaken?.(revision);
      let write: PreparedWrite;
      try {
        write = prepare(revision);
      } catch (error) {
        await this.skip(revision);
        throw error;
      }
      try {
        await this.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [this.objectOperation(write), this.recordPut(write)],
          }),
        );
      } catch (error) {
        // Any other failure leaves the outcome unknown (the transaction may have committed): the
        // readers resolve the revision, by reading the record or, after the gap timeout, filling it.
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [objectReason, recordReason] = error.CancellationReasons ?? [];
        await this.skip(revision);
        if (objectReason?.Code === 'ConditionalCheckFailed')
          throw new ConditionalCheckFailedException({
            message: 'The conditional request failed',
            $metadata: {},
          });
        const retryable =
          recordReason?.Code === 'ConditionalCheckFailed' ||
          (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict');
        if (retryable && attempt < MAX_COMMIT_ATTEMPTS) continue;
        throw error;
      }
      committed?.();
      return;
    }
  }

  async head(): Promise<number> {
    const answer = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: REVISION_COUNTER_KEY, ConsistentRead: true }),
    );
    const current = Number(answer.Item?.[COUNTER_VALUE]?.N ?? '0');
    await this.advanceTo(current);
    return current;
  }

  async *follow(after: number, signal: AbortSignal): AsyncIterable<ChangeBatch> {
    await this.advanceTo(0);
    if (after > this.resolved) {
      const current = await this.head();
      if (after > current) throw new ResourceVersionTooLargeError(after, current);
    }
    this.followers++;
    this.ensurePolling();
    try {
      let next = after + 1;
      while (!signal.aborted) {
        if (next < this.windowFirst) {
          const history = await this.readHistory(next, this.windowFirst - 1);
          next += history.length;
          yield {
            entries: history.filter((record): record is ChangeEntry => !isSkipped(record)),
            through: next - 1,
          };
          continue;
        }
        if (next > this.resolved) {
          await changedOrAborted(this.listeners, signal);
          continue;
        }
        const start = next - this.windowFirst;
        const batch = this.window.slice(start, start + PAGE);
        next += batch.length;
        yield {
          entries: batch.filter((record): record is ChangeEntry => !isSkipped(record)),
          through: next - 1,
        };
      }
    } finally {
      this.followers--;
    }
  }

  /**
   * The committed changes in (`after`, `upTo`], plus those this process saw resolved within the
   * last `marginMs` (lists replay them to cover index propagation lag); `upTo` must be resolved.
   */
  async changesSince(after: number, upTo: number, marginMs: number): Promise<ChangeEntry[]> {
    const cutoff = Date.now() - marginMs;
    let from = after + 1;
    for (let i = Math.min(after - this.windowFirst, this.window.length - 1); i >= 0; i--) {
      if (this.resolvedAt[i] < cutoff) break;
      from = this.windowFirst + i;
    }
    const records: LogRecord[] = [];
    if (from < this.windowFirst) records.push(...(await this.readHistory(from, this.windowFirst - 1)));
    const start = Math.max(from, this.windowFirst) - this.windowFirst;
    records.push(...this.window.slice(start, upTo - this.windowFirst + 1));
    return records.filter((record): record is ChangeEntry => !isSkipped(record));
  }

  private async takeRevision(): Promise<number> {
    const answer = await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: REVISION_COUNTER_KEY,
        UpdateExpression: 'ADD #value :one',
        ExpressionAttributeNames: { '#value': COUNTER_VALUE },
        ExpressionAttributeValues: { ':one': { N: '1' } },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(answer.Attributes?.[COUNTER_VALUE]?.N);
  }

  private objectOperation(write: PreparedWrite): TransactWriteItem {
    if (write.put)
      return { Put: { TableName: this.tableName, Item: write.put.item, ...write.put.condition } };
    if (write.remove)
      return { Delete: { TableName: this.tableName, Key: write.remove.key, ...write.remove.condition } };
    throw new Error('a prepared write needs a put or a remove');
  }

  private recordPut(write: PreparedWrite): TransactWriteItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: logItemOf(write.entry, this.recordTtlSeconds, Date.now(), write.body),
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
      },
    };
  }

  /** Fills `revision`'s slot as skipped unless something is there already; true when it filled it. */
  private async skip(revision: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: logItemOf({ revision, skipped: true }, this.recordTtlSeconds, Date.now()),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Resolves the log through `target` (at least one read when `target` is already resolved). */
  private async advanceTo(target: number): Promise<void> {
    do {
      this.advancing ??= this.advance(target).finally(() => (this.advancing = undefined));
      await this.advancing;
    } while (this.resolved < target);
  }

  /** One pass: reads what follows the resolved point and resolves as far as it can, up to a gap. */
  private async advance(target: number): Promise<void> {
    if (this.resolved < 0) await this.start();
    for (;;) {
      const records = await this.readLog(this.resolved + 1, undefined, PAGE);
      let gap = false;
      for (const record of records) {
        if (record.revision !== this.resolved + 1) {
          gap = true;
          break;
        }
        this.append(record);
      }
      if (!gap && records.length === PAGE) continue;
      if (gap || this.resolved < target) {
        await this.resolveGap(this.resolved + 1);
        if (this.resolved < target || gap) continue;
      }
      break;
    }
    this.gapSeenAt.clear();
    await this.writeWatermark();
  }

  /**
   * A missing revision below a present one (or below the counter): waits for it until the gap
   * timeout, then fills it. Returns after one wait or fill; the caller reads again.
   */
  private async resolveGap(revision: number): Promise<void> {
    const seen = this.gapSeenAt.get(revision) ?? Date.now();
    this.gapSeenAt.set(revision, seen);
    if (Date.now() - seen < this.gapTimeoutMs) {
      await delay(Math.min(this.pollIntervalMs, 50));
      return;
    }
    await this.skip(revision);
  }

  private async start(): Promise<void> {
    const answer = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: RESOLVED_WATERMARK_KEY, ConsistentRead: true }),
    );
    this.resolved = Number(answer.Item?.[COUNTER_VALUE]?.N ?? '0');
    this.watermarkWritten = this.resolved;
    this.windowFirst = this.resolved + 1;
  }

  private append(record: LogRecord): void {
    this.window.push(record);
    this.resolvedAt.push(Date.now());
    this.resolved = record.revision;
    if (this.window.length > this.windowRecords) {
      const drop = this.window.length - this.windowRecords;
      this.window.splice(0, drop);
      this.resolvedAt.splice(0, drop);
      this.windowFirst += drop;
    }
    for (const listener of this.listeners) listener();
  }

  /**
   * Records `from`..`to` from the table, which must all be there: they are at or below the
   * resolved point, so a missing one was removed by DynamoDB's TTL and the caller is answered 410.
   */
  private async readHistory(from: number, to: number): Promise<LogRecord[]> {
    const records = await this.readLog(from, to, PAGE);
    records.forEach((record, i) => {
      if (record.revision !== from + i) throw new ExpiredError(from - 1, this.windowFirst - 1);
    });
    if (records.length === 0) throw new ExpiredError(from - 1, this.windowFirst - 1);
    return records;
  }

  private async readLog(from: number, to: number | undefined, limit: number): Promise<LogRecord[]> {
    const answer = await this.client.send(
      new QueryCommand({ ...logQuery(this.tableName, from, to), Limit: limit }),
    );
    return (answer.Items ?? []).map((item: Item) => recordOfLogItem(item));
  }

  /** Records the resolved point for cold readers, at most every few seconds, only ever upwards. */
  private async writeWatermark(): Promise<void> {
    if (
      this.resolved <= this.watermarkWritten ||
      Date.now() - this.watermarkWrittenAt < WATERMARK_INTERVAL_MS
    )
      return;
    const value = this.resolved;
    this.watermarkWrittenAt = Date.now();
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: RESOLVED_WATERMARK_KEY,
          UpdateExpression: 'SET #value = :value',
          ConditionExpression: 'attribute_not_exists(#value) OR #value < :value',
          ExpressionAttributeNames: { '#value': COUNTER_VALUE },
          ExpressionAttributeValues: { ':value': { N: String(value) } },
        }),
      );
      this.watermarkWritten = value;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** While anyone follows, reads the log every poll interval (one loop per process). */
  private ensurePolling(): void {
    this.polling ??= (async () => {
      try {
        while (this.followers > 0) {
          await this.advanceTo(0).catch((error: unknown) => console.error('change log read failed', error));
          await delay(this.pollIntervalMs);
        }
      } finally {
        this.polling = undefined;
      }
    })();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
