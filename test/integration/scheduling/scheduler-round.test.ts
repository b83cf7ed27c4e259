import { LocalNodeProvider } from '../../../lib/cloud/local/local-node-provider';
import type { EventRecorder } from '../../../lib/controllers/event-recorder';
import { decodeObject } from '../../../lib/kinds/decode';
import type { KindInfo } from '../../../lib/kinds/kind-info';
import type { KubeObject } from '../../../lib/kinds/meta';
import { NamespaceKind } from '../../../lib/kinds/namespace';
import { NodeKind } from '../../../lib/kinds/node';
import { NodeClaimKind, type NodeClaim } from '../../../lib/kinds/node-claim';
import { NodePoolKind, type NodePool } from '../../../lib/kinds/node-pool';
import { PodKind, type Pod } from '../../../lib/kinds/pod';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../../lib/local/embedded-dynamo';
import { nodeManifest } from '../../../lib/agent/node/node-manifest';
import { instanceLabels } from '../../../lib/scheduling/snapshot/capacity-objects';
import { DISRUPTED_TAINT } from '../../../lib/kinds/node-claim';
import { dryRunPlan } from '../../../lib/scheduling/runner/dry-run';
import { DynamoSchedulerLease } from '../../../lib/scheduling/runner/scheduler-lease';
import { runSchedulerRound, type SchedulerDeps } from '../../../lib/scheduling/runner/scheduler-round';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { NotFoundError } from '../../../lib/store/errors';
import type { ObjectStore } from '../../../lib/store/object-store';
import { aNamespace, aPod } from '../../support/builders';

/**
 * One scheduling round at a time, on the embedded engine with the local provider: what a round
 * writes (claims, bindings, pod conditions, Events), the lease that keeps a second scheduler from
 * applying, and the drain of a disrupted node.
 */
const TABLE = 'scheduler-round';

interface Recorded {
  object: string;
  type: string;
  reason: string;
  message: string;
}

