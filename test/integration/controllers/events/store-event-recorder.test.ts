import { StoreEventRecorder } from '../../../../lib/controllers/events/store-event-recorder';
import { decodeObject } from '../../../../lib/kinds/decode';
import { EventKind, type Event } from '../../../../lib/kinds/event';
import type { KubeObject } from '../../../../lib/kinds/meta';
import { NamespaceKind } from '../../../../lib/kinds/namespace';
import { NodeKind } from '../../../../lib/kinds/node';
import { PodKind } from '../../../../lib/kinds/pod';
import { createObjectTable } from '../../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../../lib/store/dynamo-object-store';
import { aNamespace, aNode, aPod } from '../../../support/builders';
import { dynamoClient, dynamoEngines, uniqueTableName } from '../../../support/dynamo-engines';

const engine = dynamoEngines()[0];

describe(`StoreEventRecorder on ${engine.name}`, () => {
  const client = dynamoClient(engine.endpoint);
  const tableName = uniqueTableName('event-recorder');
  const store = new DynamoObjectStore({ client, tableName });
  let clock = new Date('2025-01-01T12:00:00Z');
  const recorder = new StoreEventRecorder({ store, component: 'replicaset-controller', now: () => clock });
  let pod: KubeObject;

  beforeAll(async () => {
    await createObjectTable(client, tableName);
    for (const name of ['default', 'team-a'])
      await store.create(NamespaceKind, decodeObject(NamespaceKind, aNamespace({ name })).object);
    pod = await store.create(
      PodKind,
      decodeObject(PodKind, aPod({ name: 'web-0', namespace: 'team-a' })).object,
    );
  });
  afterAll(() => client.destroy());

  async function eventsAbout(object: KubeObject, namespace = 'team-a'): Promise<Event[]> {
    const list = await store.list(EventKind, { namespace });
    return (list.items as Event[]).filter((event) => event.involvedObject.uid === object.metadata.uid);
  }

  it('creates an Event in the object’s namespace with count 1', async () => {
    clock = new Date('2025-01-01T12:00:00Z');
    await recorder.record(pod, 'Normal', 'Scheduled', 'assigned to node-1');
    const [event] = await eventsAbout(pod);
    expect(event).toMatchObject({
      metadata: { namespace: 'team-a' },
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Pod',
        name: 'web-0',
        namespace: 'team-a',
        uid: pod.metadata.uid,
        resourceVersion: pod.metadata.resourceVersion,
      },
      type: 'Normal',
      reason: 'Scheduled',
      message: 'assigned to node-1',
      count: 1,
      firstTimestamp: '2025-01-01T12:00:00Z',
      lastTimestamp: '2025-01-01T12:00:00Z',
      source: { component: 'replicaset-controller' },
      reportingComponent: 'replicaset-controller',
      reportingInstance: '',
    });
    expect(event.metadata.name).toMatch(/^web-0\.[0-9a-f]{16}$/);
  });

  it('aggregates a repeat into the same Event: count 2, lastTimestamp moved', async () => {
    clock = new Date('2025-01-01T12:05:00Z');
    await recorder.record(pod, 'Normal', 'Scheduled', 'assigned to node-1');
    const events = (await eventsAbout(pod)).filter((event) => event.reason === 'Scheduled');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      count: 2,
      firstTimestamp: '2025-01-01T12:00:00Z',
      lastTimestamp: '2025-01-01T12:05:00Z',
    });
  });

  it('keeps reports with different messages as different Events', async () => {
    await recorder.record(pod, 'Warning', 'BackOff', 'restarting container a');
    await recorder.record(pod, 'Warning', 'BackOff', 'restarting container b');
    const backOffs = (await eventsAbout(pod)).filter((event) => event.reason === 'BackOff');
    expect(backOffs.map((event) => [event.message, event.count]).sort()).toEqual([
      ['restarting container a', 1],
      ['restarting container b', 1],
    ]);
  });

  it('counts every one of concurrent repeats', async () => {
    await Promise.all([1, 2, 3, 4].map(() => recorder.record(pod, 'Normal', 'Pulled', 'image pulled')));
    const [pulled] = (await eventsAbout(pod)).filter((event) => event.reason === 'Pulled');
    expect(pulled.count).toBe(4);
  });

  it('files Events about cluster-scoped objects in `default`', async () => {
    const node = await store.create(NodeKind, decodeObject(NodeKind, aNode({ name: 'node-1' })).object);
    await recorder.record(node, 'Normal', 'NodeReady', 'node-1 is ready');
    const [event] = await eventsAbout(node, 'default');
    expect(event.involvedObject).toMatchObject({ kind: 'Node', name: 'node-1' });
    expect(event.involvedObject.namespace).toBeUndefined();
  });
});
