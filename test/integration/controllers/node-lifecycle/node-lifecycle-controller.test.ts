import { nodeLifecycleController } from '../../../../lib/controllers/node-lifecycle/node-lifecycle-controller';
import { LeaseKind } from '../../../../lib/kinds/lease';
import { NodeKind, type NodeCondition, type Taint } from '../../../../lib/kinds/node';
import { PodKind } from '../../../../lib/kinds/pod';
import { timestamp } from '../../../../lib/store/server-fields';
import { aLease, aNode, aPod } from '../../../support/builders';
import { dynamoEngines } from '../../../support/dynamo-engines';
import { controllerHarness, type ControllerHarness } from '../garbage-collector/controller-harness';

const UNREACHABLE = 'node.kubernetes.io/unreachable';

describe.each(dynamoEngines())('Node lifecycle controller on $name', (engine) => {
  let h: ControllerHarness;
  beforeAll(async () => {
    h = await controllerHarness(engine, 'nodelifecycle', ['default', 'kube-node-lease']);
  });
  afterAll(() => h.destroy());

  const controller = nodeLifecycleController();
  const reconcile = (name: string) => controller.reconcile({ kind: NodeKind, name }, h.context);
  /** The injected clock, `seconds` ago, as a Kubernetes timestamp. */
  const ago = (seconds: number) => timestamp(new Date(h.context.now().getTime() - seconds * 1000));
  const nodeOf = async (name: string) => {
    const node = await h.store.get(NodeKind, undefined, name);
    return {
      conditions: (node.status as { conditions: NodeCondition[] }).conditions,
      taints: (node.spec as { taints?: Taint[] }).taints ?? [],
    };
  };
  const ready = async (name: string) => (await nodeOf(name)).conditions.find((c) => c.type === 'Ready');
  const taintKeys = async (name: string) =>
    (await nodeOf(name)).taints.map((t) => `${t.key}:${t.effect}`).sort();

  /** A node whose agent last posted Ready `heartbeatAgo` seconds ago, with a Lease renewed `leaseAgo` seconds ago. */
  async function aNodeHeard(name: string, heartbeatAgo: number, leaseAgo?: number) {
    await h.create(
      NodeKind,
      aNode({
        name,
        status: {
          capacity: { cpu: '2', memory: '4Gi', pods: '110' },
          conditions: [
            { type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: ago(heartbeatAgo) },
            { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: ago(heartbeatAgo) },
          ],
        },
      }),
    );
    if (leaseAgo !== undefined) await h.create(LeaseKind, aLease({ name, renewTime: ago(leaseAgo) }));
  }

  it.each([
    { case: 'a fresh Lease keeps it Ready', heartbeatAgo: 600, leaseAgo: 10, status: 'True', requeue: 30 },
    {
      case: 'a Lease 41 s old turns it Unknown',
      heartbeatAgo: 600,
      leaseAgo: 41,
      status: 'Unknown',
      requeue: 300,
    },
    {
      case: 'without a Lease, a recent heartbeat keeps it Ready',
      heartbeatAgo: 5,
      status: 'True',
      requeue: 35,
    },
    {
      case: 'without a Lease, an old heartbeat turns it Unknown',
      heartbeatAgo: 50,
      status: 'Unknown',
      requeue: 300,
    },
  ])('$case (requeue after $requeue s)', async ({ case: title, heartbeatAgo, leaseAgo, status, requeue }) => {
    const name = title
      .replace(/[^a-z0-9]+/gi, '-')
      .toLowerCase()
      .replace(/-+$/, '');
    await aNodeHeard(name, heartbeatAgo, leaseAgo);
    // A pod on the node makes the eviction deadline (300 s, the default toleration) the next look.
    await h.create(PodKind, aPod({ name: `${name}-pod`, spec: { nodeName: name } }));
    expect(await reconcile(name)).toEqual({ requeueAfterSeconds: requeue });
    expect((await ready(name))?.status).toBe(status);
    expect(await taintKeys(name)).toEqual(
      status === 'True' ? [] : [`${UNREACHABLE}:NoExecute`, `${UNREACHABLE}:NoSchedule`],
    );
  });

  it('marks a silent node as kube does: Ready and pressures Unknown, two unreachable taints, one Event', async () => {
    await aNodeHeard('silent', 600, 45);
    await reconcile('silent');
    const { conditions, taints } = await nodeOf('silent');
    const now = timestamp(h.context.now());
    for (const type of ['Ready', 'MemoryPressure'])
      expect(conditions.find((c) => c.type === type)).toMatchObject({
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
        lastHeartbeatTime: ago(600),
        lastTransitionTime: now,
      });
    expect(taints).toEqual([
      { key: UNREACHABLE, effect: 'NoSchedule' },
      { key: UNREACHABLE, effect: 'NoExecute', timeAdded: now },
    ]);
    expect(h.events.filter((e) => e.about === 'Node silent')).toEqual([
      {
        about: 'Node silent',
        type: 'Normal',
        reason: 'NodeNotReady',
        message: 'Node silent status is now: NodeNotReady',
      },
    ]);

    h.advance(5); // reconciling again changes nothing: the taint keeps its timeAdded
    await reconcile('silent');
    expect((await nodeOf('silent')).taints).toEqual(taints);
    expect(h.events.filter((e) => e.about === 'Node silent')).toHaveLength(1);
  });

  it('removes the unreachable taints once the Lease is renewed and the agent reports Ready again', async () => {
    await aNodeHeard('back', 600, 45);
    await reconcile('back');
    expect(await taintKeys('back')).toHaveLength(2);

    // The Lease alone is not enough: Ready is still the Unknown the controller wrote.
    const lease = await h.store.get(LeaseKind, 'kube-node-lease', 'back');
    await h.store.update(LeaseKind, { ...lease, spec: { ...(lease.spec as object), renewTime: ago(0) } });
    await reconcile('back');
    expect(await taintKeys('back')).toHaveLength(2);

    const node = await h.store.get(NodeKind, undefined, 'back');
    const conditions = (node.status as { conditions: NodeCondition[] }).conditions.map((c) =>
      c.type === 'Ready'
        ? { ...c, status: 'True' as const, reason: 'KubeletReady', lastHeartbeatTime: ago(0) }
        : c,
    );
    await h.store.updateStatus(NodeKind, { ...node, status: { ...(node.status as object), conditions } });
    expect(await reconcile('back')).toEqual({ requeueAfterSeconds: 40 });
    expect(await taintKeys('back')).toEqual([]);
    expect((await ready('back'))?.status).toBe('True');
  });

  it('deletes the pods only when their toleration runs out, honouring their own tolerationSeconds', async () => {
    await aNodeHeard('lost', 600, 45);
    const onLost = (name: string, spec: Record<string, unknown> = {}) =>
      h.create(PodKind, aPod({ name, spec: { nodeName: 'lost', ...spec } }));
    const tolerating = (tolerationSeconds?: number) => ({
      tolerations: [
        {
          key: UNREACHABLE,
          operator: 'Exists',
          effect: 'NoExecute',
          ...(tolerationSeconds === undefined ? {} : { tolerationSeconds }),
        },
      ],
    });
    await onLost('short', tolerating(60));
    await onLost('forever', tolerating());
    const controlled = aPod({ name: 'controlled', spec: { nodeName: 'lost' } });
    await h.create(PodKind, {
      ...controlled,
      metadata: {
        ...controlled.metadata,
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true },
        ],
      },
    });
    await onLost('bare'); // no controller: kube deletes it too, and nothing replaces it
    await h.create(PodKind, aPod({ name: 'elsewhere', spec: { nodeName: 'node-elsewhere' } }));
    // Evicted pods are deleted gracefully: marked, left for their node's agent (or PodGC) to remove.
    const remaining = async () =>
      (await h.store.list(PodKind, { namespace: 'default' })).items
        .filter((p) => !p.metadata.deletionTimestamp)
        .map((p) => p.metadata.name ?? '')
        .filter((n) => ['short', 'forever', 'controlled', 'bare', 'elsewhere'].includes(n))
        .sort();

    expect(await reconcile('lost')).toEqual({ requeueAfterSeconds: 60 });
    h.advance(59);
    expect(await reconcile('lost')).toEqual({ requeueAfterSeconds: 1 });
    expect(await remaining()).toEqual(['bare', 'controlled', 'elsewhere', 'forever', 'short']);

    h.advance(1);
    expect(await reconcile('lost')).toEqual({ requeueAfterSeconds: 240 });
    expect(await remaining()).toEqual(['bare', 'controlled', 'elsewhere', 'forever']);
    expect(h.events).toContainEqual({
      about: 'Pod short',
      type: 'Normal',
      reason: 'TaintManagerEviction',
      message: 'Marking for deletion Pod default/short',
    });

    h.advance(239);
    await reconcile('lost');
    expect(await remaining()).toEqual(['bare', 'controlled', 'elsewhere', 'forever']);
    h.advance(1);
    expect(await reconcile('lost')).toEqual({});
    expect(await remaining()).toEqual(['elsewhere', 'forever']);
  });

  it('leaves a deleted or missing node alone', async () => {
    expect(await reconcile('never-was')).toEqual({});
  });
});
