import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLE } from './table-schema';
import type { Item } from './object-item';

/**
 * The items behind one page of a keys-only index (byKind, in `namespace/name` order), read back
 * from the table: for each run of rows in one namespace, one strongly consistent Query of that
 * namespace's partition between the run's first and last names. A namespace's rows are always one
 * run, since every `namespace/name` of it starts with the same `namespace/`.
 *
 * Why a range Query and not BatchGetItem: a Query bills 4 KB of items per read unit where a batch
 * bills each item at least one, it reads as many items per call as there are in the run, and it
 * is consistent. The answer is the table now: an item removed since the index row was read is not
 * in it, and an item written since (in the range) is, as the list's replay of the change log would
 * make it anyway (list-snapshot.ts).
 */
export async function readBack(
  client: DynamoDBClient,
  tableName: string,
  rows: readonly Item[],
): Promise<Item[]> {
  const items: Item[] = [];
  for (const run of runsByPartition(rows)) items.push(...(await readRange(client, tableName, run)));
  return items;
}

interface Run {
  partition: string;
  first: string;
  last: string;
}

function runsByPartition(rows: readonly Item[]): Run[] {
  const runs: Run[] = [];
  for (const row of rows) {
    const partition = row[TABLE.partitionKey]?.S;
    const name = row[TABLE.sortKey]?.S;
    if (partition === undefined || name === undefined) continue;
    const current = runs[runs.length - 1];
    if (current?.partition === partition) current.last = name;
    else runs.push({ partition, first: name, last: name });
  }
  return runs;
}

async function readRange(client: DynamoDBClient, tableName: string, run: Run): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :first AND :last',
        ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#sk': TABLE.sortKey },
        ExpressionAttributeValues: {
          ':pk': { S: run.partition },
          ':first': { S: run.first },
          ':last': { S: run.last },
        },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}
