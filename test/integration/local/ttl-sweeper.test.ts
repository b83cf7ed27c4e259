import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ConfigMapKind } from '../../../lib/kinds/config-map';
import { decodeObject } from '../../../lib/kinds/decode';
import { EVENT_TTL_SECONDS, EventKind } from '../../../lib/kinds/event';
import type { KindInfo } from '../../../lib/kinds/kind-info';
import type { KubeObject } from '../../../lib/kinds/meta';
import { NamespaceKind } from '../../../lib/kinds/namespace';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../../lib/local/embedded-dynamo';
import { LocalStream, type LocalStreamRecord } from '../../../lib/local/local-stream';
import { startLocalRuntime, type LocalRuntime } from '../../../lib/local/local-runtime';
import { TtlSweeper } from '../../../lib/local/ttl-sweeper';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { NotFoundError } from '../../../lib/store/errors';
import { keyOf } from '../../../lib/store/object-item';
import type { ObjectStore } from '../../../lib/store/object-store';
import { TableMirror } from '../../../lib/store/table-mirror';
import { aConfigMap, anEvent, aNamespace } from '../../support/builders';
import { eventually } from '../../support/eventually';

/**
 * dynalite has no Time to Live, so the local runtime sweeps expired items itself, as DynamoDB
 * deletes Events an hour after their last write on AWS. The sweeper's clock is injected: the
 * tests move it past the hour instead of waiting for it.
 */
const HOUR_MS = EVENT_TTL_SECONDS * 1000;

const create = (store: ObjectStore, kind: KindInfo, manifest: unknown) =>
  store.create(kind, decodeObject(kind, manifest).object);
const eventNames = async (store: ObjectStore) =>
  (await store.list(EventKind, { namespace: 'default' })).items.map((e) => e.metadata.name).sort();

