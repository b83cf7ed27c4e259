import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { itemSize } from '../../lib/local/stream/item-size';
import { TABLE } from '../../lib/store/table-schema';

type Item = Record<string, AttributeValue>;

/** Writes sent to DynamoDB, split by whose items they touch. */
export interface DynamoWrites {
  /** Calls that write at all (PutItem, UpdateItem, DeleteItem, TransactWriteItems, BatchWriteItem). */
  requests: number;
  /** Of those, calls that touch a change-log item (partition key starting with `~`). */
  logRequests: number;
  /** Item writes to objects (a transaction or batch counts each of its items). */
  objectItems: number;
  /** Item writes to change-log items. */
  logItems: number;
  /** Item writes made inside TransactWriteItems (DynamoDB bills them twice). */
  transactional: number;
  /** Write capacity units as DynamoDB bills them, for objects and for the log (see writeUnits). */
  objectUnits: number;
  logUnits: number;
}

/** One item write of a command: its key or item, and the item when the command holds it whole. */
interface ItemWrite {
  key: Item | undefined;
  put?: Item;
}

/**
 * Counts every write any DynamoDBClient of this process sends until `stop()` is called, by
 * wrapping the client class's `send`. The store keeps its client to itself, and a benchmark must
 * count what it really sends: this sees every call without the store knowing it is measured.
 */
export function countDynamoWrites(): { writes: DynamoWrites; stop(): void } {
  const writes: DynamoWrites = {
    requests: 0,
    logRequests: 0,
    objectItems: 0,
    logItems: 0,
    transactional: 0,
    objectUnits: 0,
    logUnits: 0,
  };
  const prototype = DynamoDBClient.prototype as unknown as { send: (...args: unknown[]) => unknown };
  const hadOwn = Object.prototype.hasOwnProperty.call(prototype, 'send');
  const original = prototype.send;
  prototype.send = function (this: unknown, ...args: unknown[]) {
    const command = args[0];
    const items = itemWritesOf(command);
    if (items) {
      const transactional = command instanceof TransactWriteItemsCommand;
      writes.requests++;
      if (items.some(isLogWrite)) writes.logRequests++;
      for (const item of items) {
        const units = writeUnits(item, transactional);
        if (isLogWrite(item)) {
          writes.logItems++;
          writes.logUnits += units;
        } else {
          writes.objectItems++;
          writes.objectUnits += units;
        }
        if (transactional) writes.transactional++;
      }
    }
    return original.apply(this, args);
  };
  return {
    writes,
    stop: () => {
      if (hadOwn) prototype.send = original;
      else delete (prototype as { send?: unknown }).send;
    },
  };
}

/** The item writes of a command, or undefined when it writes nothing. */
function itemWritesOf(command: unknown): ItemWrite[] | undefined {
  if (command instanceof PutItemCommand) return [{ key: command.input.Item, put: command.input.Item }];
  if (command instanceof UpdateItemCommand || command instanceof DeleteItemCommand)
    return [{ key: command.input.Key }];
  if (command instanceof TransactWriteItemsCommand)
    return (command.input.TransactItems ?? [])
      .filter((t) => !t.ConditionCheck)
      .map((t) => ({ key: t.Put?.Item ?? t.Update?.Key ?? t.Delete?.Key, put: t.Put?.Item }));
  if (command instanceof BatchWriteItemCommand)
    return Object.values(command.input.RequestItems ?? {}).flatMap((requests) =>
      requests.map((r) => ({ key: r.PutRequest?.Item ?? r.DeleteRequest?.Key, put: r.PutRequest?.Item })),
    );
  return undefined;
}

function isLogWrite(write: ItemWrite): boolean {
  return write.key?.[TABLE.partitionKey]?.S?.startsWith('~') === true;
}

/**
 * DynamoDB's price of an item write: one unit per KB of the item (rounded up), twice inside a
 * transaction. A put's size is known; an update's or delete's is the stored item's, which the
 * command does not hold: it counts as one KB (true of the log's counters and of small objects).
 */
function writeUnits(write: ItemWrite, transactional: boolean): number {
  const units = write.put ? Math.max(1, Math.ceil(itemSize(write.put) / 1024)) : 1;
  return transactional ? 2 * units : units;
}
