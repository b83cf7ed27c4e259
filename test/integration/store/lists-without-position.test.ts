import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { ConfigMapKind } from '../../../lib/kinds/config-map';
import { NamespaceKind } from '../../../lib/kinds/namespace';
import { TableChangeLog } from '../../../lib/store/change-log/table-change-log';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { recordCommands } from '../../support/dynamo-commands';
import { dynamoClient, describeEachEngine, uniqueTableName } from '../../support/dynamo-engines';

/**
 * Controllers' stores (`listsWithoutPosition`) list one partition of the table with one consistent
 * query and no change-log snapshot, and still see every write another writer committed before the
 * list; lists of an index keep the snapshot. The writes go through TableChangeLog, whose
 * transactions dynalite lacks, so this runs on the engines that have them.
 */
const describeEach = describeEachEngine((engine) => engine.name !== 'dynalite');

describeEach('lists without a position on $name', ({ endpoint }) => {
  const tableName = uniqueTableName('lists-without-position');
  const writerClient = dynamoClient(endpoint);
  const readerClient = dynamoClient(endpoint);
  const writer = new DynamoObjectStore({
    client: writerClient,
    tableName,
    changes: new TableChangeLog({ client: writerClient, tableName }),
  });
  const storeReading = (listsWithoutPosition: boolean) =>
    new DynamoObjectStore({
      client: readerClient,
      tableName,
      changes: new TableChangeLog({ client: readerClient, tableName }),
      listsWithoutPosition,
    });
  let calls: string[];

  beforeAll(async () => {
    await createObjectTable(writerClient, tableName);
    calls = recordCommands(readerClient);
    for (const name of ['team-a', 'team-b'])
      await writer.create(NamespaceKind, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  });
  afterAll(() => {
    writerClient.destroy();
    readerClient.destroy();
  });
  beforeEach(() => calls.splice(0));

  const configMap = (namespace: string, name: string, data: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { namespace, name },
    data,
  });

  it("lists one namespace with one consistent query and sees another writer's last write", async () => {
    const controller = storeReading(true);
    await writer.create(ConfigMapKind, configMap('team-a', 'one', { v: '1' }));
    const stored = await writer.get(ConfigMapKind, 'team-a', 'one');
    await writer.update(ConfigMapKind, { ...stored, data: { v: '2' } });
    calls.splice(0);

    const list = await controller.list(ConfigMapKind, { namespace: 'team-a' });

    expect(calls).toEqual([`${QueryCommand.name} consistent`]);
    expect(list.items.map((item) => item.data)).toEqual([{ v: '2' }]);
    expect(list.metadata.resourceVersion).toBe('0');
  });

  it('reads a cluster-scoped kind and a name-pinned list the same way', async () => {
    const controller = storeReading(true);
    const namespaces = await controller.list(NamespaceKind);
    const pinned = await controller.list(ConfigMapKind, {
      namespace: 'team-a',
      fieldSelector: [{ field: 'metadata.name', operator: '=', value: 'one' }],
    });

    expect(calls).toEqual([`${QueryCommand.name} consistent`, `${GetItemCommand.name} consistent`]);
    expect(namespaces.items.map((item) => item.metadata.name)).toEqual(['team-a', 'team-b']);
    expect(pinned.items.map((item) => item.metadata.name)).toEqual(['one']);
  });

  it('still makes a list across namespaces exact against the log, since the index may lag', async () => {
    const controller = storeReading(true);
    await writer.create(ConfigMapKind, configMap('team-b', 'two', { v: '1' }));
    calls.splice(0);

    const list = await controller.list(ConfigMapKind);

    expect(calls).toContain(`${GetItemCommand.name} consistent`);
    expect(calls).toContain(`${QueryCommand.name} byKind`);
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(list.items.map((item) => `${item.metadata.namespace}/${item.metadata.name}`)).toEqual([
      'team-a/one',
      'team-b/two',
    ]);
  });

  it("reports the log's head as a list's position when the store keeps positions, as the API's does", async () => {
    const api = storeReading(false);
    const written = await writer.create(ConfigMapKind, configMap('team-a', 'three', {}));
    calls.splice(0);

    const list = await api.list(ConfigMapKind, { namespace: 'team-a' });

    expect(calls[0]).toBe(`${GetItemCommand.name} consistent`);
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThanOrEqual(
      Number(written.metadata.resourceVersion),
    );
  });
});
