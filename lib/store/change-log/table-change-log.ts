import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactionConflictException,
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
  type WriteCondition,
} from './change-log';
import {
  COUNTER_VALUE,
  RESOLVED_WATERMARK_KEY,
  REVISION_COUNTER_KEY,
  logItemOf,
  logQuery,
  putSkippedRecord,
  storedRecordOfLogItem,
  type StoredRecord,
} from './log-item';
import { UnconfirmedRecords } from './unconfirmed-records';
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
  /**
   * Called after an update's record is written ahead of its object write: a test throws here to
   * play a writer that dies in between, or waits to play one that stalls past the gap timeout.
   */
  afterRecordWritten?: (revision: number) => void | Promise<void>;
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
  private readonly afterRecordWritten?: (revision: number) => void | Promise<void>;
  private readonly unconfirmed: UnconfirmedRecords;

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
    this.afterRecordWritten = options.afterRecordWritten;
    this.unconfirmed = new UnconfirmedRecords(this.client, this.tableName, this.recordTtlSeconds);
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
      const retry =
        write.put && write.replaces !== undefined && !write.expires
          ? await this.writeAhead(write, revision)
          : await this.transact(write, revision);
      if (retry && attempt < MAX_COMMIT_ATTEMPTS) continue;
      if (retry) throw retry;
      committed?.();
      return;
    }
  }

  /**
   * Commits a create, a delete or an update of an expiring object (PreparedWrite.expires) with its
   * record in one transaction (5 units for a small object).
   * Returns the error to retry at a new revision after, or nothing once committed.
   */
  private async transact(write: PreparedWrite, revision: number): Promise<Error | undefined> {
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [this.objectOperation(write), this.recordPut(write)],
        }),
      );
      return undefined;
    } catch (error) {
      // Any other failure leaves the outcome unknown (the transaction may have committed): the
      // readers resolve the revision, by reading the record or, after the gap timeout, filling it.
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [objectReason, recordReason] = error.CancellationReasons ?? [];
      await this.skip(revision);
      if (objectReason?.Code === 'ConditionalCheckFailed') throw conditionFailed();
      const retryable =
        recordReason?.Code === 'ConditionalCheckFailed' ||
        (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict');
      if (retryable) return error;
      throw error;
    }
  }

  /**
   * Commits an update without a transaction (3 units for a small object): its record, unconfirmed,
   * then the object, conditional on the revision it replaces and on no reader having fenced this
   * revision. Nothing confirms the record; readers resolve it (unconfirmed-records.ts). A write
   * that fails its condition marks its record skipped, sparing readers the look.
   */
  private async writeAhead(write: PreparedWrite, revision: number): Promise<Error | undefined> {
    const put = write.put;
    if (!put) throw new Error('a write ahead of its record needs a put');
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: logItemOf(write.entry, this.recordTtlSeconds, Date.now(), write.body, {
            replaces: write.replaces,
            unconfirmed: true,
          }),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
        }),
      );
    } catch (error) {
      // A reader filled the slot while this writer was slow: the revision is gone, take another.
      if (error instanceof ConditionalCheckFailedException) return givenAway(revision);
      throw error;
    }
    await this.afterRecordWritten?.(revision);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: put.item,
          ...unfenced(put.condition, revision),
        }),
      );
      return undefined;
    } catch (error) {
      // A failed condition, or a transaction (a delete) on the object at that moment. Any other
      // failure leaves the outcome unknown: the readers resolve the record.
      const refused = error instanceof TransactionConflictException;
      if (!refused && !(error instanceof ConditionalCheckFailedException)) throw error;
      // The condition may have failed against this very write: the SDK retried the put after a
      // transient error, and the first attempt had landed. Settle it as a reader would.
      const { landed, unmoved } = await this.unconfirmed.settle(write.entry, write.replaces ?? 0);
      if (landed) return undefined;
      await this.unconfirmed.markSkipped(revision);
      // Still at the revision it replaces: refused or fenced, so try again at a new revision.
      if (unmoved) return refused ? error : givenAway(revision);
      throw conditionFailed();
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
        Item: logItemOf(write.entry, this.recordTtlSeconds, Date.now(), write.body, {
          replaces: write.replaces,
        }),
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
      },
    };
  }

  /** Fills `revision`'s slot as skipped unless something is there already; true when it filled it. */
  private skip(revision: number): Promise<boolean> {
    return putSkippedRecord(this.client, this.tableName, revision, this.recordTtlSeconds, 'empty');
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
      const stored = await this.readLog(this.resolved + 1, undefined, PAGE);
      const dense = stored.findIndex((record, i) => record.record.revision !== this.resolved + 1 + i);
      const gap = dense >= 0;
      const { records, inFlight } = await this.unconfirmed.resolve(
        gap ? stored.slice(0, dense) : stored,
        (revision) => this.waitedOut(revision),
        stored,
      );
      for (const record of records) this.append(record);
      if (inFlight !== undefined) {
        await delay(Math.min(this.pollIntervalMs, 50));
        continue;
      }
      if (!gap && stored.length === PAGE) continue;
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
   * Whether a missing revision, or a write in flight at it, has been waited for past the gap
   * timeout (timed from the first time this pass saw it).
   */
  private waitedOut(revision: number): boolean {
    const seen = this.gapSeenAt.get(revision) ?? Date.now();
    this.gapSeenAt.set(revision, seen);
    return Date.now() - seen >= this.gapTimeoutMs;
  }

  /**
   * A missing revision below a present one (or below the counter): waits for it until the gap
   * timeout, then fills it. Returns after one wait or fill; the caller reads again.
   */
  private async resolveGap(revision: number): Promise<void> {
    if (!this.waitedOut(revision)) {
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
    const stored = await this.readLog(from, to, PAGE);
    stored.forEach((record, i) => {
      if (record.record.revision !== from + i) throw new ExpiredError(from - 1, this.windowFirst - 1);
    });
    if (stored.length === 0) throw new ExpiredError(from - 1, this.windowFirst - 1);
    // Below the resolved point no write is in flight: one still unconfirmed is fenced at once.
    return (await this.unconfirmed.resolve(stored, () => true)).records;
  }

  private async readLog(from: number, to: number | undefined, limit: number): Promise<StoredRecord[]> {
    const answer = await this.client.send(
      new QueryCommand({ ...logQuery(this.tableName, from, to), Limit: limit }),
    );
    return (answer.Items ?? []).map((item: Item) => storedRecordOfLogItem(item));
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

/** The object's condition, and that no reader gave up on (fenced) the write at `revision`. */
function unfenced(condition: WriteCondition, revision: number): WriteCondition {
  return {
    ConditionExpression: `(${condition.ConditionExpression}) AND (attribute_not_exists(#fence) OR #fence < :fenceRevision)`,
    ExpressionAttributeNames: { ...condition.ExpressionAttributeNames, '#fence': TABLE.fence },
    ExpressionAttributeValues: {
      ...condition.ExpressionAttributeValues,
      ':fenceRevision': { N: String(revision) },
    },
  };
}

/** Why a write gave up after its revisions were given away (filled or fenced) too often. */
function givenAway(revision: number): Error {
  return new Error(
    `the change log gave revision ${revision} away: its writer was slower than the gap timeout`,
  );
}

function conditionFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
