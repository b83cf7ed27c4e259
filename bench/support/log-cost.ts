import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConfigMapKind } from '../../lib/kinds/config-map';
import { decodeObject } from '../../lib/kinds/decode';
import type { KindInfo } from '../../lib/kinds/kind-info';
import { NamespaceKind } from '../../lib/kinds/namespace';
import { startEmbeddedDynamo } from '../../lib/local/embedded-dynamo';
import { LOCAL_TABLE_NAME, startLocalRuntime } from '../../lib/local/local-runtime';
import { itemSize } from '../../lib/local/stream/item-size';
import { TableChangeLog } from '../../lib/store/change-log/table-change-log';
import { createObjectTable } from '../../lib/store/create-object-table';
import { DynamoObjectStore, type ItemChange } from '../../lib/store/dynamo-object-store';
import { TABLE } from '../../lib/store/table-schema';
import { aNamespace } from '../../test/support/builders';
import { dynamoClient } from '../../test/support/dynamo-engines';
import { DYNAMODB_LOCAL_DIR, startDynamoDbLocal } from '../../test/support/engines/start-dynamodb-local';
import { configMapChanges, configMapOf } from './config-map-changes';
import { countDynamoWrites, type DynamoWrites } from './dynamo-write-counter';

/** What the change log adds to each mutation, beside the object's own write, with one change writer. */
export interface LogCost {
  /** The change writer and the engine it ran on. */
  writer: string;
  /** Object writes the store accepted (creates, updates, deletes), as its onChange reports them. */
  mutations: number;
  /** Every DynamoDB write sent while they were made. */
  writes: DynamoWrites;
  /** Items with a `~` partition key in the table afterwards, and their size as DynamoDB bills it. */
  logItemsStored: number;
  logBytesStored: number;
  /** The objects' own items: the size of what each create and update put, summed. */
  objectBytesWritten: number;
}

/** What logCostPerMutation measured: the table writer's cost is missing where its engine is. */
export interface LogCosts {
  costs: LogCost[];
  /** Why a writer was not measured. */
  skipped: string[];
}

const NAMESPACE = 'bench-log';
const OBJECT_TABLE = 'skiff-objects-bench';

/**
 * logCostPerMutation: the extra writes and bytes the change log (the watch's source) costs each
 * mutation, measured from outside the store, for both change writers:
 *
 * - LocalChangeLog, as `npm start` runs it: the store of a local runtime persisting to a fresh
 *   folder (the embedded engine), its table scanned once the runtime has stopped;
 * - TableChangeLog, as the Lambdas run it (a revision counter, then an update's record and object
 *   one after the other, a create's or delete's in one transaction): on DynamoDB Local, since the
 *   embedded engine has no transactions. It is
 *   skipped, and said so, when `npm run engines:fetch` has not fetched DynamoDB Local.
 *
 * Each makes `mutations` changes: a namespace, then ConfigMaps created, updated and deleted in turn
 * (as the watch latency benchmark does), counting every DynamoDB write sent meanwhile
 * (dynamo-write-counter.ts: the store does not expose its client); then it scans the table for the
 * log's items (partition keys starting with `~`, lib/store/change-log/log-item.ts). The writer's
 * start is not counted; the stored figures include the log's few fixed items (revision counter,
 * resolved watermark): noise over hundreds of records.
 */
export async function logCostPerMutation(mutations: number): Promise<LogCosts> {
  const costs = [await localLogCost(mutations)];
  const skipped: string[] = [];
  if (existsSync(join(DYNAMODB_LOCAL_DIR, 'launcher', 'SkiffDynamoDBLocal.class')))
    costs.push(await tableLogCost(mutations));
  else skipped.push(`TableChangeLog: DynamoDB Local is not in ${DYNAMODB_LOCAL_DIR} (npm run engines:fetch)`);
  return { costs, skipped };
}

async function localLogCost(mutations: number): Promise<LogCost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-bench-log-'));
  try {
    const accepted = acceptedWrites();
    const runtime = await startLocalRuntime({ dataDir, controllers: [], onWrite: accepted.record });
    const counter = countDynamoWrites();
    try {
      await mutate(runtime.store, mutations);
    } finally {
      counter.stop();
      await runtime.stop();
    }
    // Reopened on the folder: the runtime has written all it will (its expiry timer included).
    const dynamo = await startEmbeddedDynamo({ dataDir });
    try {
      const log = await logItems(dynamo.client, LOCAL_TABLE_NAME);
      return {
        writer: 'LocalChangeLog, embedded engine',
        writes: counter.writes,
        ...accepted.figures(),
        ...log,
      };
    } finally {
      await dynamo.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function tableLogCost(mutations: number): Promise<LogCost> {
  const engine = await startDynamoDbLocal();
  const client = dynamoClient(engine.endpoint);
  try {
    await createObjectTable(client, OBJECT_TABLE);
    const accepted = acceptedWrites();
    const changes = new TableChangeLog({ client, tableName: OBJECT_TABLE });
    const store = new DynamoObjectStore({
      client,
      tableName: OBJECT_TABLE,
      changes,
      onChange: accepted.record,
    });
    const counter = countDynamoWrites();
    try {
      await mutate(store, mutations);
    } finally {
      counter.stop();
    }
    const log = await logItems(client, OBJECT_TABLE);
    return {
      writer: 'TableChangeLog, DynamoDB Local',
      writes: counter.writes,
      ...accepted.figures(),
      ...log,
    };
  } finally {
    client.destroy();
    await engine.stop();
  }
}

/** A namespace, then ConfigMaps created, updated and deleted in turn: `count` writes in all. */
async function mutate(store: DynamoObjectStore, count: number): Promise<void> {
  const decoded = (kind: KindInfo, manifest: unknown) => decodeObject(kind, manifest).object;
  await store.create(NamespaceKind, decoded(NamespaceKind, aNamespace({ name: NAMESPACE })));
  for (const change of configMapChanges(count - 1)) {
    if (change.type === 'ADDED')
      await store.create(ConfigMapKind, decoded(ConfigMapKind, configMapOf(change, NAMESPACE)));
    else if (change.type === 'MODIFIED')
      await store.update(ConfigMapKind, decoded(ConfigMapKind, configMapOf(change, NAMESPACE)));
    else await store.delete(ConfigMapKind, NAMESPACE, change.name);
  }
}

/** Counts the object writes a store reports through onChange, and the bytes of what they put. */
function acceptedWrites() {
  let mutations = 0;
  let objectBytesWritten = 0;
  return {
    record: (change: ItemChange) => {
      mutations++;
      objectBytesWritten += itemSize(change.newItem);
    },
    figures: () => ({ mutations, objectBytesWritten }),
  };
}

/** How many items of the table have a `~` partition key, and their size. */
async function logItems(
  client: DynamoDBClient,
  tableName: string,
): Promise<Pick<LogCost, 'logItemsStored' | 'logBytesStored'>> {
  let logItemsStored = 0;
  let logBytesStored = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? [])
      if (item[TABLE.partitionKey]?.S?.startsWith('~')) {
        logItemsStored++;
        logBytesStored += itemSize(item);
      }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { logItemsStored, logBytesStored };
}
