import type { QueryCommandInput } from '@aws-sdk/client-dynamodb';
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
  /** When the record was written (ms since the epoch, the writer's clock; informational). */
  writtenAt: 'writtenAt',
} as const;

const SKIPPED = 'SKIPPED';

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
export function logItemOf(record: LogRecord, retentionSeconds: number, now: number, body?: string): Item {
  const item: Item = {
    ...logKeyOf(record.revision),
    [LOG.writtenAt]: { N: String(now) },
    [TTL_ATTRIBUTE]: { N: String(Math.floor(now / 1000) + retentionSeconds) },
  };
  if (isSkipped(record)) return { ...item, [LOG.type]: { S: SKIPPED } };
  item[LOG.type] = { S: record.type };
  item[LOG.kindKey] = { S: record.kindKey };
  item[LOG.namespace] = { S: record.namespace };
  item[LOG.name] = { S: record.name };
  Object.assign(
    item,
    bodyAttribute(body ?? JSON.stringify(record.object), { plain: LOG.body, gzipped: LOG.bodyGzipped }),
  );
  if (record.previous) item[LOG.previous] = { S: JSON.stringify(record.previous) };
  return item;
}

/** The record a log item holds. Throws when the item is not one this module wrote. */
export function recordOfLogItem(item: Item): LogRecord {
  const revision = Number(item[TABLE.sortKey]?.S);
  const type = item[LOG.type]?.S;
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
  if (previous) entry.previous = JSON.parse(previous) as SelectableView;
  return entry;
}
