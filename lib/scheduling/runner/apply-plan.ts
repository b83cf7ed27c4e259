import type { EventRecorder } from '../../controllers/event-recorder';
import type { KubeObject } from '../../kinds/meta';
import { NodeClaimKind } from '../../kinds/node-claim';
import { PodKind, type Pod } from '../../kinds/pod';
import type { PodCondition } from '../../kinds/pod-status';
import { AlreadyExistsError } from '../../store/errors';
import type { ObjectStore } from '../../store/object-store';
import { bindPod } from '../../store/pod-binding';
import type { Launch, Plan, Resources } from '../model';
import { claimManifest, claimName } from './claim-manifest';
import { podRequests } from '../snapshot/from-objects';
import { subtract } from '../slots';
import { unlessChanged } from './concurrent-change';
import type { ClusterState } from './cluster-state';

/** Writes between lease confirmations in a long step (a few hundred ms of writes). */
const CONFIRM_EVERY = 50;

/** What applying a plan did, for logs, metrics and tests. */
export interface AppliedPlan {
  bound: number;
  /** Stored names of the claims created. */
  launched: string[];
  /** Pods told why they wait (PodScheduled=False written or left as it already said). */
  waiting: number;
  /** Writes lost to a concurrent change (the next round sees the new state and replans). */
  conflicts: number;
}

export interface ApplyContext {
  store: ObjectStore;
  events: EventRecorder;
  now: () => Date;
  /** The round's fencing token: claim names derive from it. */
  fence: number;
  /** Throws LeaseLostError when the lease is gone: called before each step, so a stale plan stops. */
  confirm: () => Promise<void>;
}

/**
 * Applies a provisioning plan, in the order that never strands a pod: claims first (so a pod
 * nominated to one has it), then bindings to existing nodes, then what waiting pods are told.
 * Every write is conditional on what the round read: a pod that moved since is left for the next
 * round, never bound twice.
 */
export async function applyPlan(
  state: ClusterState,
  plan: Plan,
  context: ApplyContext,
): Promise<AppliedPlan> {
  const result: AppliedPlan = { bound: 0, launched: [], waiting: 0, conflicts: 0 };
  const names = new Map<string, string>();
  await context.confirm();
  for (const launch of plan.launches) {
    const name = await createClaim(state, launch, context, result);
    if (name) names.set(launch.claim, name);
  }
  await context.confirm();
  let sinceConfirmed = 0;
  for (const binding of plan.bindings) {
    // A long binding loop stays fenced: a stale scheduler stops within CONFIRM_EVERY writes.
    if (++sinceConfirmed % CONFIRM_EVERY === 0) await context.confirm();
    if (state.displaced.has(binding.pod)) continue; // still on its node: moved when that node drains
    const pod = state.pods.get(binding.pod);
    if (!pod) continue;
    await tolerateConflict(result, async () => {
      await bindPod(
        context.store,
        pod.metadata.namespace,
        {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
          target: { kind: 'Node', name: binding.node },
        },
        { resourceVersion: pod.metadata.resourceVersion, now: () => timestamp(context.now()) },
      );
      result.bound++;
    });
  }
  await context.confirm();
  for (const nomination of plan.nominations) {
    if (state.displaced.has(nomination.pod)) continue;
    const pod = state.pods.get(nomination.pod);
    const claim = names.get(nomination.node) ?? nomination.node;
    if (!pod) continue;
    const message = `waiting for nodeclaim/${claim} to launch and register its node; no existing node fits`;
    if (await tellWhyWaiting(pod, message, context, result))
      await context.events.record(pod, 'Normal', 'Nominated', `Pod should schedule on: nodeclaim/${claim}`);
  }
  for (const { pod: key, reason } of plan.unschedulable) {
    const pod = state.pods.get(key);
    if (!pod || state.displaced.has(key)) continue;
    if (await tellWhyWaiting(pod, reason, context, result))
      await context.events.record(pod, 'Warning', 'FailedScheduling', reason);
  }
  return result;
}

