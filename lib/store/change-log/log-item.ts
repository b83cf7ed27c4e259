import {
  ConditionalCheckFailedException,
  PutItemCommand,
  type DynamoDBClient,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { KubeObject } from '../../kinds/meta';
import type { Item } from '../object-item';
import { bodyAttribute, bodyOf } from '../stored-body';
import { TABLE, TTL_ATTRIBUTE } from '../table-schema';
import {
  isSkipped,
  type ChangeEntry,
  type ChangeType,
  type LogRecord,
  type SelectableView,
} from './change-entry';

/**
 * How change-log records live in the object table, beside the objects. Their partition keys start
 * with `~`, which no object key can (object keys start with their group, see object-item.ts), and
 * they carry none of the index attributes (`kindKey`, `nodeName`, ...): no index and no reconciler
 * stream filter ever sees them.
 *
 * - The log: partition `~log`, sort key the revision as 16 zero-padded digits (so the string order
 *   is the numeric order), one item per revision.
 * - The revision counter (`~revision`) and the resolved watermark (`~resolved`): one item each,
 *   the number in `value`.
 */
export const LOG_PARTITION = '~log';
export const REVISION_COUNTER_KEY: Item = {
  [TABLE.partitionKey]: { S: '~revision' },
  [TABLE.sortKey]: { S: '~revision' },
};
export const RESOLVED_WATERMARK_KEY: Item = {
  [TABLE.partitionKey]: { S: '~resolved' },
  [TABLE.sortKey]: { S: '~resolved' },
};
export const COUNTER_VALUE = 'value';

/** Attributes of a log item (besides pk and sk). */
const LOG = {
  type: 'type',
  kindKey: 'logKind',
  namespace: 'logNamespace',
  name: 'logName',
  body: TABLE.body,
  bodyGzipped: TABLE.bodyGzipped,
  previous: 'previous',
  /** The revision the write was conditional on replacing (PreparedWrite.replaces). */
  replaces: 'replaces',
  /**
   * The change type of a record written ahead of its object write, held here in place of `type`
   * until a writer or reader marks the record skipped (see logItemOf).
   */
  unconfirmed: 'unconfirmed',
} as const;

/** The log attributes the change log's conditions and queries name. */
export const LOG_ATTRIBUTES = { replaces: LOG.replaces };

const SKIPPED = 'SKIPPED';

/**
 * A log item as read: its record, the revision its write replaced (when it names one), and whether
 * it was written ahead of its object write and not yet confirmed: such a record's write may have
 * landed, may still land, or never will, and a reader resolves it (pending-records.ts).
 */
export interface StoredRecord {
  record: LogRecord;
  replaces?: number;
  unconfirmed?: boolean;
}

/** Whether a table item belongs to the log machinery rather than being an object. */
export function isLogMachineryItem(item: Item): boolean {
  return item[TABLE.partitionKey]?.S?.startsWith('~') === true;
}

/** The sort key of revision `revision` in the log partition. */
export function logSortKey(revision: number): string {
  return String(revision).padStart(16, '0');
}

/**
 * A consistent Query of the log records from revision `from` on (through `to` when given), in
 * revision order: how both change logs read the log back.
 */
export function logQuery(tableName: string, from: number, to?: number): QueryCommandInput {
  const range = to === undefined ? '#sk >= :from' : '#sk BETWEEN :from AND :to';
  return {
    TableName: tableName,
    KeyConditionExpression: `#pk = :pk AND ${range}`,
    ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#sk': TABLE.sortKey },
    ExpressionAttributeValues: {
      ':pk': { S: LOG_PARTITION },
      ':from': { S: logSortKey(from) },
      ...(to === undefined ? {} : { ':to': { S: logSortKey(to) } }),
    },
    ConsistentRead: true,
  };
}

/** The primary key of the log record at `revision`. */
export function logKeyOf(revision: number): Item {
  return { [TABLE.partitionKey]: { S: LOG_PARTITION }, [TABLE.sortKey]: { S: logSortKey(revision) } };
}

/**
 * The item for `record`. `body` is the object's JSON when the caller has it already (the store
 * serialized it for the object's own item). `retentionSeconds` sets the TTL: DynamoDB removes the
 * record some time after it (its TTL deletes lag by up to days; readers never depend on them).
 */
export function logItemOf(
  record: LogRecord,
  retentionSeconds: number,
  now: number,
  body?: string,
  write: { replaces?: number; unconfirmed?: boolean } = {},
): Item {
  const item: Item = {
    ...logKeyOf(record.revision),
    [TTL_ATTRIBUTE]: { N: String(Math.floor(now / 1000) + retentionSeconds) },
  };
  if (isSkipped(record)) return { ...item, [LOG.type]: { S: SKIPPED } };
  // An unconfirmed record keeps its type under `unconfirmed` and has no `type`: a reader that
  // predates unconfirmed records (one still serving while a deploy rolls out) fails on it and
  // retries, rather than delivering a change that may never land.
  item[write.unconfirmed ? LOG.unconfirmed : LOG.type] = { S: record.type };
  item[LOG.kindKey] = { S: record.kindKey };
  item[LOG.namespace] = { S: record.namespace };
  item[LOG.name] = { S: record.name };
  Object.assign(
    item,
    bodyAttribute(body ?? JSON.stringify(record.object), { plain: LOG.body, gzipped: LOG.bodyGzipped }),
  );
  if (record.previous) item[LOG.previous] = { S: JSON.stringify(withoutIdentity(record.previous)) };
  if (write.replaces !== undefined) item[LOG.replaces] = { N: String(write.replaces) };
  return item;
}

/** The stored record a log item holds (see recordOfLogItem). */
export function storedRecordOfLogItem(item: Item): StoredRecord {
  const replaces = item[LOG.replaces]?.N;
  return {
    record: recordOfLogItem(item),
    ...(replaces === undefined ? {} : { replaces: Number(replaces) }),
    ...(item[LOG.unconfirmed] ? { unconfirmed: true } : {}),
  };
}

/** The record a log item holds. Throws when the item is not one this module wrote. */
export function recordOfLogItem(item: Item): LogRecord {
  const revision = Number(item[TABLE.sortKey]?.S);
  const type = item[LOG.type]?.S ?? item[LOG.unconfirmed]?.S;
  if (!Number.isSafeInteger(revision) || type === undefined)
    throw new Error(`not a change-log item: ${item[TABLE.partitionKey]?.S}/${item[TABLE.sortKey]?.S}`);
  if (type === SKIPPED) return { revision, skipped: true };
  const object = JSON.parse(
    bodyOf(item, { plain: LOG.body, gzipped: LOG.bodyGzipped }) ?? 'null',
  ) as KubeObject;
  const previous = item[LOG.previous]?.S;
  const entry: ChangeEntry = {
    revision,
    type: type as ChangeType,
    kindKey: item[LOG.kindKey]?.S ?? '',
    namespace: item[LOG.namespace]?.S ?? '',
    name: item[LOG.name]?.S ?? '',
    object,
  };
  if (previous) entry.previous = withIdentity(JSON.parse(previous) as SelectableView, entry);
  return entry;
}

/**
 * An update's previous view without the object's name and namespace: an update never changes
 * them, and the record holds them already. Every byte counts: a write unit covers 1 KB of record.
 */
function withoutIdentity(view: SelectableView): SelectableView {
  const { 'metadata.name': _name, 'metadata.namespace': _namespace, ...fields } = view.fields;
  return { ...view, fields };
}

/** The previous view as selectors read it, its name and namespace the record's (see withoutIdentity). */
function withIdentity(view: SelectableView, entry: ChangeEntry): SelectableView {
  return {
    ...view,
    fields: { 'metadata.name': entry.name, 'metadata.namespace': entry.namespace, ...view.fields },
  };
}

/**
 * Writes revision `revision`'s record as skipped, over an empty slot (a gap filled, a revision its
 * writer gave up) or over an unconfirmed record (a write that can never land). True when it wrote
 * it; false when the slot held something else already.
 */
export async function putSkippedRecord(
  client: DynamoDBClient,
  tableName: string,
  revision: number,
  retentionSeconds: number,
  over: 'empty' | 'unconfirmed',
): Promise<boolean> {
  try {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: logItemOf({ revision, skipped: true }, retentionSeconds, Date.now()),
        ...(over === 'empty'
          ? {
              ConditionExpression: 'attribute_not_exists(#pk)',
              ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
            }
          : {
              ConditionExpression: 'attribute_exists(#unconfirmed)',
              ExpressionAttributeNames: { '#unconfirmed': LOG.unconfirmed },
            }),
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
