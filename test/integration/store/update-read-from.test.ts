import { ConfigMapKind } from '../../../lib/kinds/config-map';
import type { KubeObject } from '../../../lib/kinds/meta';
import { NamespaceKind } from '../../../lib/kinds/namespace';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { ConflictError } from '../../../lib/store/errors';
import { recordCommands } from '../../support/dynamo-commands';
import { dynamoClient, dynamoEngines, uniqueTableName } from '../../support/dynamo-engines';

/**
 * `update(kind, object, { readFrom })`: an API read-modify-write hands the store the object it
 * read, and the store writes against that read instead of reading again, exactly as safely.
 */
describe.each(dynamoEngines())(
  'an update made from an object the store returned, on $name',
  ({ endpoint }) => {
    const tableName = uniqueTableName('update-read-from');
    const client = dynamoClient(endpoint);
    const other = dynamoClient(endpoint);
    const store = new DynamoObjectStore({ client, tableName });
    const otherWriter = new DynamoObjectStore({ client: other, tableName });
    const calls = recordCommands(client);
    const reads = () => calls.filter((call) => call.startsWith('GetItemCommand')).length;
    const configMap = (name: string, data: Record<string, string>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { namespace: 'default', name },
      data,
    });

    beforeAll(async () => {
      await createObjectTable(client, tableName);
      await store.create(NamespaceKind, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'default' },
      });
    });
    afterAll(() => {
      client.destroy();
      other.destroy();
    });
    beforeEach(() => calls.splice(0));

    it('writes without reading the object again when it is still at the version read', async () => {
      await store.create(ConfigMapKind, configMap('fresh', { v: '1' }));
      const read = await store.get(ConfigMapKind, 'default', 'fresh');
      calls.splice(0);

      const written = await store.update(ConfigMapKind, { ...read, data: { v: '2' } }, { readFrom: read });

      expect(reads()).toBe(0);
      expect(written.data).toEqual({ v: '2' });
      expect((await store.get(ConfigMapKind, 'default', 'fresh')).data).toEqual({ v: '2' });
    });

    it('answers Conflict and keeps the other write when the object moved on since it was read', async () => {
      await store.create(ConfigMapKind, configMap('raced', { v: '1' }));
      const read = await store.get(ConfigMapKind, 'default', 'raced');
      const theirs = await otherWriter.get(ConfigMapKind, 'default', 'raced');
      await otherWriter.update(ConfigMapKind, { ...theirs, data: { v: 'theirs' } });

      await expect(
        store.update(ConfigMapKind, { ...read, data: { v: 'mine' } }, { readFrom: read }),
      ).rejects.toBeInstanceOf(ConflictError);
      expect((await store.get(ConfigMapKind, 'default', 'raced')).data).toEqual({ v: 'theirs' });
    });

    it('reads afresh when handed another object, or one at another version than the update expects', async () => {
      await store.create(ConfigMapKind, configMap('target', { v: '1' }));
      const unrelated = await store.create(ConfigMapKind, configMap('unrelated', { v: '1' }));
      const read = await store.get(ConfigMapKind, 'default', 'target');
      calls.splice(0);

      const written = await store.update(
        ConfigMapKind,
        { ...read, data: { v: '2' } },
        { readFrom: unrelated },
      );
      expect(reads()).toBe(1);
      expect(written.data).toEqual({ v: '2' });
      expect((await store.get(ConfigMapKind, 'default', 'unrelated')).data).toEqual({ v: '1' });

      calls.splice(0);
      // Stale: readFrom is the version before the last write, the update expects the latest.
      const latest = await store.update(ConfigMapKind, { ...written, data: { v: '3' } }, { readFrom: read });
      expect(reads()).toBe(1);
      expect(latest.data).toEqual({ v: '3' });
    });

    it('writes status the same way', async () => {
      await store.create(NamespaceKind, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'status-ns' },
      });
      const read = await store.get(NamespaceKind, undefined, 'status-ns');
      calls.splice(0);

      const written = await store.updateStatus(
        NamespaceKind,
        { ...read, status: { phase: 'Active' } },
        { readFrom: read },
      );

      expect(reads()).toBe(0);
      expect(written.status).toEqual({ phase: 'Active' });
    });
  },
);
