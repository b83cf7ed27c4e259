import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { INDEXES, TABLE } from './table-schema';

/** The object table did not become ACTIVE, with every index ACTIVE, before the deadline. */
export class TableNotActiveError extends Error {
  constructor(
    readonly tableName: string,
    readonly lastStatus: string,
  ) {
    super(`table ${tableName} is not ACTIVE (last status ${lastStatus})`);
  }
}

export interface CreateObjectTableOptions {
  /** How long to wait for the table to become ACTIVE; default 60 s (real DynamoDB takes seconds). */
  timeoutMs?: number;
}

/**
 * Creates the object table laid out as lib/store/table-schema.ts describes, and returns once it is
 * ready for reads and writes. In AWS the CDK construct owns the table; this is for the places that
 * have no CloudFormation: the embedded engine behind `npm start` and the test engines.
 *
 * Idempotent: a table that already exists counts as done (its layout is not compared), so a
 * restart of the local server or a second test suite can call it blindly. Streams are requested
 * with NEW_AND_OLD_IMAGES like the deployed table; engines without streams (dynalite) ignore it.
 * TTL is not enabled here: not every engine supports UpdateTimeToLive.
 *
 * @example await createObjectTable(client, 'skiff-objects');
 */
export async function createObjectTable(
  client: DynamoDBClient,
  tableName: string,
  options: CreateObjectTableOptions = {},
): Promise<void> {
  const indexes = Object.values(INDEXES);
  const keyAttributes = new Set<string>([
    TABLE.partitionKey,
    TABLE.sortKey,
    ...indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ]);
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...keyAttributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: indexes.map((index): GlobalSecondaryIndex => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: index.projection },
        })),
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
  } catch (error) {
    // Already there (or being created by a concurrent caller): wait for it like for our own.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilActive(client, tableName, options.timeoutMs ?? 60_000);
}

async function waitUntilActive(client: DynamoDBClient, tableName: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delayMs = 50;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const status = tableStatus(Table);
    if (status === 'ACTIVE') return;
    if (Date.now() + delayMs > deadline) throw new TableNotActiveError(tableName, status);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    delayMs = Math.min(delayMs * 2, 1_000);
  }
}

/** ACTIVE only when the table and every one of its indexes are (an engine may omit IndexStatus). */
function tableStatus(table: TableDescription | undefined): string {
  const status = table?.TableStatus ?? 'UNKNOWN';
  if (status !== 'ACTIVE') return status;
  const pending = (table?.GlobalSecondaryIndexes ?? []).find(
    (index) => index.IndexStatus !== undefined && index.IndexStatus !== 'ACTIVE',
  );
  return pending ? `index ${pending.IndexName} ${pending.IndexStatus}` : status;
}