describe('a scheduling round', () => {
  let dynamo: EmbeddedDynamo;
  let store: ObjectStore;
  let provider: LocalNodeProvider;
  let events: Recorded[];
  let nowMs: number;
  let deps: SchedulerDeps;
  let tableName: string;
  let tables = 0;

  const create = (kind: KindInfo, manifest: unknown) =>
    store.create(kind, decodeObject(kind, manifest).object);
  const pod = (name: string, cpu: string, extra: Partial<Parameters<typeof aPod>[0]> = {}) =>
    create(PodKind, {
      ...aPod({ name, requests: { cpu, memory: '256Mi' }, ...extra }),
      status: { phase: 'Pending' },
    });
  const getPod = async (name: string) => (await store.get(PodKind, 'default', name)) as Pod;
  const claims = async () => (await store.list(NodeClaimKind)).items as NodeClaim[];
  /** Registers the Node of a claim as its node agent would (lib/agent/node/node-manifest.ts). */
  const registerNode = async (claim: NodeClaim) => {
    const type = (await provider.catalogue()).find((t) => t.name === claim.spec.instanceType)!;
    const name = claim.metadata.name ?? '';
    const manifest = nodeManifest({
      identity: {
        nodeName: name,
        providerID: `local:///local/local-${name}`,
        zone: 'local',
        instanceType: type.name,
        capacityType: claim.spec.capacityType,
        ...(claim.spec.nodePool ? { nodePool: claim.spec.nodePool } : {}),
        internalIP: '127.0.0.1',
        hostname: name,
        architecture: 'amd64',
      },
      capacity: { cpuMillis: type.vcpu * 1000, memoryBytes: type.memoryMiB * 2 ** 20 },
      claim: { labels: claim.metadata.labels, taints: claim.spec.taints },
      extraLabels: instanceLabels(type),
      agentPort: 0,
      agentVersion: 'test',
      runtimeVersion: 'process',
    });
    return store.create(NodeKind, decodeObject(NodeKind, manifest as unknown as KubeObject).object);
  };

  /** Gives a pod a controlling ReplicaSet, so a drain may delete it (its controller recreates it). */
  const giveController = async (name: string) => {
    const current = await getPod(name);
    await store.update(PodKind, {
      ...current,
      metadata: {
        ...current.metadata,
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-1', controller: true },
        ],
      },
    } as KubeObject);
  };
  /** Registers a second, empty node beside `claim`'s, then taints `claim`'s node as disrupted. */
  const disruptBesideSpare = async (claim: NodeClaim) => {
    await registerNode({
      ...claim,
      metadata: { ...claim.metadata, name: 'spare', uid: 'spare-uid' },
    } as NodeClaim);
    const node = await store.get(NodeKind, undefined, claim.metadata.name ?? '');
    await store.update(NodeKind, {
      ...node,
      spec: { ...(node.spec as object), taints: [DISRUPTED_TAINT] },
    } as KubeObject);
  };

  beforeAll(async () => {
    dynamo = await startEmbeddedDynamo({});
  });
  afterAll(async () => dynamo?.stop());

  beforeEach(async () => {
    tableName = `${TABLE}-${++tables}`;
    // A fresh table per test: the round reads everything.
    await createObjectTable(dynamo.client, tableName);
    store = new DynamoObjectStore({ client: dynamo.client, tableName });
    provider = new LocalNodeProvider();
    events = [];
    nowMs = Date.now(); // the store stamps creationTimestamp by the wall clock
    const recorder: EventRecorder = {
      record: async (about: KubeObject, type, reason, message) => {
        events.push({ object: `${about.kind}/${about.metadata.name}`, type, reason, message });
      },
    };
    deps = {
      store,
      provider,
      lease: new DynamoSchedulerLease({ client: dynamo.client, tableName, holder: 'a', now: () => nowMs }),
      events: recorder,
      zones: ['local'],
      now: () => new Date(nowMs),
    };
    await create(NamespaceKind, aNamespace({ name: 'default' }));
    await create(NodePoolKind, {
      apiVersion: 'skiff.dev/v1alpha1',
      kind: 'NodePool',
      metadata: { name: 'local' },
      spec: { template: { metadata: { labels: { team: 'web' } } } },
    });
  });

  it('makes one claim for pods no node fits, tells them why they wait, and binds them once its node registers', async () => {
    await pod('a', '500m');
    await pod('b', '1');
    const first = await runSchedulerRound(deps);
    expect(first.skipped).toBeUndefined();
    const [claim, ...others] = await claims();
    expect(others).toEqual([]);
    expect(claim.metadata.name).toMatch(/^local-[0-9a-f]{6}$/);
    expect(claim.metadata.finalizers).toEqual(['karpenter.sh/termination']);
    expect(claim.metadata.labels).toMatchObject({ team: 'web', 'karpenter.sh/nodepool': 'local' });
    expect(claim.spec).toMatchObject({
      nodePool: 'local',
      instanceType: 'local.small',
      capacityType: 'on-demand',
      zone: 'local',
      usdPerHour: '0.1008',
      pods: [expect.objectContaining({ name: 'b' }), expect.objectContaining({ name: 'a' })],
      resources: { requests: { cpu: '1500m', memory: '512Mi', pods: '2' } },
    });
    expect(claim.status.decision).toMatchObject({
      action: 'Launch',
      reason: 'Provision',
      usdPerHour: '0.1008',
    });
    const waiting = (await getPod('a')).status.conditions?.find((c) => c.type === 'PodScheduled');
    expect(waiting).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    expect(waiting?.message).toContain(`nodeclaim/${claim.metadata.name}`);
    expect(events).toContainEqual(
      expect.objectContaining({
        object: 'Pod/a',
        reason: 'Nominated',
        message: `Pod should schedule on: nodeclaim/${claim.metadata.name}`,
      }),
    );

    // A second round before the node registers plans onto the claim in flight: nothing new.
    events = [];
    const second = await runSchedulerRound(deps);
    expect(second.applied?.launched).toEqual([]);
    expect(await claims()).toHaveLength(1);
    expect(events).toEqual([]); // the pods already say why they wait

    await registerNode(claim);
    const third = await runSchedulerRound(deps);
    expect(third.applied?.bound).toBe(2);
    for (const name of ['a', 'b']) {
      const bound = await getPod(name);
      expect(bound.spec.nodeName).toBe(claim.metadata.name);
      expect(bound.status.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
    }
  });

  it("keeps each NodePool's status: what its claims hold and cost, and whether it can launch", async () => {
    await pod('a', '500m');
    await runSchedulerRound(deps); // creates the claim; the next round reads it
    await runSchedulerRound(deps);
    const pool = (await store.get(NodePoolKind, undefined, 'local')) as NodePool;
    expect(pool.status.resources).toEqual({ cpu: '2', memory: '8Gi', nodes: '1' });
    expect(pool.status.usdPerHour).toBe('0.1008');
    expect(pool.status.conditions).toEqual([expect.objectContaining({ type: 'Ready', status: 'True' })]);
    const version = pool.metadata.resourceVersion;
    await runSchedulerRound(deps); // nothing changed: no write
    expect((await store.get(NodePoolKind, undefined, 'local')).metadata.resourceVersion).toBe(version);
  });

  it('launches ahead for the pods of a node that is gone with its claim, and lets them go at once', async () => {
    await pod('a', '500m');
    await giveController('a');
    await runSchedulerRound(deps);
    const [first] = await claims();
    await registerNode(first);
    await runSchedulerRound(deps);
    expect((await getPod('a')).spec.nodeName).toBe(first.metadata.name);
    // An interruption: the claim is being deleted (its finalizer holds it) and its Node is gone.
    await store.delete(NodeClaimKind, undefined, first.metadata.name ?? '');
    await store.delete(NodeKind, undefined, first.metadata.name ?? '');

    const round = await runSchedulerRound(deps);
    expect(round.applied?.launched).toHaveLength(1);
    expect(round.orphanedPods).toEqual(['default/a']);
    await expect(getPod('a')).rejects.toBeInstanceOf(NotFoundError);
  });

  it("force-deletes a terminating pod once its node's agent is silent and its grace ran out (PodGC)", async () => {
    await pod('a', '500m');
    await runSchedulerRound(deps);
    const [first] = await claims();
    const name = first.metadata.name ?? '';
    await registerNode(first);
    await runSchedulerRound(deps);
    await store.delete(PodKind, 'default', 'a', { gracePeriodSeconds: 10 });
    expect((await runSchedulerRound(deps)).terminatingPods).toEqual([]); // its agent is alive

    const node = await store.get(NodeKind, undefined, name);
    const silent = [{ type: 'Ready', status: 'Unknown', lastTransitionTime: '2026-01-01T00:00:00Z' }];
    await store.updateStatus(NodeKind, {
      ...node,
      status: { ...(node.status as object), conditions: silent },
    } as KubeObject);
    expect((await runSchedulerRound(deps)).terminatingPods).toEqual([]); // grace still running
    expect((await getPod('a')).metadata.deletionTimestamp).toBeDefined();

    nowMs += 11_000;
    expect((await runSchedulerRound(deps)).terminatingPods).toEqual(['default/a']);
    await expect(getPod('a')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('force-deletes the terminating pods of a not-ready node tainted out-of-service at once', async () => {
    await pod('a', '500m');
    await runSchedulerRound(deps);
    const [first] = await claims();
    const name = first.metadata.name ?? '';
    await registerNode(first);
    await runSchedulerRound(deps);
    await store.delete(PodKind, 'default', 'a');
    const node = await store.get(NodeKind, undefined, name);
    const notReady = [{ type: 'Ready', status: 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }];
    await store.updateStatus(NodeKind, {
      ...node,
      status: { ...(node.status as object), conditions: notReady },
    } as KubeObject);
    expect((await runSchedulerRound(deps)).terminatingPods).toEqual([]); // its agent still answers
    const tainted = await store.get(NodeKind, undefined, name);
    const outOfService = { key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' };
    await store.update(NodeKind, {
      ...tainted,
      spec: { ...(tainted.spec as object), taints: [outOfService] },
    } as KubeObject);
    expect((await runSchedulerRound(deps)).terminatingPods).toEqual(['default/a']);
    await expect(getPod('a')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers the plan it would apply without applying it (the dry run)', async () => {
    await pod('a', '500m');
    await pod('huge', '64');
    const dryRun = await dryRunPlan(store, provider, ['local'], new Date(nowMs));
    expect(dryRun.launches).toEqual([
      expect.objectContaining({
        pool: 'local',
        instanceType: 'local.small',
        pods: ['default/a'],
        usdPerHour: 0.1008,
      }),
    ]);
    expect(dryRun.unschedulable.map((u) => u.pod)).toEqual(['default/huge']);
    expect(dryRun.usdPerHour).toEqual({ current: 0, added: 0.1008, removed: 0, after: 0.1008 });
    expect(await claims()).toEqual([]);
    expect((await getPod('a')).status.conditions).toBeUndefined();
    expect(events).toEqual([]);
  });

  it("says in kube-scheduler's words why a pod no node and no pool can take waits", async () => {
    await pod('huge', '64');
    await runSchedulerRound(deps);
    const condition = (await getPod('huge')).status.conditions?.find((c) => c.type === 'PodScheduled');
    expect(condition).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    expect(condition?.message).toMatch(/^0\/0 nodes are available/);
    expect(condition?.message).toContain('local');
    expect(events).toEqual([
      expect.objectContaining({
        object: 'Pod/huge',
        type: 'Warning',
        reason: 'FailedScheduling',
        message: condition?.message,
      }),
    ]);
    expect(await claims()).toEqual([]);
  });

  it('does nothing while another scheduler holds the lease, and takes over once it expires', async () => {
    const other = new DynamoSchedulerLease({
      client: dynamo.client,
      tableName,
      holder: 'b',
      now: () => nowMs,
    });
    const fence = await other.acquire();
    expect(fence).toBeDefined();
    await pod('a', '500m');
    expect(await runSchedulerRound(deps)).toMatchObject({ skipped: 'lease-held' });
    expect(await claims()).toEqual([]);

    nowMs += 31_000; // past the other's lease
    const round = await runSchedulerRound(deps);
    expect(round.fence).toBeGreaterThan(fence!);
    expect(await claims()).toHaveLength(1);
    // The stale holder's confirmation is refused: it would drop its plan.
    expect(await other.confirm(fence!)).toBe(false);
  });

  it('drains a disrupted node whose pods fit elsewhere: its pods and claim are deleted, never its uncontrolled pods', async () => {
    await pod('a', '500m');
    await runSchedulerRound(deps);
    const [first] = await claims();
    await registerNode(first);
    await runSchedulerRound(deps);
    expect((await getPod('a')).spec.nodeName).toBe(first.metadata.name);
    // Give the pod a controller, then a second node with room, then disrupt the first.
    await giveController('a');
    await disruptBesideSpare(first);

    const round = await runSchedulerRound(deps);
    expect(round.drained).toEqual([first.metadata.name]);
    // Deleted gracefully: the node's agent stops it and removes it.
    expect((await getPod('a')).metadata.deletionGracePeriodSeconds).toBe(30);
    const remaining = await store.get(NodeClaimKind, undefined, first.metadata.name ?? '');
    expect(remaining.metadata.deletionTimestamp).toBeDefined(); // the finalizer waits for the claim controller
  });

  it("replaces a node past its pool's expireAfter: tainted, with the decision on its claim", async () => {
    const pool = await store.get(NodePoolKind, undefined, 'local');
    await store.update(NodePoolKind, {
      ...pool,
      spec: { ...(pool.spec as object), template: { spec: { expireAfter: '1h' } } },
    } as KubeObject);
    await pod('a', '500m');
    await runSchedulerRound(deps);
    const [claim] = await claims();
    expect(claim.spec.expireAfter).toBe('1h');
    await registerNode(claim);
    const young = await runSchedulerRound(deps);
    expect(young.expired).toEqual([]);

    nowMs += 2 * 3600_000;
    const round = await runSchedulerRound(deps);
    expect(round.expired).toEqual([claim.metadata.name]);
    const node = await store.get(NodeKind, undefined, claim.metadata.name ?? '');
    expect((node.spec as { taints?: unknown[] }).taints).toContainEqual(DISRUPTED_TAINT);
    const decided = (await store.get(NodeClaimKind, undefined, claim.metadata.name ?? '')) as NodeClaim;
    expect(decided.status.decision).toMatchObject({ action: 'Replace', reason: 'Expired' });
    expect(events).toContainEqual(expect.objectContaining({ reason: 'DisruptionExpired' }));
  });

  it('leaves a disrupted node alone while one of its pods has no controller to recreate it', async () => {
    await pod('bare', '500m');
    await runSchedulerRound(deps);
    const [first] = await claims();
    await registerNode(first);
    await runSchedulerRound(deps);
    await disruptBesideSpare(first);
    const round = await runSchedulerRound(deps);
    expect(round.drained).toEqual([]);
    expect((await getPod('bare')).spec.nodeName).toBe(first.metadata.name);
  });
});
