import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Controller } from '../../../lib/controllers/controller';
import { storeReconcileContext } from '../../../lib/controllers/events/store-event-recorders';
import { resync } from '../../../lib/controllers/resync';
import { ConfigMapKind } from '../../../lib/kinds/config-map';
import { decodeObject } from '../../../lib/kinds/decode';
import { EventKind, type Event } from '../../../lib/kinds/event';
import type { KindInfo } from '../../../lib/kinds/kind-info';
import type { KubeObject } from '../../../lib/kinds/meta';
import { NamespaceKind } from '../../../lib/kinds/namespace';
import { NodeKind } from '../../../lib/kinds/node';
import {
  CORRUPT_ITEMS_METRIC,
  CORRUPT_ITEM_REPORT_INTERVAL_MS,
  CorruptItemReporter,
  corruptItemSightings,
} from '../../../lib/store/corrupt-item-reporter';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { ConflictError, CorruptObjectError, NotFoundError } from '../../../lib/store/errors';
import { parseFieldSelector } from '../../../lib/store/field-selector';
import { keyOf, toItem, type Item } from '../../../lib/store/object-item';
import { TableMirror } from '../../../lib/store/table-mirror';
import { TABLE } from '../../../lib/store/table-schema';
import { aConfigMap, aNamespace, aNode } from '../../support/builders';
import { dynamoClient, dynamoEngines, uniqueTableName } from '../../support/dynamo-engines';

/** A secret-looking value the damaged bodies hold: it must never reach a log, error or Event. */
const SECRET = 'hunter2-do-not-log';

/** A builder's manifest as the API hands it to the store: validated and defaulted. */
const decoded = (kind: KindInfo, manifest: unknown) => decodeObject(kind, manifest).object;

const names = (objects: readonly KubeObject[]) => objects.map((o) => o.metadata.name);

