import type { PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { Item } from '../object-item';
import type { ChangeEntry } from './change-entry';

/** The condition part of a conditional write. */
export type WriteCondition = Pick<
  PutItemCommandInput,
  'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
>;

/** One object write, ready to commit at the revision it was prepared for. */
export interface PreparedWrite {
  /** A conditional PutItem of the object's item... */
  put?: { item: Item; condition: WriteCondition };
  /** ...or a conditional DeleteItem of its key. */
  remove?: { key: Item; condition: WriteCondition };
  /** The log record the write commits with. */
  entry: ChangeEntry;
  /** The object's JSON, when the put already holds it (the log record reuses it). */
  body?: string;
  /**
   * The revision of the stored item the write is conditional on (none for a create). A writer only
   * ever names a revision it read, so a record naming it proves that revision was written: the
   * TableChangeLog resolves its unconfirmed records by this (docs/watch.md).
   */
  replaces?: number;
  /**
   * The object's item may vanish by DynamoDB's TTL (an Event), with no record of its removal: a
   * reader could not tell a write that landed before it from one that never did, so the
   * TableChangeLog commits its updates in a transaction.
   */
  expires?: boolean;
}

/**
 * Where the store commits its writes. Each write takes the next cluster-wide revision, which is
 * the object's new resourceVersion, and commits with its change-log record at that revision, so
 * that the log never disagrees with the table. Two implementations: LocalChangeLog for the local
 * control plane (one writer process) and TableChangeLog for many writers (Lambdas). docs/watch.md
 * argues why neither can lose or duplicate a change.
 */
export interface ChangeWriter {
  /**
   * Takes a revision, prepares the write for it, commits write and record, then calls `committed`
   * synchronously before anything else can read the log (the store updates its mirror there).
   * A write whose condition fails throws ConditionalCheckFailedException and its revision is
   * recorded as skipped; an error from `prepare` skips the revision too and is rethrown.
   */
  commit(prepare: (revision: number) => PreparedWrite, committed?: () => void): Promise<void>;
}

/** What watches read: the committed changes in revision order. */
export interface ChangeFeed {
  /**
   * A revision up to which every change is committed and readable: a watch "from now" starts
   * after it. Waits for writes in flight below the cluster's current revision.
   */
  head(): Promise<number>;
  /**
   * The changes after revision `after`, in revision order, in batches as they commit; ends when
   * `signal` aborts. Throws ExpiredError when the log no longer holds every change after `after`,
   * ResourceVersionTooLargeError when `after` is beyond the cluster's revision.
   */
  follow(after: number, signal: AbortSignal): AsyncIterable<ChangeBatch>;
}

/**
 * Consecutive records of the log: the changes among them, and the revision they end at (skipped
 * revisions have no change, so a batch may hold none and still move a follower forward).
 */
export interface ChangeBatch {
  entries: ChangeEntry[];
  through: number;
}

/** How long the change log keeps a record: at least as long as the table's stream (24 hours). */
export const LOG_RETENTION_SECONDS = 24 * 60 * 60;