describe('the local TTL sweep, in the local runtime', () => {
  let runtime: LocalRuntime;
  let nowMs = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-ttl-'));

  beforeEach(async () => {
    nowMs = Date.now();
    runtime = await startLocalRuntime({
      controllers: [],
      ttl: { now: () => new Date(nowMs), sweepIntervalSeconds: 3600 },
    });
    await create(runtime.store, NamespaceKind, aNamespace({ name: 'default' }));
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await runtime.stop();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('deletes each Event once an hour has passed since it was written, and nothing else', async () => {
    const writtenAt = Date.now();
    await create(runtime.store, EventKind, anEvent({ name: 'first' }));
    await create(runtime.store, EventKind, anEvent({ name: 'second' }));
    await create(runtime.store, ConfigMapKind, aConfigMap({ name: 'kept' }));

    nowMs = writtenAt + HOUR_MS - 5_000;
    expect(await runtime.sweepExpired()).toBe(0);
    expect(await eventNames(runtime.store)).toEqual(['first', 'second']);

    nowMs = Date.now() + HOUR_MS + 2_000;
    expect(await runtime.sweepExpired()).toBe(2);
    expect(await eventNames(runtime.store)).toEqual([]);
    expect((await runtime.store.get(ConfigMapKind, 'default', 'kept')).metadata.name).toBe('kept');
  });

  it('keeps an Event written again until an hour after that write, as each write moves expiresAt', async () => {
    const firstWrite = Date.now();
    const event = await create(runtime.store, EventKind, anEvent({ name: 'repeated' }));
    // The store stamps expiresAt from the wall clock: the repeat is written half an hour later.
    const secondWrite = firstWrite + HOUR_MS / 2;
    jest.spyOn(Date, 'now').mockReturnValue(secondWrite);
    await runtime.store.update(EventKind, { ...event, count: 2 } as KubeObject);
    jest.restoreAllMocks();

    nowMs = firstWrite + HOUR_MS + 2_000;
    expect(await runtime.sweepExpired()).toBe(0);
    expect(await eventNames(runtime.store)).toEqual(['repeated']);

    nowMs = secondWrite + HOUR_MS + 2_000;
    expect(await runtime.sweepExpired()).toBe(1);
    expect(await eventNames(runtime.store)).toEqual([]);
  });

  it('sweeps on its own timer, and stops with the runtime', async () => {
    const ticking = await startLocalRuntime({
      controllers: [],
      ttl: { now: () => new Date(Date.now() + HOUR_MS + 2_000), sweepIntervalSeconds: 0.05 },
    });
    try {
      await create(ticking.store, NamespaceKind, aNamespace({ name: 'default' }));
      await create(ticking.store, EventKind, anEvent({ name: 'short-lived' }));
      await eventually(async () => expect(await eventNames(ticking.store)).toEqual([]));
    } finally {
      await ticking.stop();
    }
  });

  it('expires the Events stored before a restart', async () => {
    const before = await startLocalRuntime({ controllers: [], dataDir });
    await create(before.store, NamespaceKind, aNamespace({ name: 'default' }));
    await create(before.store, EventKind, anEvent({ name: 'from-before' }));
    await before.stop();

    const after = await startLocalRuntime({
      controllers: [],
      dataDir,
      ttl: { now: () => new Date(Date.now() + HOUR_MS + 2_000), sweepIntervalSeconds: 3600 },
    });
    try {
      expect(await eventNames(after.store)).toEqual(['from-before']);
      expect(await after.sweepExpired()).toBe(1);
      expect(await eventNames(after.store)).toEqual([]);
    } finally {
      await after.stop();
    }
  });
});

/**
 * The sweeper wired to a store and a local stream as the runtime wires them, to read the records
 * its deletes produce and the table behind the mirror.
 */
describe('the TtlSweeper', () => {
  let dynamo: EmbeddedDynamo;
  let store: DynamoObjectStore;
  let sweeper: TtlSweeper;
  let stream: LocalStream;
  let records: LocalStreamRecord[];
  let nowMs: number;
  const TABLE_NAME = 'ttl-objects';

  beforeEach(async () => {
    dynamo = await startEmbeddedDynamo();
    await createObjectTable(dynamo.client, TABLE_NAME);
    records = [];
    nowMs = Date.now();
    stream = new LocalStream({
      consumer: async (batch) => {
        records.push(...batch);
        return { batchItemFailures: [] };
      },
    });
    store = new DynamoObjectStore({
      client: dynamo.client,
      tableName: TABLE_NAME,
      mirror: await TableMirror.load(dynamo.client, TABLE_NAME),
      onChange: (change) => stream.push(sweeper.observe(change)),
    });
    sweeper = new TtlSweeper({ store, now: () => new Date(nowMs) });
    await create(store, NamespaceKind, aNamespace({ name: 'default' }));
  });
  afterEach(async () => {
    await sweeper.stop();
    await stream.stop();
    await dynamo.stop();
  });

  it('removes expired items through the store: gone from the mirror, the table and the list', async () => {
    await create(store, EventKind, anEvent({ name: 'expired' }));
    nowMs = Date.now() + HOUR_MS + 2_000;

    expect(await sweeper.sweep()).toBe(1);

    await expect(store.get(EventKind, 'default', 'expired')).rejects.toThrow(NotFoundError);
    const stored = await dynamo.client.send(
      new GetItemCommand({
        TableName: TABLE_NAME,
        Key: keyOf(EventKind, 'default', 'expired'),
        ConsistentRead: true,
      }),
    );
    expect(stored.Item).toBeUndefined();
  });

  it("records its deletes as DynamoDB records TTL deletes: REMOVE by the service principal, a user's without", async () => {
    await create(store, EventKind, anEvent({ name: 'by-ttl' }));
    await create(store, EventKind, anEvent({ name: 'by-user' }));
    await store.delete(EventKind, 'default', 'by-user');
    nowMs = Date.now() + HOUR_MS + 2_000;
    await sweeper.sweep();
    await stream.idle(5_000);

    const removals = records.filter((r) => r.eventName === 'REMOVE');
    expect(removals.map((r) => [r.dynamodb.Keys?.sk?.S, r.userIdentity])).toEqual([
      ['by-user', undefined],
      ['by-ttl', { type: 'Service', principalId: 'dynamodb.amazonaws.com' }],
    ]);
    const [, byTtl] = removals;
    expect(byTtl.dynamodb.NewImage).toBeUndefined();
    expect(JSON.parse(byTtl.dynamodb.OldImage?.body?.S ?? '{}')).toMatchObject({
      metadata: { name: 'by-ttl' },
    });
    // Every other record is a request's: no identity.
    expect(records.filter((r) => r.userIdentity !== undefined)).toEqual([byTtl]);
  });

  it('keeps in its index only the items that expire, and forgets them once they are gone', async () => {
    for (let i = 0; i < 20; i++) await create(store, ConfigMapKind, aConfigMap({ name: `settings-${i}` }));
    await create(store, EventKind, anEvent({ name: 'one' }));
    await create(store, EventKind, anEvent({ name: 'two' }));
    expect(sweeper.size).toBe(2);

    await store.delete(EventKind, 'default', 'one');
    expect(sweeper.size).toBe(1);
    nowMs = Date.now() + HOUR_MS + 2_000;
    await sweeper.sweep();
    expect(sweeper.size).toBe(0);
  });

  it('ends a sweep stopped midway after the delete in progress, leaving the rest stored', async () => {
    for (let i = 0; i < 30; i++) await create(store, EventKind, anEvent({ name: `event-${i}` }));
    nowMs = Date.now() + HOUR_MS + 2_000;

    const sweeping = sweeper.sweep();
    await sweeper.stop();
    const deleted = await sweeping;

    expect(deleted).toBeLessThan(30);
    expect(await eventNames(store)).toHaveLength(30 - deleted);
    expect(await sweeper.sweep()).toBe(0); // stopped for good
  });
});