describe('A corrupt stored item', () => {
  const engine = dynamoEngines()[0];
  const client = dynamoClient(engine.endpoint);
  const tableName = uniqueTableName('corrupt');
  let namespaceCount = 0;

  beforeAll(async () => {
    await createObjectTable(client, tableName);
    await aStore(aReporter().reporter).create(
      NamespaceKind,
      decoded(NamespaceKind, aNamespace({ name: 'default' })),
    );
  });
  afterAll(() => client.destroy());

  /** A reporter with its own clock and log, so each test sees only its own reports. */
  function aReporter() {
    const clock = { now: Date.parse('2030-01-01T00:00:00Z') };
    const lines: string[] = [];
    const reporter = new CorruptItemReporter({ now: () => clock.now, log: (line) => lines.push(line) });
    return { reporter, clock, lines };
  }

  function aStore(reporter: CorruptItemReporter, mirror?: TableMirror) {
    return new DynamoObjectStore({ client, tableName, mirror, corruptItems: reporter });
  }

  /**
   * A fresh namespace holding ConfigMaps `a`, `b` and `c`, where `b`'s body is then damaged below
   * the API (a PutItem of the same item with another body), as disk damage or a manual edit would.
   */
  async function aNamespaceWithCorruptB(
    damaged: string | null = `{"metadata":{"name":"b"},"data":{"password":"${SECRET}`,
  ) {
    const namespace = `corrupt-${++namespaceCount}`;
    const { reporter } = aReporter();
    const store = aStore(reporter);
    await store.create(NamespaceKind, decoded(NamespaceKind, aNamespace({ name: namespace })));
    for (const name of ['a', 'b', 'c'])
      await store.create(
        ConfigMapKind,
        decoded(ConfigMapKind, aConfigMap({ name, namespace, data: { password: SECRET } })),
      );
    await damage(ConfigMapKind, namespace, 'b', damaged);
    return namespace;
  }

  /** Rewrites the stored item with `body` in place of its own (null: no body attribute). */
  async function damage(kind: KindInfo, namespace: string | undefined, name: string, body: string | null) {
    const { Item: item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: keyOf(kind, namespace, name), ConsistentRead: true }),
    );
    if (!item) throw new Error(`${name} is not stored`);
    const damaged: Item = { ...item };
    if (body === null) delete damaged[TABLE.body];
    else damaged[TABLE.body] = { S: body };
    await client.send(new PutItemCommand({ TableName: tableName, Item: damaged }));
  }

  async function storedItem(kind: KindInfo, namespace: string | undefined, name: string) {
    const { Item: item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: keyOf(kind, namespace, name), ConsistentRead: true }),
    );
    return item;
  }

  async function corruptEvents(store: DynamoObjectStore, namespace: string): Promise<Event[]> {
    const { items } = await store.list(EventKind, {
      namespace,
      fieldSelector: parseFieldSelector('reason=CorruptObject', EventKind),
    });
    return items as Event[];
  }

  describe.each([
    { how: 'read from the table', mirrored: false },
    { how: 'read through a TableMirror loaded after the damage (a restart)', mirrored: true },
  ])('$how', ({ mirrored }) => {
    async function setUp(damaged?: string | null) {
      const namespace = await aNamespaceWithCorruptB(damaged);
      const { reporter, clock, lines } = aReporter();
      const mirror = mirrored ? await TableMirror.load(client, tableName) : undefined;
      return { namespace, reporter, clock, lines, mirror, store: aStore(reporter, mirror) };
    }

    it('leaves it out of lists and serves the other objects', async () => {
      const { namespace, store } = await setUp();
      const inNamespace = await store.list(ConfigMapKind, { namespace });
      expect(names(inNamespace.items)).toEqual(['a', 'c']);
      expect(inNamespace.corrupt?.map((e) => e.key)).toEqual([`core/ConfigMap#${namespace}/b`]);
      const everywhere = await store.list(ConfigMapKind);
      expect(names(everywhere.items.filter((o) => o.metadata.namespace === namespace))).toEqual(['a', 'c']);
      const paged = await store.list(ConfigMapKind, { namespace, limit: 1 });
      const next = await store.list(ConfigMapKind, {
        namespace,
        limit: 1,
        continue: paged.metadata.continue,
      });
      expect([...names(paged.items), ...names(next.items)]).toEqual(['a', 'c']);
      const byName = await store.list(ConfigMapKind, {
        namespace,
        fieldSelector: parseFieldSelector('metadata.name=b', ConfigMapKind),
      });
      expect(byName.items).toEqual([]);
      expect(byName.corrupt).toHaveLength(1);
    });

    it('is skipped by the resync sweep, which reconciles the other objects of the kind', async () => {
      const { namespace, store } = await setUp();
      const reconciled: string[] = [];
      const controller: Controller = {
        name: 'configmap-test-controller',
        kind: ConfigMapKind,
        watches: [],
        reconcile: (key) => {
          if (key.namespace === namespace) reconciled.push(key.name);
          return Promise.resolve({});
        },
      };
      const context = storeReconcileContext(store, () => new Date(Date.now() + 3_600_000));
      const { failed } = await resync([controller], context, { intervalSeconds: 60, tickSeconds: 60 });
      expect(reconciled.sort()).toEqual(['a', 'c']);
      expect(failed.size).toBe(0);
    });

    it('reports it with a log line, a metric and a Warning Event, once per key per interval', async () => {
      const { namespace, store, clock, lines } = await setUp();
      const sightingsBefore = corruptItemSightings();
      for (let i = 0; i < 5; i++) await store.list(ConfigMapKind, { namespace });
      expect(corruptItemSightings() - sightingsBefore).toBe(5);
      expect(lines).toHaveLength(1);
      const line = JSON.parse(lines[0]) as Record<string, unknown>;
      expect(line).toMatchObject({
        key: `core/ConfigMap#${namespace}/b`,
        problem: 'the stored body is not valid JSON',
        [CORRUPT_ITEMS_METRIC]: 1,
      });
      expect(line._aws).toMatchObject({ CloudWatchMetrics: [{ Metrics: [{ Name: CORRUPT_ITEMS_METRIC }] }] });
      const [event, ...more] = await corruptEvents(store, namespace);
      expect(more).toEqual([]);
      expect(event).toMatchObject({
        type: 'Warning',
        reason: 'CorruptObject',
        count: 1,
        involvedObject: { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'b' },
      });
      expect(event.message).toContain('the stored body is not valid JSON');

      clock.now += CORRUPT_ITEM_REPORT_INTERVAL_MS;
      await store.list(ConfigMapKind, { namespace });
      expect(lines).toHaveLength(2);
      // The metric carries every sighting since the last report: 4 unreported lists, then this one.
      expect(JSON.parse(lines[1])).toMatchObject({ [CORRUPT_ITEMS_METRIC]: 5 });
      expect((await corruptEvents(store, namespace)).map((e) => e.count)).toEqual([2]);
      expect(lines.join('\n')).not.toContain(SECRET);
      expect(JSON.stringify(await corruptEvents(store, namespace))).not.toContain(SECRET);
    });

    it('refuses get and update with CorruptObjectError naming the object, never its body', async () => {
      const { namespace, store } = await setUp();
      const error = await store.get(ConfigMapKind, namespace, 'b').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CorruptObjectError);
      expect(error).toMatchObject({
        ref: { plural: 'configmaps', namespace, name: 'b' },
        key: `core/ConfigMap#${namespace}/b`,
      });
      expect((error as Error).message).toContain(`configmaps "b" in namespace "${namespace}"`);
      expect((error as Error).message).toContain('can be deleted');
      expect((error as Error).message).not.toContain(SECRET);
      await expect(
        store.update(ConfigMapKind, decoded(ConfigMapKind, aConfigMap({ name: 'b', namespace, data: {} }))),
      ).rejects.toBeInstanceOf(CorruptObjectError);
      await expect(store.get(ConfigMapKind, namespace, 'a')).resolves.toMatchObject({
        data: { password: SECRET },
      });
    });

    it('is removed by a plain delete, unread: the item is gone from the table and the lists', async () => {
      const { namespace, store, lines } = await setUp();
      const result = await store.delete(ConfigMapKind, namespace, 'b');
      expect(result).toMatchObject({
        removed: true,
        unread: true,
        object: { metadata: { name: 'b', namespace } },
      });
      expect(await storedItem(ConfigMapKind, namespace, 'b')).toBeUndefined();
      await expect(store.get(ConfigMapKind, namespace, 'b')).rejects.toBeInstanceOf(NotFoundError);
      const list = await store.list(ConfigMapKind, { namespace });
      expect(names(list.items)).toEqual(['a', 'c']);
      expect(list.corrupt).toBeUndefined();
      expect(lines.map((l) => JSON.parse(l).message)).toEqual(['corrupt stored item: deleted unread']);
      // Its name is free again.
      await store.create(ConfigMapKind, decoded(ConfigMapKind, aConfigMap({ name: 'b', namespace })));
    });

    it('is not removed unread by a delete with preconditions or an Orphan policy, unless told to', async () => {
      const { namespace, store } = await setUp();
      await expect(
        store.delete(ConfigMapKind, namespace, 'b', { preconditions: { uid: 'x' } }),
      ).rejects.toBeInstanceOf(CorruptObjectError);
      await expect(
        store.delete(ConfigMapKind, namespace, 'b', { propagationPolicy: 'Orphan' }),
      ).rejects.toBeInstanceOf(CorruptObjectError);
      expect(await storedItem(ConfigMapKind, namespace, 'b')).toBeDefined();
      await store.delete(ConfigMapKind, namespace, 'b', {
        preconditions: { uid: 'x' },
        propagationPolicy: 'Orphan',
        ignoreStoreReadErrorWithClusterBreakingPotential: true,
      });
      expect(await storedItem(ConfigMapKind, namespace, 'b')).toBeUndefined();
    });

    it.each([
      ['null', 'the stored body is not a JSON object'],
      ['[1,2]', 'the stored body is not a JSON object'],
      ['"b"', 'the stored body is not a JSON object'],
      ['{"apiVersion":"v1","kind":"ConfigMap"}', 'the stored body has no metadata'],
      ['{"metadata":[]}', 'the stored body has no metadata'],
      ['{"metadata":{"name":"a"}}', "the stored body's metadata.name is not the item's name"],
      [null, 'the item has no body'],
    ])('counts the body %p as corrupt: %s', async (body, problem) => {
      const { namespace, store } = await setUp(body);
      expect(names((await store.list(ConfigMapKind, { namespace })).items)).toEqual(['a', 'c']);
      await expect(store.get(ConfigMapKind, namespace, 'b')).rejects.toMatchObject({ problem });
      await store.delete(ConfigMapKind, namespace, 'b');
      expect(await storedItem(ConfigMapKind, namespace, 'b')).toBeUndefined();
    });
  });

  it('reports a corrupt cluster-scoped object with an Event in the default namespace', async () => {
    const { reporter } = aReporter();
    const store = aStore(reporter);
    const node = `corrupt-node-${++namespaceCount}`;
    await store.create(NodeKind, decoded(NodeKind, aNode({ name: node })));
    await damage(NodeKind, undefined, node, '{"metadata":');
    expect(names((await store.list(NodeKind)).items)).not.toContain(node);
    const events = await corruptEvents(store, 'default');
    expect(events.map((e) => e.involvedObject)).toContainEqual(
      expect.objectContaining({ kind: 'Node', name: node }),
    );
    expect(events.find((e) => e.involvedObject.name === node)?.involvedObject.namespace).toBeUndefined();
  });

  it('deletes only the damage it read: a stale mirror never removes an item repaired meanwhile', async () => {
    const namespace = await aNamespaceWithCorruptB();
    const { reporter } = aReporter();
    const stale = aStore(reporter, await TableMirror.load(client, tableName));
    const fixed = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'b', namespace, resourceVersion: '5' },
    };
    await client.send(
      new PutItemCommand({ TableName: tableName, Item: toItem(ConfigMapKind, fixed, JSON.stringify(fixed)) }),
    );
    await expect(stale.delete(ConfigMapKind, namespace, 'b')).rejects.toBeInstanceOf(ConflictError);
    expect(await storedItem(ConfigMapKind, namespace, 'b')).toBeDefined();
  });
});
