import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionConflictException,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
  type KeysAndAttributes,
} from '@aws-sdk/client-dynamodb';
import type { KubeObject } from '../../kinds/meta';
import { BODY, resourceVersionOf, type Item } from '../object-item';
import { bodyOf } from '../stored-body';
import { TABLE } from '../table-schema';
import { isSkipped, type ChangeEntry, type LogRecord } from './change-entry';
import { LOG_ATTRIBUTES, logQuery, putSkippedRecord, type StoredRecord } from './log-item';

/** What a reader makes of an unconfirmed record's write. */
type Outcome = 'committed' | 'never' | 'in-flight';

/** What resolving consecutive records gave: the records up to the first write still in flight. */
export interface Resolved {
  records: LogRecord[];
  /** The revision of a write still in flight, not given up on yet: the records stop before it. */
  inFlight?: number;
}

/** DynamoDB's limit of keys in one BatchGetItem. */
const BATCH_GET_KEYS = 100;

/**
 * Resolves the change log's unconfirmed records: updates whose record was written ahead of the
 * object write, with nothing confirming it afterwards (the write costs 3 units instead of the 5
 * of a transaction). A reader reads the object, consistently:
 *
 * - at the record's revision: the write landed;
 * - at the revision the write replaces: it is in flight, or its writer died. After the gap timeout
 *   the reader fences it (`fence` on the object, which the writer's condition checks), so it can
 *   never land, and marks the record skipped;
 * - anything else, or gone: the write can never land (revisions only grow, so the object never
 *   returns to the one it replaces). It landed if and only if a later record replaces its revision,
 *   since a writer only names a revision it read.
 *
 * docs/watch.md holds the whole argument.
 */
