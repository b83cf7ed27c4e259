import type { KindInfo } from '../../../lib/kinds/kind-info';
import type { KubeObject } from '../../../lib/kinds/meta';
import { findKindByKind } from '../../../lib/kinds/registry';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { bindPod } from '../../../lib/store/pod-binding';
import { podChangesByNode, TableNodePodMarkers } from '../../../lib/store/node-pod-markers';
import { dynamoClient, dynamoEngines, uniqueTableName } from '../../support/dynamo-engines';
import { StreamPump } from '../../support/stream-pump';

/**
 * The pod change markers agents on AWS follow instead of a watch (lib/store/node-pod-markers.ts):
 * counted from the table's real stream (DynamoDB Local serves the Streams API) for the writes the
 * store makes, and stored in the marker items the agents read.
 */
const engines = dynamoEngines().filter((engine) => engine.name === 'dynamodb-local');
if (engines.length === 0)
  console.warn('node pod markers: DynamoDB Local is not in this run; its tests are not defined');

const Pod = findKindByKind('v1', 'Pod') as KindInfo;
const ConfigMap = findKindByKind('v1', 'ConfigMap') as KindInfo;
const Namespace = findKindByKind('v1', 'Namespace') as KindInfo;

const aPod = (name: string, nodeName?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'main', image: 'busybox' }] },
  status: { phase: 'Pending', conditions: [] },
});

for (const { name, endpoint } of engines)
  describe(`node pod markers on ${name}`, () => {
    const client = dynamoClient(endpoint);
    const tableName = uniqueTableName('markers');
    const store = new DynamoObjectStore({ client, tableName });
    const markers = new TableNodePodMarkers({ client, tableName });
    let pump: StreamPump;

    beforeAll(async () => {
      await createObjectTable(client, tableName);
      await store.create(Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
      pump = await StreamPump.open(endpoint, tableName);
    });
    afterAll(() => {
      pump.close();
      client.destroy();
    });

    it("counts, per node, the stream's records of pods bound to it, and of nothing else", async () => {
      await store.create(Pod, aPod('pending'));
      await store.create(Pod, aPod('on-a', 'node-a'));
      await store.create(Pod, aPod('on-b', 'node-b'));
      await bindPod(
        store,
        'default',
        { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'pending' }, target: { name: 'node-a' } },
        { now: () => new Date().toISOString() },
      );
      await store.delete(Pod, 'default', 'on-b', { gracePeriodSeconds: 0 });
      await store.create(ConfigMap, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'unrelated', namespace: 'default' },
      });
      // The Namespace's record, then the six writes above.
      const records = await pump.waitFor(7, 10_000);
      const counts = podChangesByNode(records.map((record) => record.dynamodb ?? {}));
      expect(Object.fromEntries(counts)).toEqual({ 'node-a': 2, 'node-b': 2 });

      await markers.bump(counts);
      await markers.bump(new Map([['node-a', 1]]));
      // Reads are eventually consistent; DynamoDB Local answers them at once.
      expect(await markers.read('node-a')).toBe(3);
      expect(await markers.read('node-b')).toBe(2);
      expect(await markers.read('node-c')).toBe(0);
    });

    it('keeps the marker items out of every index, so lists of objects never meet them', async () => {
      await markers.bump(new Map([['node-z', 1]]));
      const pods = await store.list(Pod);
      expect(pods.items.map((pod) => pod.metadata.name).sort()).toEqual(['on-a', 'pending']);
    });
  });
