import type { KindInfo } from '../../../lib/kinds/kind-info';
import type { KubeObject } from '../../../lib/kinds/meta';
import { findKindByKind } from '../../../lib/kinds/registry';
import type { StreamRecord } from '../../../lib/controllers/stream-record';
import { LocalStream, type LocalStreamRecord } from '../../../lib/local/local-stream';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { dynamoClient, dynamoEngines, uniqueTableName } from '../../support/dynamo-engines';
import { StreamPump } from '../../support/stream-pump';

/**
 * The local stream must be indistinguishable, to a consumer, from the table's real stream: the
 * same writes through the store yield the same records from both (DynamoDB Local serves the real
 * Streams API). Only engines with streams can take part; dynalite and moto have none.
 */
const ENGINES_WITH_STREAMS = ['dynamodb-local'];

function kind(apiVersion: string, name: string): KindInfo {
  const info = findKindByKind(apiVersion, name);
  if (!info) throw new Error(`${name} is not registered`);
  return info;
}

const Namespace = kind('v1', 'Namespace');
const ConfigMap = kind('v1', 'ConfigMap');

function aConfigMap(name: string, data: Record<string, string>, finalizers?: string[]): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'streams', finalizers }, data };
}

/** The writes both streams see: every event name, an update chain, and a finalized delete. */
async function writeTheSequence(store: DynamoObjectStore): Promise<void> {
  await store.create(Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'streams' } });
  const first = await store.create(ConfigMap, aConfigMap('first', { a: '1' }));
  await store.create(ConfigMap, aConfigMap('second', { b: '1' }));
  const updated = await store.update(ConfigMap, { ...first, data: { a: '2' } });
  await store.update(ConfigMap, { ...updated, data: { a: '3' } });
  await store.delete(ConfigMap, 'streams', 'second');
  await store.create(ConfigMap, aConfigMap('guarded', { c: '1' }, ['example.com/keep']));
  const marked = await store.delete(ConfigMap, 'streams', 'guarded');
  await store.update(ConfigMap, {
    ...marked.object,
    metadata: { ...marked.object.metadata, finalizers: [] },
  });
}
const WRITES = 9;

/** What a consumer may rely on: everything but the per-stream identities (eventID, SequenceNumber). */
function comparable(record: StreamRecord) {
  return {
    eventName: record.eventName,
    Keys: record.dynamodb?.Keys,
    NewImage: record.dynamodb?.NewImage,
    OldImage: record.dynamodb?.OldImage,
    StreamViewType: record.dynamodb?.StreamViewType,
  };
}

function isStrictlyIncreasing(records: readonly StreamRecord[]): boolean {
  const sequences = records.map((r) => BigInt(r.dynamodb?.SequenceNumber ?? '-1'));
  return sequences.every((s, i) => s >= 0n && (i === 0 || s > sequences[i - 1]));
}

const engines = dynamoEngines().filter((engine) => ENGINES_WITH_STREAMS.includes(engine.name));
if (engines.length === 0)
  console.warn(
    `local stream equivalence: no engine with streams in this run (${ENGINES_WITH_STREAMS.join(', ')}); its tests are not defined`,
  );

for (const { name, endpoint } of engines)
  describe(`the local stream against the real stream of ${name}`, () => {
    const client = dynamoClient(endpoint);
    const tableName = uniqueTableName('streams');
    const local: LocalStreamRecord[] = [];
    let stream: LocalStream;
    let pump: StreamPump;
    let real: StreamRecord[];
    let startedAt: number;

    beforeAll(async () => {
      await createObjectTable(client, tableName);
      stream = new LocalStream({
        consumer: async (records) => {
          local.push(...records);
          return { batchItemFailures: [] };
        },
      });
      const store = new DynamoObjectStore({ client, tableName, onChange: stream.push });
      pump = await StreamPump.open(endpoint, tableName);
      startedAt = Math.floor(Date.now() / 1000);
      await writeTheSequence(store);
      await stream.idle(5_000);
      real = await pump.waitFor(WRITES, 10_000);
    });

    afterAll(async () => {
      await stream.stop();
      pump.close();
      client.destroy();
    });

    it('emits one record per accepted write, as the real stream does', () => {
      expect(local).toHaveLength(WRITES);
      expect(real).toHaveLength(WRITES);
    });

    it('names the events in the same order', () => {
      const names = [
        'INSERT',
        'INSERT',
        'INSERT',
        'MODIFY',
        'MODIFY',
        'REMOVE',
        'INSERT',
        'MODIFY',
        'REMOVE',
      ];
      expect(local.map((r) => r.eventName)).toEqual(names);
      expect(real.map((r) => r.eventName)).toEqual(names);
    });

    it('carries the same Keys, NewImage and OldImage', () => {
      expect(local.map(comparable)).toEqual(real.map(comparable));
    });

    it('numbers records with strictly increasing sequence numbers', () => {
      expect(isStrictlyIncreasing(local)).toBe(true);
      expect(isStrictlyIncreasing(real)).toBe(true);
    });

    it('fills the envelope Lambda delivers, down to the size DynamoDB reports', () => {
      const envelope = (record: StreamRecord & { eventVersion?: string; eventSource?: string }) => ({
        eventVersion: record.eventVersion,
        eventSource: record.eventSource,
        SizeBytes: record.dynamodb?.SizeBytes,
      });
      expect(local.map(envelope)).toEqual(real.map(envelope));
      expect(new Set(local.map((r) => r.eventID)).size).toBe(WRITES);
    });

    it('stamps each record with its creation time in epoch seconds', () => {
      // DynamoDB Local rounds this down to the minute, DynamoDB to the second: compare with the clock.
      for (const record of local)
        expect(record.dynamodb.ApproximateCreationDateTime).toBeGreaterThanOrEqual(startedAt);
      for (const record of local)
        expect(record.dynamodb.ApproximateCreationDateTime).toBeLessThanOrEqual(Date.now() / 1000);
    });
  });
