import {
  handleInterruptions,
  INTERRUPTION_EVENT_ANNOTATION,
  type InterruptionDeps,
} from '../../../lib/cloud/interruption/handle-interruptions';
import { StoreEventRecorder } from '../../../lib/controllers/events/store-event-recorder';
import { decodeObject } from '../../../lib/kinds/decode';
import { EventKind, type Event } from '../../../lib/kinds/event';
import type { KubeObject } from '../../../lib/kinds/meta';
import { NamespaceKind } from '../../../lib/kinds/namespace';
import { NodeKind, type Node } from '../../../lib/kinds/node';
import { NodeClaimKind, type NodeClaim } from '../../../lib/kinds/node-claim';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { NotFoundError } from '../../../lib/store/errors';
import type { ObjectStore } from '../../../lib/store/object-store';
import { aNamespace, aNode } from '../../support/builders';
import { dynamoClient, dynamoEngines, uniqueTableName } from '../../support/dynamo-engines';
import {
  aRebalanceRecommendation,
  aScheduledChange,
  aSpotInterruptionWarning,
  aStateChange,
} from '../../unit/cloud/fixtures/interruption-events';

const NOW = new Date('2026-09-01T12:00:30Z');
let sequence = 0;

describe.each(dynamoEngines())('handling interruption messages on $name', (engine) => {
  const client = dynamoClient(engine.endpoint);
  const tableName = uniqueTableName('interruption');
  const store = new DynamoObjectStore({ client, tableName });
  const logged: Array<{ message: string; fields: Record<string, unknown> }> = [];
  const deps = (over: Partial<InterruptionDeps> = {}): InterruptionDeps => ({
    store,
    now: () => NOW,
    events: new StoreEventRecorder({ store, component: 'skiff-interruption', now: () => NOW }),
    log: (message, fields) => logged.push({ message, fields }),
    ...over,
  });

  beforeAll(async () => {
    await createObjectTable(client, tableName);
    await store.create(NamespaceKind, decodeObject(NamespaceKind, aNamespace({ name: 'default' })).object);
  });
  afterAll(() => client.destroy());

  /** A launched claim (with the termination finalizer) holding a fresh instance, and its registered Node. */
  async function aLaunchedClaim(options: { registered?: boolean; nodeProviderID?: string } = {}) {
    const n = ++sequence;
    const name = `default-${n.toString(36).padStart(5, '0')}`;
    const instanceId = `i-0${n.toString(16).padStart(16, '0')}`;
    const providerID = `aws:///us-east-1a/${instanceId}`;
    const manifest = {
      apiVersion: 'skiff.dev/v1alpha1',
      kind: 'NodeClaim',
      metadata: { name, finalizers: ['karpenter.sh/termination'] },
      spec: { nodePool: 'default', instanceType: 'm5.large', capacityType: 'spot', zone: 'us-east-1a' },
    };
    const created = await store.create(NodeClaimKind, decodeObject(NodeClaimKind, manifest).object);
    await store.updateStatus(NodeClaimKind, {
      ...created,
      status: { instanceId, providerID, nodeName: name },
    });
    if (options.registered !== false) {
      const node = aNode({
        name,
        providerID: options.nodeProviderID ?? providerID,
        taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }],
      });
      await store.create(NodeKind, decodeObject(NodeKind, node).object);
    }
    return { name, instanceId };
  }

  async function find<T>(kind: typeof NodeKind, name: string): Promise<T | undefined> {
    try {
      return (await store.get(kind, undefined, name)) as unknown as T;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }
  const claimOf = (name: string) => find<NodeClaim>(NodeClaimKind, name);
  const nodeOf = (name: string) => find<Node>(NodeKind, name);

  /** Every Event about the named object, as `Kind type reason: message ×count`. */
  async function eventsAbout(name: string): Promise<string[]> {
    const { items } = await store.list(EventKind, { namespace: 'default' });
    return (items as unknown as Event[])
      .filter((event) => event.involvedObject.name === name)
      .map((e) => `${e.involvedObject.kind} ${e.type} ${e.reason}: ${e.message} ×${e.count ?? 1}`)
      .sort();
  }

  const message = (body: string, messageId = `m-${++sequence}`) => ({ messageId, body });

  it('cordons and taints the node of a spot instance about to be reclaimed, records why, and deletes its claim', async () => {
    const { name, instanceId } = await aLaunchedClaim();

    const [outcome] = await handleInterruptions(
      [message(aSpotInterruptionWarning(instanceId, { id: 'spot-1', time: '2026-09-01T12:00:00Z' }), 'm1')],
      deps(),
    );

    expect(outcome).toEqual({
      messageId: 'm1',
      kind: 'SpotInterruption',
      result: 'acted',
      claims: [name],
      ageSeconds: 30,
    });
    const node = await nodeOf(name);
    expect(node?.spec.unschedulable).toBe(true);
    expect(node?.spec.taints).toEqual([
      { key: 'dedicated', value: 'web', effect: 'NoSchedule' },
      { key: 'karpenter.sh/disrupted', effect: 'NoSchedule' },
    ]);
    const claim = await claimOf(name);
    expect(claim?.metadata.deletionTimestamp).toBeDefined();
    expect(claim?.metadata.annotations?.[INTERRUPTION_EVENT_ANNOTATION]).toBe('spot-1');
    expect(await eventsAbout(name)).toEqual([
      'Node Warning SpotInterrupted: Spot interruption warning was triggered ×1',
      'Node Warning TerminatingOnInterruption: Interruption triggered termination for the Node ×1',
      'NodeClaim Warning SpotInterrupted: Spot interruption warning was triggered ×1',
      'NodeClaim Warning TerminatingOnInterruption: Interruption triggered termination for the NodeClaim ×1',
    ]);
  });

  it('does nothing new when the same message is delivered again', async () => {
    const { name, instanceId } = await aLaunchedClaim();
    const body = aSpotInterruptionWarning(instanceId, { id: 'spot-2' });
    await handleInterruptions([message(body)], deps());
    const nodeBefore = await nodeOf(name);
    const claimBefore = await claimOf(name);
    const eventsBefore = await eventsAbout(name);

    const [again] = await handleInterruptions([message(body)], deps());

    expect(again?.result).toBe('already-handled');
    expect((await nodeOf(name))?.metadata.resourceVersion).toBe(nodeBefore?.metadata.resourceVersion);
    expect((await claimOf(name))?.metadata.resourceVersion).toBe(claimBefore?.metadata.resourceVersion);
    expect(await eventsAbout(name)).toEqual(eventsBefore);
  });

  it('finishes, without a second Event, a delivery that stopped before deleting the claim', async () => {
    const { name, instanceId } = await aLaunchedClaim();
    const claim = (await claimOf(name))!;
    // A first delivery that marked the claim and recorded its Events, then died.
    await store.update(NodeClaimKind, {
      ...(claim as unknown as KubeObject),
      metadata: { ...claim.metadata, annotations: { [INTERRUPTION_EVENT_ANNOTATION]: 'spot-3' } },
    });

    const [outcome] = await handleInterruptions(
      [message(aSpotInterruptionWarning(instanceId, { id: 'spot-3' }))],
      deps(),
    );

    expect(outcome?.result).toBe('acted');
    expect((await nodeOf(name))?.spec.unschedulable).toBe(true);
    expect((await claimOf(name))?.metadata.deletionTimestamp).toBeDefined();
    expect(await eventsAbout(name)).toEqual([]);
  });

  it.each([
    ['stopping', 'InstanceStopping: Instance is stopping'],
    ['stopped', 'InstanceStopping: Instance is stopping'],
    ['shutting-down', 'InstanceTerminating: Instance is terminating'],
    ['terminated', 'InstanceTerminating: Instance is terminating'],
  ])('replaces the node of an instance %s, with the Event %s', async (state, event) => {
    const { name, instanceId } = await aLaunchedClaim();

    await handleInterruptions([message(aStateChange(instanceId, state))], deps());

    expect((await nodeOf(name))?.spec.unschedulable).toBe(true);
    expect((await claimOf(name))?.metadata.deletionTimestamp).toBeDefined();
    expect(await eventsAbout(name)).toContain(`NodeClaim Warning ${event} ×1`);
    expect(await eventsAbout(name)).toContain(`Node Warning ${event} ×1`);
  });

  it('leaves the node of an instance that starts alone', async () => {
    const { name, instanceId } = await aLaunchedClaim();

    const [outcome] = await handleInterruptions([message(aStateChange(instanceId, 'running'))], deps());

    expect(outcome).toMatchObject({ kind: 'NoOp', result: 'ignored' });
    expect((await nodeOf(name))?.spec.unschedulable).toBeUndefined();
    expect((await claimOf(name))?.metadata.deletionTimestamp).toBeUndefined();
  });

  it('only reports a rebalance recommendation, once per event', async () => {
    const { name, instanceId } = await aLaunchedClaim();
    const first = aRebalanceRecommendation(instanceId, { id: 'rebalance-1' });

    const outcomes = await handleInterruptions([message(first), message(first)], deps());
    await handleInterruptions([message(aRebalanceRecommendation(instanceId, { id: 'rebalance-2' }))], deps());

    expect(outcomes.map((o) => o.result)).toEqual(['acted', 'already-handled']);
    const node = await nodeOf(name);
    expect(node?.spec.unschedulable).toBeUndefined();
    expect(node?.spec.taints).toEqual([{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }]);
    expect((await claimOf(name))?.metadata.deletionTimestamp).toBeUndefined();
    expect(await eventsAbout(name)).toEqual([
      'Node Normal SpotRebalanceRecommendation: Spot rebalance recommendation was triggered ×2',
      'NodeClaim Normal SpotRebalanceRecommendation: Spot rebalance recommendation was triggered ×2',
    ]);
  });

  it('deletes the claim of an instance that never registered, with its Events on the claim alone', async () => {
    const { name, instanceId } = await aLaunchedClaim({ registered: false });

    const [outcome] = await handleInterruptions([message(aSpotInterruptionWarning(instanceId))], deps());

    expect(outcome?.result).toBe('acted');
    expect((await claimOf(name))?.metadata.deletionTimestamp).toBeDefined();
    expect(await eventsAbout(name)).toEqual([
      'NodeClaim Warning SpotInterrupted: Spot interruption warning was triggered ×1',
      'NodeClaim Warning TerminatingOnInterruption: Interruption triggered termination for the NodeClaim ×1',
    ]);
  });

  it('does not cordon a Node of the claim’s name that reports another instance', async () => {
    const { name, instanceId } = await aLaunchedClaim({
      nodeProviderID: 'aws:///us-east-1b/i-0ffffffffffffffff',
    });

    await handleInterruptions([message(aSpotInterruptionWarning(instanceId))], deps());

    expect((await nodeOf(name))?.spec.unschedulable).toBeUndefined();
    expect((await claimOf(name))?.metadata.deletionTimestamp).toBeDefined();
  });

  it('replaces every instance a scheduled change names', async () => {
    const a = await aLaunchedClaim();
    const b = await aLaunchedClaim();

    const [outcome] = await handleInterruptions(
      [message(aScheduledChange([a.instanceId, b.instanceId]))],
      deps(),
    );

    expect(outcome).toMatchObject({ kind: 'ScheduledChange', result: 'acted', claims: [a.name, b.name] });
    for (const { name } of [a, b]) {
      expect((await claimOf(name))?.metadata.deletionTimestamp).toBeDefined();
      expect(await eventsAbout(name)).toContain(
        'NodeClaim Warning InstanceUnhealthy: An unhealthy warning was triggered for the instance ×1',
      );
    }
  });

  it('acknowledges an instance no claim holds, writing nothing', async () => {
    await aLaunchedClaim();
    const versions = async () => {
      const kinds = [NodeClaimKind, NodeKind];
      const lists = await Promise.all(kinds.map((kind) => store.list(kind)));
      const events = await store.list(EventKind, { namespace: 'default' });
      return [...lists.flatMap((list) => list.items), ...events.items].map(
        (o) => `${o.kind}/${o.metadata.name}@${o.metadata.resourceVersion}`,
      );
    };
    const before = await versions();

    const [outcome] = await handleInterruptions(
      [message(aSpotInterruptionWarning('i-0123456789abcdef0'))],
      deps(),
    );

    expect(outcome).toMatchObject({ result: 'no-claim', claims: [] });
    expect(await versions()).toEqual(before);
  });

  it('acknowledges and logs what it cannot read, and fails only the messages whose handling threw', async () => {
    const { instanceId } = await aLaunchedClaim();
    const broken: ObjectStore = {
      ...store,
      get: store.get.bind(store),
      create: store.create.bind(store),
      update: store.update.bind(store),
      updateStatus: store.updateStatus.bind(store),
      delete: store.delete.bind(store),
      list: async () => {
        throw new Error('ProvisionedThroughputExceededException');
      },
    };
    logged.length = 0;

    const outcomes = await handleInterruptions(
      [
        message('{"detail-type":"EC2 AMI State Change"}', 'unknown'),
        message(aSpotInterruptionWarning(instanceId), 'spot'),
      ],
      deps({ store: broken }),
    );

    expect(outcomes.map(({ messageId, result }) => [messageId, result])).toEqual([
      ['unknown', 'ignored'],
      ['spot', 'failed'],
    ]);
    expect(logged.map((l) => l.message)).toEqual([
      'interruption message acknowledged unread',
      'interruption message failed; it will be delivered again',
    ]);
    expect(logged[0]?.fields).toEqual({
      messageId: 'unknown',
      why: 'unknown detail-type "EC2 AMI State Change"',
    });
  });

  it('cordons through a concurrent write to the node, keeping it', async () => {
    const { name, instanceId } = await aLaunchedClaim();
    let raced = false;
    const racing: ObjectStore = {
      get: store.get.bind(store),
      list: store.list.bind(store),
      create: store.create.bind(store),
      updateStatus: store.updateStatus.bind(store),
      delete: store.delete.bind(store),
      // The agent reports the node's status between our read and our write, once.
      update: async (kind, object) => {
        if (kind === NodeKind && !raced) {
          raced = true;
          const current = await store.get(NodeKind, undefined, name);
          await store.updateStatus(NodeKind, {
            ...current,
            status: { ...(current.status as object), phase: 'Running' },
          });
        }
        return store.update(kind, object);
      },
    };

    await handleInterruptions([message(aSpotInterruptionWarning(instanceId))], deps({ store: racing }));

    const node = await nodeOf(name);
    expect(raced).toBe(true);
    expect(node?.spec.unschedulable).toBe(true);
    expect(node?.status.phase).toBe('Running');
  });
});