/**
 * Creates the NodeClaim for a launch (the provisioning plan's, the warm floor's or a
 * consolidation replacement's); answers its stored name. A name already taken (a retried round)
 * counts as created.
 */
export async function createClaim(
  state: ClusterState,
  launch: Launch,
  context: ApplyContext,
  result: AppliedPlan,
  annotations: Record<string, string> = {},
): Promise<string | undefined> {
  const pool = state.pools.get(launch.pool);
  if (!pool) return undefined;
  const name = claimName(launch, context.fence);
  const requests: Resources = {};
  const uids = new Map<string, string>();
  for (const key of launch.pods) {
    const pod = state.pods.get(key);
    if (pod?.metadata.uid) uids.set(key, pod.metadata.uid);
    for (const [resource, amount] of Object.entries(requestsOf(state, key)))
      requests[resource] = (requests[resource] ?? 0) + amount;
  }
  // A claim made for no pod (the warm floor) must still be what was chosen: a fallback type may
  // not be smaller than the chosen one's allocatable.
  if (launch.pods.length === 0)
    Object.assign(requests, subtract(launch.offering.capacity, state.snapshot.overhead));
  const manifest = claimManifest(launch, name, pool, requests, uids, context.now(), annotations);
  try {
    const created = await context.store.create(NodeClaimKind, manifest as unknown as KubeObject);
    result.launched.push(name);
    await context.events.record(created, 'Normal', 'Launching', launch.reason);
    return name;
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
    result.conflicts++;
    return name;
  }
}

/**
 * Sets PodScheduled=False with the reason the pod waits, as kube-scheduler does after a failed
 * attempt, unless it already says exactly that (so a pod waiting for many rounds costs no writes
 * and repeats no Events). Answers whether it wrote.
 */
async function tellWhyWaiting(
  pod: Pod,
  message: string,
  context: ApplyContext,
  result: AppliedPlan,
): Promise<boolean> {
  result.waiting++;
  const conditions = pod.status.conditions ?? [];
  const current = conditions.find((c) => c.type === 'PodScheduled');
  if (current?.status === 'False' && current.message === message) return false;
  const now = timestamp(context.now());
  const condition: PodCondition = {
    type: 'PodScheduled',
    status: 'False',
    lastTransitionTime: current?.status === 'False' ? (current.lastTransitionTime ?? now) : now,
    reason: 'Unschedulable',
    message,
  };
  const status = {
    ...pod.status,
    phase: pod.status.phase ?? 'Pending',
    conditions: current
      ? conditions.map((c) => (c.type === 'PodScheduled' ? condition : c))
      : [...conditions, condition],
  };
  return tolerateConflict(result, async () => {
    await context.store.updateStatus(PodKind, { ...pod, status } as KubeObject);
  });
}

/** unlessChanged, counting the writes lost in the result. */
async function tolerateConflict(result: AppliedPlan, write: () => Promise<void>): Promise<boolean> {
  const written = await unlessChanged(write);
  if (!written) result.conflicts++;
  return written;
}

/**
 * A pod's requests as the snapshot counted them, by `namespace/name`: pending pods' from the
 * snapshot, bound pods' (a replacement's, moved by consolidation) from their specs. Indexed once
 * per state.
 */
function requestsOf(state: ClusterState, key: string): Resources {
  let index = requestIndex.get(state);
  if (!index) {
    index = new Map();
    for (const pods of state.podsByNode.values())
      for (const pod of pods)
        index.set(`${pod.metadata.namespace}/${pod.metadata.name}`, podRequests(pod.spec));
    for (const pod of state.snapshot.pending) index.set(`${pod.namespace}/${pod.name}`, pod.requests);
    requestIndex.set(state, index);
  }
  return index.get(key) ?? {};
}
const requestIndex = new WeakMap<ClusterState, Map<string, Resources>>();

/** RFC 3339 to the second, as Kubernetes writes times. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
