import { LocalNodeProvider, localInstanceId } from '../../../lib/cloud/local/local-node-provider';
import { nodeClaimController } from '../../../lib/controllers/node-claim/node-claim-controller';
import { PODS_DIGEST_ANNOTATION } from '../../../lib/controllers/node-claim/pods-digest';
import type { KubeObject } from '../../../lib/kinds/meta';
import { NodeKind } from '../../../lib/kinds/node';
import { NodeClaim, NodeClaimKind } from '../../../lib/kinds/node-claim';
import { PodKind } from '../../../lib/kinds/pod';
import { aNode, aPod } from '../../support/builders';
import { dynamoEngines } from '../../support/dynamo-engines';
import { controllerHarness, type ControllerHarness } from './garbage-collector/controller-harness';

const CLUSTER = 'test-cluster';
const FINALIZER = 'karpenter.sh/termination';

interface ClaimOptions {
  name: string;
  instanceType?: string;
  requests?: Record<string, string>;
  requirements?: { key: string; operator: string; values?: string[] }[];
  startupTaints?: { key: string; effect: 'NoSchedule' | 'NoExecute' }[];
}

/** A NodeClaim as the scheduler creates it: chosen offering, its pods' requests, the finalizer. */
function aNodeClaim({
  name,
  instanceType = 'local.small',
  requests,
  requirements,
  startupTaints,
}: ClaimOptions) {
  return {
    apiVersion: 'skiff.dev/v1alpha1',
    kind: 'NodeClaim',
    metadata: {
      name,
      finalizers: [FINALIZER],
      labels: { 'karpenter.sh/nodepool': 'default', 'node.kubernetes.io/instance-type': instanceType },
    },
    spec: {
      nodePool: 'default',
      instanceType,
      capacityType: 'on-demand',
      zone: 'local',
      ...(requests ? { resources: { requests } } : {}),
      ...(requirements ? { requirements } : {}),
      ...(startupTaints ? { startupTaints } : {}),
    },
  };
}

