import {
  BatchWriteItemCommand,
  QueryCommand,
  type DynamoDBClient,
  type BatchWriteItemCommandOutput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { KubeObject } from '../../kinds/meta';
import { ExpiredError, ResourceVersionTooLargeError } from '../errors';
import type { Item } from '../object-item';
import { isSkipped, type ChangeEntry, type LogRecord } from './change-entry';
import {
  LOG_RETENTION_SECONDS,
  type ChangeBatch,
  type ChangeFeed,
  type ChangeWriter,
  type PreparedWrite,
} from './change-log';
import { logItemOf, logKeyOf, logQuery, recordOfLogItem } from './log-item';
import { sendObjectWrite } from './object-write';
import { changedOrAborted } from './wait-for-change';

/** One object as the table holds it, for the replay at start (see LocalChangeLog.open). */
export interface StoredObject {
  kindKey: string;
  namespace: string;
  name: string;
  object: KubeObject;
}

export interface LocalChangeLogOptions {
  client: DynamoDBClient;
  tableName: string;
  /** How long records are served and kept in the table (default 24 hours). */
  retentionSeconds?: number;
  /** At most this many records are kept in memory (default 200,000); older ones answer 410. */
  maxRecords?: number;
  /** The clock records are stamped and expired with (ms since the epoch). */
  now?: () => number;
  /**
   * Called after a write's object is in the table and before its record is: a test throws here to
   * play the process dying at the one point that leaves the table ahead of the log. The log then
   * commits nothing more, as a dead process would not.
   */
  afterObjectWritten?: (revision: number) => void;
}

/** Most records one `follow` batch carries. */
const BATCH = 500;
/** Most writes committed as one group: the records of a group are one BatchWriteItem. */
const GROUP = 25;

/** A write waiting for its group. */
interface PendingCommit {
  prepare: (revision: number) => PreparedWrite;
  committed?: () => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** How one write of a group went: its prepared write once its object is in the table, or why not. */
interface CommitOutcome {
  revision: number;
  write?: PreparedWrite;
  error?: unknown;
}

/**
 * The change log of the local control plane, where this process is the table's only writer.
 *
 * Writes are committed in groups (see commitGroup): each takes the next revision, the group's
 * objects are written, then its records, and only then are the records appended in memory and the
 * store's mirror updated, in revision order, in one synchronous step. So the mirror always holds
 * exactly the state at the log's head, and a list read from it is a snapshot at that revision. One
 * writer in one process leaves nothing to wait for or fill: a revision whose write failed is
 * simply recorded as skipped.
 *
 * The records are also written to the table (partition `~log`), so a restart replays them; `open`
 * then repairs the records a crash can keep from the table (the last group's: objects written,
 * records not yet) by comparing the log with the objects. Watches are served from memory.
 * docs/watch.md holds the argument.
 */
export class LocalChangeLog implements ChangeWriter, ChangeFeed {
  /** Dense: records[i].revision === first + i. */
  private records: LogRecord[] = [];
  /** When each record was committed (ms), parallel to `records`, for expiry. */
  private committedAt: number[] = [];
  private first = 1;
  private last = 0;
  private pending: PendingCommit[] = [];
  private draining = false;
  private readonly listeners = new Set<() => void>();
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly retentionSeconds: number;
  private readonly maxRecords: number;
  private readonly now: () => number;
  private readonly afterObjectWritten?: (revision: number) => void;
  /** Set when afterObjectWritten threw: a dead process commits nothing more. */
  private stopped = false;

  private constructor(options: LocalChangeLogOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.retentionSeconds = options.retentionSeconds ?? LOG_RETENTION_SECONDS;
    this.maxRecords = options.maxRecords ?? 200_000;
    this.now = options.now ?? Date.now;
    this.afterObjectWritten = options.afterObjectWritten;
  }

  /**
   * Replays the log the table holds and repairs it against `objects` (every object in the table):
   * - an object whose resourceVersion is above the last record was written by a write whose record
   *   a crash kept from the table: its record (ADDED, or MODIFIED when the log knew it) is added;
   * - a key whose last record is not a deletion but that holds no object lost its DELETED record
   *   the same way: one is added at the next revision.
   * Only the last group of writes before a crash can be affected, and none of it was shown to
   * anyone. Revisions missing between records were skipped (their writes failed).
   */
  static async open(
    options: LocalChangeLogOptions,
    objects: Iterable<StoredObject>,
  ): Promise<LocalChangeLog> {
    const log = new LocalChangeLog(options);
    const stored = await log.readTableLog();
    const latest = new Map<string, ChangeEntry>();
    for (const record of stored) {
      log.place(record, log.now());
      if (!isSkipped(record)) latest.set(objectKey(record), record);
    }
    const lastLogged = log.last;
    const repairs: ChangeEntry[] = [];
    const present = new Set<string>();
    let highest = lastLogged;
    for (const stored of objects) {
      const key = objectKey(stored);
      present.add(key);
      const revision = Number(stored.object.metadata.resourceVersion);
      highest = Math.max(highest, revision);
      if (lastLogged === 0 || !(revision > lastLogged)) continue;
      const known = latest.get(key);
      const type = known && known.type !== 'DELETED' ? 'MODIFIED' : 'ADDED';
      repairs.push({ ...identity(stored), revision, type, object: stored.object });
    }
    for (const [key, record] of latest) {
      if (record.type === 'DELETED' || present.has(key)) continue;
      const revision = ++highest;
      const object = {
        ...record.object,
        metadata: { ...record.object.metadata, resourceVersion: String(revision) },
      };
      repairs.push({ ...identity(record), revision, type: 'DELETED', object });
    }
    repairs.sort((a, b) => a.revision - b.revision);
    for (const record of repairs) log.place(record, log.now());
    await log.persist(repairs);
    if (highest > log.last) log.place({ revision: highest, skipped: true }, log.now());
    return log;
  }

  /** The revision the mirror's state is at: every change up to it is applied, none after. */
  headNow(): number {
    return this.last;
  }

  head(): Promise<number> {
    return Promise.resolve(this.last);
  }

  commit(prepare: (revision: number) => PreparedWrite, committed?: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ prepare, committed, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  async *follow(after: number, signal: AbortSignal): AsyncIterable<ChangeBatch> {
    if (after > this.last) throw new ResourceVersionTooLargeError(after, this.last);
    let next = after + 1;
    while (!signal.aborted) {
      if (next < this.first) throw new ExpiredError(next - 1, this.first - 1);
      if (next > this.last) {
        await changedOrAborted(this.listeners, signal);
        continue;
      }
      const start = next - this.first;
      const batch = this.records.slice(start, start + BATCH);
      next += batch.length;
      yield {
        entries: batch.filter((record): record is ChangeEntry => !isSkipped(record)),
        through: next - 1,
      };
    }
  }

  /**
   * Drops what is past retention (or over the record limit) from memory, and the expired records
   * from the table, as DynamoDB's TTL does on AWS. Answers how many records it dropped.
   */
  async expire(): Promise<number> {
    const cutoff = this.now() - this.retentionSeconds * 1000;
    let drop = 0;
    while (
      drop < this.records.length &&
      (this.committedAt[drop] < cutoff || this.records.length - drop > this.maxRecords)
    )
      drop++;
    if (drop === 0) return 0;
    const dropped = this.records.splice(0, drop);
    this.committedAt.splice(0, drop);
    this.first += drop;
    await this.writeBatches(dropped.map((record) => ({ DeleteRequest: { Key: logKeyOf(record.revision) } })));
    return drop;
  }

  /** Commits what is pending, a group at a time, until nothing is. */
  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.pending.length > 0) await this.commitGroup(this.pending.splice(0, GROUP));
    } finally {
      this.draining = false;
    }
  }

  /**
   * Commits a group of writes (group commit): each takes the next revision in turn and its object
   * write is sent, all at once; then their records go to the table in one batch; then all are
   * appended in memory and their mirror updates made, in revision order, in one synchronous step.
   * Writes in one group touch different objects (a second write of the same object was prepared
   * from the state before the group and fails its condition), so the order they complete in does
   * not matter. Nothing of a group is visible, to lists, watches or its writers, before all of it
   * is in the table, so a crash loses only records nobody saw: the restart repairs them from the
   * objects (`open`).
   */
  private async commitGroup(group: PendingCommit[]): Promise<void> {
    if (this.stopped) {
      for (const pending of group)
        pending.reject(new Error('the change log stopped: this process is playing dead'));
      return;
    }
    const first = this.last + 1;
    const outcomes = await Promise.all(
      group.map(async ({ prepare }, i): Promise<CommitOutcome> => {
        const revision = first + i;
        try {
          const write = prepare(revision);
          await sendObjectWrite(this.client, this.tableName, write);
          return { revision, write };
        } catch (error) {
          return { revision, error };
        }
      }),
    );
    const died = this.objectsWritten(outcomes);
    if (died) {
      group.forEach((pending, i) => pending.reject(outcomes[i].write ? died.error : outcomes[i].error));
      return;
    }
    // A failed write keeps its revision as skipped, in the table too: a client may have been told
    // it (a list's position), so a restart must never issue it again.
    const records: LogRecord[] = outcomes.map(
      (outcome) => outcome.write?.entry ?? { revision: outcome.revision, skipped: true },
    );
    try {
      await this.persist(
        records,
        outcomes.map((outcome) => outcome.write?.body),
      );
    } catch (error) {
      console.error(
        `change log: records ${first}-${this.last + group.length} not written to the table (repaired at restart)`,
        error,
      );
    }
    const at = this.now();
    outcomes.forEach((outcome, i) => {
      this.place(records[i], at);
      if (outcome.write) group[i].committed?.();
    });
    group.forEach((pending, i) =>
      outcomes[i].write ? pending.resolve() : pending.reject(outcomes[i].error),
    );
  }

  /** Tells the test seam of each object written; when it throws (the process died), the log stops. */
  private objectsWritten(outcomes: CommitOutcome[]): { error: unknown } | undefined {
    for (const outcome of outcomes) {
      if (!outcome.write) continue;
      try {
        this.afterObjectWritten?.(outcome.revision);
      } catch (error) {
        this.stopped = true;
        return { error };
      }
    }
    return undefined;
  }

  /** Appends `record` (the next revision or a later one: the revisions between are skipped). */
  private place(record: LogRecord, at: number): void {
    if (this.records.length === 0 || record.revision - this.last > this.maxRecords) {
      // Nothing to keep dense with (a fresh log, or objects written before the log existed):
      // start the log here; positions before it answer 410.
      this.records = [];
      this.committedAt = [];
      this.first = record.revision;
      this.last = record.revision - 1;
    }
    for (let revision = this.last + 1; revision < record.revision; revision++) {
      this.records.push({ revision, skipped: true });
      this.committedAt.push(at);
    }
    this.records.push(record);
    this.committedAt.push(at);
    this.last = record.revision;
    if (this.records.length > this.maxRecords) {
      const drop = this.records.length - this.maxRecords;
      this.records.splice(0, drop);
      this.committedAt.splice(0, drop);
      this.first += drop;
    }
    for (const listener of this.listeners) listener();
  }

  /** Writes records to the table (the records of one group, or repairs). */
  private persist(records: LogRecord[], bodies: (string | undefined)[] = []): Promise<void> {
    const now = this.now();
    return this.writeBatches(
      records.map((record, i) => ({
        PutRequest: { Item: logItemOf(record, this.retentionSeconds, now, bodies[i]) },
      })),
    );
  }

  /** Sends `requests` 25 to a BatchWriteItem, again until none is left unprocessed. */
  private async writeBatches(requests: WriteRequest[]): Promise<void> {
    for (let i = 0; i < requests.length; i += 25) {
      let batch: WriteRequest[] | undefined = requests.slice(i, i + 25);
      while (batch && batch.length > 0) {
        const answer: BatchWriteItemCommandOutput = await this.client.send(
          new BatchWriteItemCommand({ RequestItems: { [this.tableName]: batch } }),
        );
        batch = answer.UnprocessedItems?.[this.tableName];
      }
    }
  }

  private async readTableLog(): Promise<LogRecord[]> {
    const records: LogRecord[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({ ...logQuery(this.tableName, 0), ExclusiveStartKey: startKey }),
      );
      for (const item of page.Items ?? []) records.push(recordOfLogItem(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return records;
  }
}

function objectKey(ref: { kindKey: string; namespace: string; name: string }): string {
  return `${ref.kindKey}#${ref.namespace}/${ref.name}`;
}

function identity(ref: { kindKey: string; namespace: string; name: string }) {
  return { kindKey: ref.kindKey, namespace: ref.namespace, name: ref.name };
}