export class UnconfirmedRecords {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly recordTtlSeconds: number,
  ) {}

  /**
   * Resolves consecutive `records` in order. `giveUp(revision)` says whether a write in flight has
   * been waited for long enough to fence; when it says no, the result stops before that record.
   * `context` is every record read with them: a later one naming a revision proves it landed.
   */
  async resolve(
    records: StoredRecord[],
    giveUp: (revision: number) => boolean,
    context: StoredRecord[] = records,
  ): Promise<Resolved> {
    const unconfirmed = records.filter((stored) => stored.unconfirmed && !isSkipped(stored.record));
    const objects = await this.readObjects(unconfirmed.map((stored) => stored.record as ChangeEntry));
    const resolved: LogRecord[] = [];
    for (const stored of records) {
      if (!stored.unconfirmed || isSkipped(stored.record)) {
        resolved.push(stored.record);
        continue;
      }
      const entry = stored.record as ChangeEntry;
      const replaces = stored.replaces ?? 0;
      const object = objects.get(objectKeyOf(entry));
      let outcome = await this.outcome(entry, replaces, object, context);
      if (outcome === 'in-flight') {
        if (!giveUp(entry.revision)) return { records: resolved, inFlight: entry.revision };
        outcome = await this.fence(entry, replaces, object, context);
      }
      if (outcome === 'committed') {
        resolved.push(entry);
        continue;
      }
      await this.markSkipped(entry.revision);
      resolved.push({ revision: entry.revision, skipped: true });
    }
    return { records: resolved };
  }

  /** Marks an unconfirmed record skipped (its write can never land), unless already marked. */
  async markSkipped(revision: number): Promise<void> {
    await putSkippedRecord(this.client, this.tableName, revision, this.recordTtlSeconds, 'unconfirmed');
  }

  private async outcome(
    entry: ChangeEntry,
    replaces: number,
    object: Item | undefined,
    context: StoredRecord[],
  ): Promise<Outcome> {
    const current = object && resourceVersionOf(object);
    if (current === entry.revision) return 'committed';
    if (current === replaces) return object && fenceOf(object) >= entry.revision ? 'never' : 'in-flight';
    if (context.some((stored) => stored.replaces === entry.revision)) return 'committed';
    // The write after it is no later than the object's revision now, if the object is the one it
    // wrote: a create racing a delete can land below the deletion's revision, so another
    // incarnation's revision bounds nothing.
    const sameObject = object !== undefined && uidOfItem(object) === entry.object.metadata.uid;
    return (await this.replacedLater(entry.revision, sameObject ? current : undefined))
      ? 'committed'
      : 'never';
  }

  /**
   * Settles a writer's own update after its object write failed: the SDK retries a put after a
   * transient error, and an earlier attempt may have landed, or may still land. Whether it landed
   * (as a reader would decide, fencing it first if the object is still at the revision it
   * replaces), and whether the object is still there (the write was refused or fenced, not beaten).
   */
  async settle(entry: ChangeEntry, replaces: number): Promise<{ landed: boolean; unmoved: boolean }> {
    const key = objectItemKeyOf(entry);
    const object = await this.readObject(key);
    let outcome = await this.outcome(entry, replaces, object, []);
    if (outcome === 'in-flight') outcome = await this.fence(entry, replaces, object, []);
    if (outcome === 'committed') return { landed: true, unmoved: false };
    const now = await this.readObject(key);
    return { landed: false, unmoved: now !== undefined && resourceVersionOf(now) === replaces };
  }

  /**
   * Fences a write in flight: puts the object back with its fence at the write's revision, if the
   * object is still at the revision the write replaces (so nothing else of it can differ). A put
   * rather than an update: the store's grant allows UpdateItem only on the log's counters. When it
   * fails, the object moved meanwhile: resolved again.
   */
  private async fence(
    entry: ChangeEntry,
    replaces: number,
    object: Item | undefined,
    context: StoredRecord[],
  ): Promise<Outcome> {
    let current = object;
    for (;;) {
      if (!current) return this.outcome(entry, replaces, current, context);
      try {
        await this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: { ...current, [TABLE.fence]: { N: String(entry.revision) } },
            ConditionExpression: '#rv = :replaces AND (attribute_not_exists(#fence) OR #fence < :revision)',
            ExpressionAttributeNames: { '#fence': TABLE.fence, '#rv': TABLE.resourceVersion },
            ExpressionAttributeValues: {
              ':revision': { N: String(entry.revision) },
              ':replaces': { N: String(replaces) },
            },
          }),
        );
        return 'never';
      } catch (error) {
        // A failed condition, or a transaction on the object at that moment: look again.
        const refused =
          error instanceof ConditionalCheckFailedException || error instanceof TransactionConflictException;
        if (!refused) throw error;
      }
      current = await this.readObject(objectItemKeyOf(entry));
      const outcome = await this.outcome(entry, replaces, current, context);
      if (outcome !== 'in-flight') return outcome;
    }
  }

  /**
   * Whether a record after `revision` (up to `upTo`, the object's revision now, when it has one)
   * names it as the revision its write replaced.
   */
  private async replacedLater(revision: number, upTo: number | undefined): Promise<boolean> {
    if (upTo !== undefined && upTo <= revision) return false;
    let startKey: Item | undefined;
    do {
      const answer = await this.client.send(
        new QueryCommand({
          ...withFilter(logQuery(this.tableName, revision + 1, upTo), revision),
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      if ((answer.Count ?? 0) > 0) return true;
      startKey = answer.LastEvaluatedKey;
    } while (startKey);
    return false;
  }

  /** The objects the entries wrote, by objectKeyOf, read consistently in batches. */
  private async readObjects(entries: ChangeEntry[]): Promise<Map<string, Item>> {
    const objects = new Map<string, Item>();
    const keys = [...new Map(entries.map((entry) => [objectKeyOf(entry), objectItemKeyOf(entry)])).values()];
    for (let i = 0; i < keys.length; i += BATCH_GET_KEYS) {
      let request: KeysAndAttributes | undefined = {
        Keys: keys.slice(i, i + BATCH_GET_KEYS),
        ConsistentRead: true,
      };
      while (request?.Keys?.length) {
        const answer: BatchGetItemCommandOutput = await this.client.send(
          new BatchGetItemCommand({ RequestItems: { [this.tableName]: request } }),
        );
        for (const item of answer.Responses?.[this.tableName] ?? [])
          objects.set(`${item[TABLE.partitionKey]?.S}\u0000${item[TABLE.sortKey]?.S}`, item);
        request = answer.UnprocessedKeys?.[this.tableName];
      }
    }
    return objects;
  }

  private async readObject(key: Item): Promise<Item | undefined> {
    const answer = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return answer.Item;
  }
}

/** The primary key of the object a change was written to (object-item.ts keyOf). */
function objectItemKeyOf(entry: ChangeEntry): Item {
  return {
    [TABLE.partitionKey]: { S: `${entry.kindKey}#${entry.namespace}` },
    [TABLE.sortKey]: { S: entry.name },
  };
}

function objectKeyOf(entry: ChangeEntry): string {
  return `${entry.kindKey}#${entry.namespace}\u0000${entry.name}`;
}

/** The uid of the object an item holds; undefined when its body does not read. */
function uidOfItem(item: Item): string | undefined {
  try {
    return (JSON.parse(bodyOf(item, BODY) ?? 'null') as KubeObject | null)?.metadata?.uid;
  } catch {
    return undefined;
  }
}

function fenceOf(object: Item): number {
  return Number(object[TABLE.fence]?.N ?? '0');
}

function withFilter(query: ReturnType<typeof logQuery>, replaced: number): ReturnType<typeof logQuery> {
  return {
    ...query,
    FilterExpression: '#replaces = :replaced',
    ExpressionAttributeNames: { ...query.ExpressionAttributeNames, '#replaces': LOG_ATTRIBUTES.replaces },
    ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ':replaced': { N: String(replaced) } },
  };
}