describe.each(dynamoEngines())('NodeClaim controller on $name', (engine) => {
  let h: ControllerHarness;
  beforeAll(async () => {
    h = await controllerHarness(engine, 'node-claims');
  });
  afterAll(() => h.destroy());

  /** A controller over a fresh local provider whose launch times follow the test's clock. */
  function setUp(options: { capacity?: Record<string, number>; registrationTimeoutSeconds?: number } = {}) {
    const provider = new LocalNodeProvider({
      now: () => h.context.now(),
      ...(options.capacity ? { capacity: options.capacity } : {}),
    });
    const controller = nodeClaimController({
      provider,
      clusterName: CLUSTER,
      ...(options.registrationTimeoutSeconds
        ? { registrationTimeoutSeconds: options.registrationTimeoutSeconds }
        : {}),
    });
    const reconcile = (name: string) => controller.reconcile({ kind: NodeClaimKind, name }, h.context);
    return { provider, reconcile };
  }

  const claimOf = async (name: string) => {
    const found = await h.find(NodeClaimKind, undefined, name);
    return found === undefined ? undefined : NodeClaim.parse(found);
  };
  const conditionsOf = async (name: string) =>
    Object.fromEntries(((await claimOf(name))?.status.conditions ?? []).map((c) => [c.type, c]));
  /** The injected clock's time as Kubernetes writes it (tests share the harness, so times are relative). */
  const nowStamp = () =>
    h.context
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  const eventsAbout = (name: string) => h.events.filter((event) => event.about === `NodeClaim ${name}`);

  /** Plays the node agent: registers the claim's Node with its providerID. */
  async function register(name: string, options: Parameters<typeof aNode>[0] = {}) {
    const claim = await claimOf(name);
    return h.create(NodeKind, aNode({ name, providerID: claim?.status.providerID, ...options }));
  }

  it('launches the chosen offering and records the instance, its resources and the Launched condition', async () => {
    const { provider, reconcile } = setUp();
    const created = await h.create(NodeClaimKind, aNodeClaim({ name: 'launch-1' }));
    const launchedAt = nowStamp();
    const result = await reconcile('launch-1');
    expect(result.requeueAfterSeconds).toBe(15 * 60);

    const claim = await claimOf('launch-1');
    const instanceId = localInstanceId(CLUSTER, created.metadata.uid ?? '');
    expect(claim?.status).toMatchObject({
      instanceId,
      providerID: `local:///local/${instanceId}`,
      capacity: { cpu: '2', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '1900m', memory: '7936Mi', pods: '110' },
    });
    const conditions = await conditionsOf('launch-1');
    expect(conditions.Launched).toMatchObject({
      status: 'True',
      reason: 'Launched',
      observedGeneration: 1,
      lastTransitionTime: launchedAt,
    });
    expect(conditions.Registered).toMatchObject({ status: 'Unknown', reason: 'NodeNotFound' });
    expect(claim?.metadata.labels).toMatchObject({
      'node.kubernetes.io/instance-type': 'local.small',
      'karpenter.sh/capacity-type': 'on-demand',
      'topology.kubernetes.io/zone': 'local',
    });
    expect(await provider.list(CLUSTER)).toEqual([
      expect.objectContaining({
        instanceId,
        claimUid: created.metadata.uid,
        poolName: 'default',
        instanceType: 'local.small',
      }),
    ]);
    expect(eventsAbout('launch-1')).toEqual([
      expect.objectContaining({
        type: 'Normal',
        reason: 'Launched',
        message: `Launched local.small/on-demand/local as ${instanceId}`,
      }),
    ]);
  });

  it('launches once: later reconciles, and a retry after a lost status write, find the same instance', async () => {
    const { provider, reconcile } = setUp();
    await h.create(NodeClaimKind, aNodeClaim({ name: 'once-1' }));
    await reconcile('once-1');
    const first = (await claimOf('once-1'))?.status.instanceId;
    h.advance(5);
    await reconcile('once-1');
    await reconcile('once-1');
    expect(await provider.list(CLUSTER)).toHaveLength(1);

    // The reconcile that launched died before its status write: the claim looks unlaunched.
    const claim = (await claimOf('once-1')) as KubeObject & NodeClaim;
    await h.store.updateStatus(NodeClaimKind, { ...claim, status: {} });
    await reconcile('once-1');
    expect(await provider.list(CLUSTER)).toHaveLength(1);
    expect((await claimOf('once-1'))?.status.instanceId).toBe(first);
  });

  it('falls back to the cheapest type that satisfies the requirements and holds the requests when the chosen one is full', async () => {
    // local.small is sold out; local.medium (3900m allocatable) cannot hold 3950m, so local.large it is.
    const { provider, reconcile } = setUp({ capacity: { 'local.small': 0 } });
    await h.create(
      NodeClaimKind,
      aNodeClaim({ name: 'fallback-1', requests: { cpu: '3950m', memory: '1Gi' } }),
    );
    await reconcile('fallback-1');
    const claim = await claimOf('fallback-1');
    expect(claim?.spec.instanceType).toBe('local.small');
    expect(claim?.metadata.labels?.['node.kubernetes.io/instance-type']).toBe('local.large');
    expect(claim?.status.capacity).toMatchObject({ cpu: '8' });
    expect((await provider.list(CLUSTER))[0]).toMatchObject({ instanceType: 'local.large' });
    expect(eventsAbout('fallback-1')).toEqual([
      expect.objectContaining({
        reason: 'LaunchedOnFallback',
        message: expect.stringMatching(
          /^Launched on fallback local\.large\/on-demand\/local as local-\w+: local\.small\/on-demand\/local was not available$/,
        ),
      }),
    ]);

    // A requirement excluding local.medium sends a small claim to local.large too.
    await h.create(
      NodeClaimKind,
      aNodeClaim({
        name: 'fallback-2',
        requests: { cpu: '500m' },
        requirements: [
          { key: 'node.kubernetes.io/instance-type', operator: 'NotIn', values: ['local.medium'] },
        ],
      }),
    );
    await reconcile('fallback-2');
    expect((await claimOf('fallback-2'))?.metadata.labels?.['node.kubernetes.io/instance-type']).toBe(
      'local.large',
    );
  });

  it('deletes a claim no offering has capacity for, saying why in an Event and the Launched condition', async () => {
    const { provider, reconcile } = setUp({
      capacity: { 'local.small': 0, 'local.medium': 0, 'local.large': 0 },
    });
    await h.create(NodeClaimKind, aNodeClaim({ name: 'full-1' }));
    await reconcile('full-1');
    const claim = await claimOf('full-1');
    expect(claim?.metadata.deletionTimestamp).toBeDefined();
    expect((await conditionsOf('full-1')).Launched).toMatchObject({
      status: 'False',
      reason: 'InsufficientCapacity',
      message: expect.stringContaining('local.small/on-demand/local'),
    });
    expect(eventsAbout('full-1')).toEqual([
      expect.objectContaining({
        type: 'Warning',
        reason: 'InsufficientCapacity',
        message: expect.stringMatching(/^no capacity for claim /),
      }),
    ]);
    await reconcile('full-1'); // the finalizer finds no instance and lets the claim go
    expect(await claimOf('full-1')).toBeUndefined();
    expect(await provider.list(CLUSTER)).toEqual([]);
  });

  it('turns Registered, Initialized and Ready as its Node registers, becomes Ready and loses its startup taint', async () => {
    const { reconcile } = setUp();
    const startupTaint = { key: 'example.com/agent-not-ready', effect: 'NoSchedule' as const };
    await h.create(NodeClaimKind, aNodeClaim({ name: 'node-1a', startupTaints: [startupTaint] }));
    await reconcile('node-1a');
    h.advance(20);
    const registeredAt = nowStamp();
    const node = await register('node-1a', {
      taints: [startupTaint],
      status: {
        capacity: { cpu: '2', memory: '8Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: 'False' }],
      },
    });
    expect((await reconcile('node-1a')).requeueAfterSeconds).toBeUndefined();
    let conditions = await conditionsOf('node-1a');
    expect(conditions.Registered).toMatchObject({ status: 'True', lastTransitionTime: registeredAt });
    expect(conditions.Initialized).toMatchObject({ status: 'Unknown', reason: 'NodeNotReady' });
    expect(conditions.Ready).toMatchObject({ status: 'False' });
    expect((await claimOf('node-1a'))?.status.nodeName).toBe('node-1a');

    h.advance(10);
    const readyAt = nowStamp();
    const ready = await h.store.updateStatus(NodeKind, {
      ...node,
      status: {
        ...(node.status as object),
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
      },
    });
    await reconcile('node-1a');
    conditions = await conditionsOf('node-1a');
    expect(conditions.Registered.lastTransitionTime).toBe(registeredAt);
    expect(conditions.Initialized).toMatchObject({ status: 'Unknown', reason: 'StartupTaintsExist' });
    expect(conditions.Ready).toMatchObject({
      status: 'True',
      reason: 'KubeletReady',
      lastTransitionTime: readyAt,
    });

    h.advance(10);
    const initializedAt = nowStamp();
    await h.store.update(NodeKind, { ...ready, spec: { ...(ready.spec as object), taints: [] } });
    await reconcile('node-1a');
    conditions = await conditionsOf('node-1a');
    expect(conditions.Initialized).toMatchObject({ status: 'True', lastTransitionTime: initializedAt });
    expect(eventsAbout('node-1a').map((event) => event.reason)).toEqual([
      'Launched',
      'Registered',
      'Initialized',
    ]);
  });

  it('deletes a claim whose Node has not registered within the timeout, then terminates its instance', async () => {
    const { provider, reconcile } = setUp({ registrationTimeoutSeconds: 600 });
    await h.create(NodeClaimKind, aNodeClaim({ name: 'late-1' }));
    await reconcile('late-1');
    h.advance(599);
    expect((await reconcile('late-1')).requeueAfterSeconds).toBe(1);
    expect((await claimOf('late-1'))?.metadata.deletionTimestamp).toBeUndefined();
    h.advance(1);
    await reconcile('late-1');
    expect((await claimOf('late-1'))?.metadata.deletionTimestamp).toBeDefined();
    expect(eventsAbout('late-1').at(-1)).toMatchObject({ type: 'Warning', reason: 'RegistrationTimeout' });
    await reconcile('late-1');
    expect(await claimOf('late-1')).toBeUndefined();
    expect(await provider.list(CLUSTER)).toEqual([]);
  });

  it('on deletion deletes the Node, terminates the instance and removes the finalizer', async () => {
    const { provider, reconcile } = setUp();
    await h.create(NodeClaimKind, aNodeClaim({ name: 'gone-1' }));
    await reconcile('gone-1');
    await register('gone-1');
    await reconcile('gone-1');
    const instanceId = (await claimOf('gone-1'))?.status.instanceId;

    const deleted = await h.store.delete(NodeClaimKind, undefined, 'gone-1');
    expect(deleted.removed).toBe(false); // the finalizer holds it
    await reconcile('gone-1');
    expect(await claimOf('gone-1')).toBeUndefined();
    expect(await h.find(NodeKind, undefined, 'gone-1')).toBeUndefined();
    expect(await provider.list(CLUSTER)).toEqual([]);
    expect(eventsAbout('gone-1').at(-1)).toMatchObject({
      type: 'Normal',
      reason: 'Terminated',
      message: `Terminated instance ${instanceId}; deleted node gone-1`,
    });
  });

  it('on deletion finds the instance by claim uid when the status never named it', async () => {
    const { provider, reconcile } = setUp();
    await h.create(NodeClaimKind, aNodeClaim({ name: 'gone-2' }));
    await reconcile('gone-2');
    const claim = (await claimOf('gone-2')) as KubeObject & NodeClaim;
    await h.store.updateStatus(NodeClaimKind, { ...claim, status: {} });
    await h.store.delete(NodeClaimKind, undefined, 'gone-2');
    await reconcile('gone-2');
    expect(await claimOf('gone-2')).toBeUndefined();
    expect(await provider.list(CLUSTER)).toEqual([]);
  });

  it('deletes a registered claim whose Node was deleted', async () => {
    const { provider, reconcile } = setUp();
    await h.create(NodeClaimKind, aNodeClaim({ name: 'node-deleted-1' }));
    await reconcile('node-deleted-1');
    await register('node-deleted-1');
    await reconcile('node-deleted-1');
    await h.store.delete(NodeKind, undefined, 'node-deleted-1');
    await reconcile('node-deleted-1');
    await reconcile('node-deleted-1');
    expect(await claimOf('node-deleted-1')).toBeUndefined();
    expect(await provider.list(CLUSTER)).toEqual([]);
  });

  it('moves lastPodEventTime when a pod is bound to its Node or leaves it, and not otherwise', async () => {
    const { reconcile } = setUp();
    await h.create(NodeClaimKind, aNodeClaim({ name: 'pods-1' }));
    await reconcile('pods-1');
    await register('pods-1');
    await reconcile('pods-1');
    const lastPodEventTime = async () => (await claimOf('pods-1'))?.status.lastPodEventTime;
    expect(await lastPodEventTime()).toBeUndefined(); // no pod yet: nothing happened

    h.advance(60); // a pod is bound
    const boundAt = nowStamp();
    const pod = await h.create(PodKind, aPod({ name: 'pods-1-a', spec: { nodeName: 'pods-1' } }));
    await reconcile('pods-1');
    expect(await lastPodEventTime()).toBe(boundAt);
    expect((await claimOf('pods-1'))?.metadata.annotations?.[PODS_DIGEST_ANNOTATION]).toMatch(
      /^[0-9a-f]{16}$/,
    );

    h.advance(60); // the pod runs, a pod lands elsewhere, the claim is looked at again
    await h.store.updateStatus(PodKind, { ...pod, status: { phase: 'Running' } });
    await h.create(PodKind, aPod({ name: 'pods-1-elsewhere', spec: { nodeName: 'another-node' } }));
    await reconcile('pods-1');
    await reconcile('pods-1');
    expect(await lastPodEventTime()).toBe(boundAt);

    h.advance(60); // a second pod is bound
    const secondAt = nowStamp();
    await h.create(PodKind, aPod({ name: 'pods-1-b', spec: { nodeName: 'pods-1' } }));
    await reconcile('pods-1');
    expect(await lastPodEventTime()).toBe(secondAt);

    h.advance(60); // the first pod is deleted
    const removedAt = nowStamp();
    await h.store.delete(PodKind, 'default', 'pods-1-a');
    await reconcile('pods-1');
    expect(await lastPodEventTime()).toBe(removedAt);
  });
});
