import type { NodeProvider } from '../../cloud/node-provider';
import type { EventRecorder } from '../../controllers/event-recorder';
import { NodeClaimKind } from '../../kinds/node-claim';
import { PodKind } from '../../kinds/pod';
import type { ObjectStore } from '../../store/object-store';
import type { Plan } from '../model';
import { plan } from '../planner';
import { applyConsolidation, type AppliedConsolidation } from './apply-consolidation';
import { applyPlan, type AppliedPlan } from './apply-plan';
import { unlessChanged } from './concurrent-change';
import { expireClaims } from './expire-claims';
import { updatePoolStatuses } from './pool-status';
import { isDeleting, readClusterState, type ClusterState } from './cluster-state';
import { collectPods } from './pod-gc';
import { LeaseLostError, type SchedulerLease } from './scheduler-lease';

/**
 * The scheduler's loop shape (design decision 4), beside the controllers' reconcile: read a
 * snapshot of the cluster, plan it (pure, deterministic: lib/scheduling/planner.ts), apply the
 * plan. One round at a time across the whole deployment, under a DynamoDB lease whose fencing
 * token every apply step confirms.
 */
export interface SchedulerDeps {
  store: ObjectStore;
  provider: NodeProvider;
  lease: SchedulerLease;
  /** Events as `default-scheduler` writes them (FailedScheduling, Nominated) and capacity decisions. */
  events: EventRecorder;
  /** Zones on-demand capacity may launch in. */
  zones: readonly string[];
  now: () => Date;
}

export interface RoundResult {
  /** Set when another scheduler held the lease and this round did nothing. */
  skipped?: 'lease-held' | 'lease-lost';
  fence?: number;
  plan?: Plan;
  applied?: AppliedPlan;
  /** Claims of drained nodes deleted (their pods all had a place elsewhere). */
  drained: string[];
  /** What consolidation and the warm floor decided and did. */
  consolidation?: AppliedConsolidation;
  /** Claims past their expireAfter, whose nodes were tainted to be replaced. */
  expired?: string[];
  /** Pods deleted because the node they were bound to no longer exists (kube's PodGC). */
  orphanedPods: string[];
  /** Terminating pods force-deleted because no agent is left on their node to finish them. */
  terminatingPods?: string[];
}

export async function runSchedulerRound(deps: SchedulerDeps): Promise<RoundResult> {
  const fence = await deps.lease.acquire();
  if (fence === undefined) return { skipped: 'lease-held', drained: [], orphanedPods: [] };
  const confirm = async () => {
    if (!(await deps.lease.confirm(fence))) throw new LeaseLostError(fence);
  };
  try {
    const context = { ...deps, fence, confirm };
    let state = await readClusterState(deps.store, deps.provider, deps.zones);
    // Expiry before planning: an expiring node takes no pods this round and its pods are
    // replanned at once, and consolidation does not weigh it again.
    const expired = await expireClaims(state, context);
    if (expired.length > 0) state = await readClusterState(deps.store, deps.provider, deps.zones);
    const planned = plan(state.snapshot, { claimPrefix: `r${fence}` });
    const applied = await applyPlan(state, planned, context);
    await confirm();
    const drained = await drainDisplaced(state, planned, deps);
    // The warm floor counts claims in flight, so it waits for a round that launched nothing.
    const consolidation = await applyConsolidation(state, context, {
      provisioning: applied,
      launchWarm: planned.launches.length === 0,
      decided: new Set(expired),
    });
    await updatePoolStatuses(state, context);
    const collected = await collectPods(state, deps);
    return {
      fence,
      plan: planned,
      applied,
      drained,
      consolidation,
      expired,
      orphanedPods: collected.orphaned,
      terminatingPods: collected.terminating,
    };
  } catch (error) {
    if (error instanceof LeaseLostError)
      return { skipped: 'lease-lost', fence, drained: [], orphanedPods: [] };
    throw error;
  } finally {
    await deps.lease.release(fence);
  }
}

/**
 * Nodes going away (disrupted, or their claim being deleted) whose pods the plan could all bind
 * elsewhere now: their pods are deleted (their controllers recreate them and the next round binds
 * them to the places just found) and their claim deleted. A node whose pods would have to wait for
 * new capacity keeps them until that capacity registers: a pod is never stranded.
 */
async function drainDisplaced(state: ClusterState, planned: Plan, deps: SchedulerDeps): Promise<string[]> {
  const placed = new Set(planned.bindings.map((binding) => binding.pod));
  const byNode = new Map<string, string[]>();
  for (const [pod, node] of state.displaced) byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  const drained: string[] = [];
  for (const [name, node] of state.nodes) {
    const claim = state.claims.get(name);
    if (!claim || isDeleting(claim)) continue;
    const leaving = state.snapshot.nodes.find((n) => n.name === name)?.deleting === true;
    if (!leaving || isDeleting(node)) continue;
    const pods = byNode.get(name) ?? [];
    const bound = state.podsByNode.get(name) ?? [];
    if (pods.length !== bound.length || !pods.every((pod) => placed.has(pod))) continue;
    for (const key of pods) {
      const pod = state.pods.get(key);
      if (!pod) continue;
      await unlessChanged(() =>
        deps.store.delete(PodKind, pod.metadata.namespace, pod.metadata.name ?? '', {
          preconditions: { uid: pod.metadata.uid },
        }),
      );
    }
    await unlessChanged(() =>
      deps.store.delete(NodeClaimKind, undefined, name, { preconditions: { uid: claim.metadata.uid } }),
    );
    await deps.events.record(
      claim,
      'Normal',
      'DisruptionTerminating',
      `Disrupting NodeClaim: ${pods.length} pod(s) moved to other nodes`,
    );
    drained.push(name);
  }
  return drained;
}
