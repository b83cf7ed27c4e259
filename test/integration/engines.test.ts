import {
  DescribeTableCommand,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { createObjectTable } from '../../lib/store/create-object-table';
import { INDEXES, TABLE } from '../../lib/store/table-schema';
import { dynamoClient, dynamoEngines, uniqueTableName } from '../support/dynamo-engines';

const POD_KIND_KEY = 'core/Pod';

/** A pod item as the store writes it, with only the sparse attributes the test passes. */
function aPodItem(name: string, sparse: Record<string, string>): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {
    [TABLE.partitionKey]: { S: `${POD_KIND_KEY}#default` },
    [TABLE.sortKey]: { S: name },
    [TABLE.body]: {
      S: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' } }),
    },
    [TABLE.resourceVersion]: { N: '1' },
    [TABLE.kindKey]: { S: POD_KIND_KEY },
    [TABLE.namespacedName]: { S: `default/${name}` },
  };
  for (const [attribute, value] of Object.entries(sparse)) item[attribute] = { S: value };
  return item;
}

describe.each(dynamoEngines())('the object table on $name', ({ endpoint }) => {
  const client = dynamoClient(endpoint);
  const tableName = uniqueTableName('engines');

  beforeAll(async () => {
    await createObjectTable(client, tableName);
    await client.send(
      new PutItemCommand({ TableName: tableName, Item: aPodItem('bound', { [TABLE.nodeName]: 'node-1' }) }),
    );
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: aPodItem('pending', { [TABLE.unscheduled]: POD_KIND_KEY }),
      }),
    );
  });
  afterAll(() => client.destroy());

  /** The `sk` of the items an index holds under one partition key value. */
  async function namesInIndex(
    index: (typeof INDEXES)[keyof typeof INDEXES],
    value: string,
  ): Promise<string[]> {
    const { Items = [] } = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index.name,
        KeyConditionExpression: '#pk = :value',
        ExpressionAttributeNames: { '#pk': index.partitionKey },
        ExpressionAttributeValues: { ':value': { S: value } },
      }),
    );
    return Items.map((item) => item[TABLE.sortKey]?.S ?? '?').sort();
  }

  it('is created again without complaint, and is ACTIVE with the three indexes', async () => {
    await createObjectTable(client, tableName);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ]);
    const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((index) => ({
      name: index.IndexName,
      projection: index.Projection?.ProjectionType,
    }));
    expect(indexes.sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual([
      { name: 'byKind', projection: 'KEYS_ONLY' },
      { name: 'byNode', projection: 'ALL' },
      { name: 'unscheduled', projection: 'ALL' },
    ]);
  });

  it('lists every object of a kind in byKind', async () => {
    await expect(namesInIndex(INDEXES.byKind, POD_KIND_KEY)).resolves.toEqual(['bound', 'pending']);
  });

  it('lists only bound pods in byNode', async () => {
    await expect(namesInIndex(INDEXES.byNode, 'node-1')).resolves.toEqual(['bound']);
  });

  it('lists only unscheduled pods in unscheduled', async () => {
    await expect(namesInIndex(INDEXES.unscheduled, POD_KIND_KEY)).resolves.toEqual(['pending']);
  });

  it('projects the whole item into an index', async () => {
    const { Items = [] } = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: INDEXES.byNode.name,
        KeyConditionExpression: '#pk = :node',
        ExpressionAttributeNames: { '#pk': INDEXES.byNode.partitionKey },
        ExpressionAttributeValues: { ':node': { S: 'node-1' } },
      }),
    );
    expect(Items).toEqual([aPodItem('bound', { [TABLE.nodeName]: 'node-1' })]);
  });
});
