import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { mutationWriteUnits } from '../../../lib/cost/model';
import { WORKLOAD } from '../../../lib/cost/workload';
import { ConfigMapKind } from '../../../lib/kinds/config-map';
import type { KubeObject } from '../../../lib/kinds/meta';
import { NamespaceKind } from '../../../lib/kinds/namespace';
import { logQuery, storedRecordOfLogItem } from '../../../lib/store/change-log/log-item';
import { TableChangeLog } from '../../../lib/store/change-log/table-change-log';
import { UnconfirmedRecords } from '../../../lib/store/change-log/unconfirmed-records';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { dynamoClient, describeEachEngine, uniqueTableName } from '../../support/dynamo-engines';
import { meterCapacity } from './meter-capacity';

/**
 * Ties the cost model's write units per update (mutationWriteUnits) and the read a log reader
 * spends resolving its unconfirmed record (WORKLOAD.logReaders) to what DynamoDB Local bills for
 * them, for an object of the model's typical size. Only DynamoDB Local reports consumed capacity.
 */
const describeEach = describeEachEngine((engine) => engine.name === 'dynamodb-local');

describeEach('capacity of an update through the change log on $name', ({ endpoint }) => {
  const tableName = uniqueTableName('mutation-write-units');
  const setup = dynamoClient(endpoint);
  const metered = dynamoClient(endpoint);
  const consumed = meterCapacity(metered);
  const storeOf = (client: typeof setup) =>
    new DynamoObjectStore({ client, tableName, changes: new TableChangeLog({ client, tableName }) });
  // A ConfigMap of about WORKLOAD.objectKb stored.
  const payload = 'x'.repeat(Math.round(WORKLOAD.objectKb * 1024) - 250);
  const configMap: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { namespace: 'default', name: 'sized' },
    data: { payload },
  };

  beforeAll(async () => {
    await createObjectTable(setup, tableName);
    await storeOf(setup).create(NamespaceKind, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'default' },
    });
  });
  afterAll(() => {
    setup.destroy();
    metered.destroy();
  });

  it('writes the units the model counts for an update, and a reader reads the object once to resolve it', async () => {
    const created = await storeOf(setup).create(ConfigMapKind, configMap);
    const bytes = Buffer.byteLength(JSON.stringify(created));
    expect(bytes / 1024).toBeGreaterThan(WORKLOAD.objectKb - 0.1);
    expect(bytes / 1024).toBeLessThanOrEqual(WORKLOAD.objectKb);

    const updated = await storeOf(metered).update(
      ConfigMapKind,
      { ...created, data: { payload: `${payload}y` } },
      { readFrom: created },
    );

    expect(consumed).toEqual({ read: 0, write: mutationWriteUnits(WORKLOAD.objectKb, false) });
    const revision = Number(updated.metadata.resourceVersion);
    const answer = await setup.send(new QueryCommand(logQuery(tableName, revision, revision)));
    const records = (answer.Items ?? []).map(storedRecordOfLogItem);
    consumed.read = 0;
    consumed.write = 0;

    const resolved = await new UnconfirmedRecords(metered, tableName, 3600).resolve(records, () => true);

    expect(resolved.records).toEqual([expect.objectContaining({ revision, type: 'MODIFIED' })]);
    expect(consumed).toEqual({ read: WORKLOAD.logReaders * WORKLOAD.getReadUnits, write: 0 });
  });
});
