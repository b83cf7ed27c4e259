import type { KubeObject } from '../../kinds/meta';
import { NodeKind, type Node } from '../../kinds/node';
import {
  DISRUPTED_TAINT,
  NodeClaimKind,
  type CapacityDecision,
  type NodeClaim,
} from '../../kinds/node-claim';
import { consolidate } from '../consolidation/consolidate';
import type { ConsolidationPlan, NodeToConsolidate, PoolDisruption } from '../consolidation/model';
import { poolDisruptionOf } from '../consolidation/pool-disruption';
import { warmLaunches } from '../consolidation/warm-floor';
import { pendingPodOf } from '../snapshot/from-objects';
import { createClaim, timestamp, type AppliedPlan, type ApplyContext } from './apply-plan';
import { usd, REPLACES_ANNOTATION } from './claim-manifest';
import { unlessChanged } from './concurrent-change';
import { isControlled, isDeleting, type ClusterState } from './cluster-state';

/** The annotation that keeps a pod's node (or a node, or a claim) from being disrupted. */
export const DO_NOT_DISRUPT = 'karpenter.sh/do-not-disrupt';

export interface AppliedConsolidation {
  plan: ConsolidationPlan;
  /** Stored names of the claims launched for the warm floor and as replacements. */
  launched: string[];
  /** Claims whose nodes were tainted for disruption (their pods move on a later round). */
  disrupted: string[];
}

/**
 * The pools' disruption settings and the nodes consolidation may weigh: every registered node
 * launched for a claim, with its pods as pods that would have to move.
 */
export function consolidationInput(state: ClusterState): {
  candidates: NodeToConsolidate[];
  pools: PoolDisruption[];
} {
  const pools = [...state.pools.values()].filter((pool) => !isDeleting(pool)).map(poolDisruptionOf);
  const candidates: NodeToConsolidate[] = [];
  for (const node of state.snapshot.nodes) {
    const claim = node.claim ? state.claims.get(node.claim) : undefined;
    const stored = state.nodes.get(node.name);
    if (!claim || !stored || !claim.spec.nodePool) continue;
    const pods = (state.podsByNode.get(node.name) ?? []).filter((pod) => !isDeleting(pod));
    candidates.push({
      node: node.name,
      claim: claim.metadata.name ?? '',
      pool: claim.spec.nodePool,
      usdPerHour: Number(claim.spec.usdPerHour ?? 0),
      createdAt: claim.metadata.creationTimestamp ?? timestamp(new Date(0)),
      ...(claim.status.lastPodEventTime ? { lastPodEventTime: claim.status.lastPodEventTime } : {}),
      pods: pods.map((pod) => ({
        ...pendingPodOf(pod),
        controlled: isControlled(pod),
        ...(pod.metadata.annotations?.[DO_NOT_DISRUPT] === 'true' ? { doNotDisrupt: true } : {}),
      })),
      ...(node.deleting ? { disrupting: true } : {}),
      ...(stored.metadata.annotations?.[DO_NOT_DISRUPT] === 'true' ||
      claim.metadata.annotations?.[DO_NOT_DISRUPT] === 'true'
        ? { doNotDisrupt: true }
        : {}),
    });
  }
  return { candidates, pools };
}

/**
 * Plans consolidation and the warm floor over the round's snapshot and applies them: a node to
 * delete or replace gets the disrupted taint (no new pods) and its decision on its NodeClaim; a
 * replacement is launched first. The node's pods are moved by a later round's drain, once the plan
 * has a place for every one of them (scheduler-round.ts), so nothing is stranded. An empty node's
 * claim is deleted at once. Nodes left alone get the reason on their claim when it changes.
 */
export async function applyConsolidation(
  state: ClusterState,
  context: ApplyContext,
  options: {
    provisioning: AppliedPlan;
    launchWarm: boolean;
    /** Claims something else already decided on this round (expiry): left alone. */
    decided?: ReadonlySet<string>;
  },
): Promise<AppliedConsolidation> {
  const { candidates, pools } = consolidationInput(state);
  const now = context.now();
  const plan = consolidate({
    snapshot: state.snapshot,
    candidates,
    pools,
    now,
    claimPrefix: `r${context.fence}`,
  });
  const result: AppliedConsolidation = { plan, launched: [], disrupted: [] };
  await context.confirm();
  if (options.launchWarm)
    for (const launch of warmLaunches(state.snapshot, pools, `r${context.fence}`)) {
      const name = await createClaim(state, launch, context, options.provisioning);
      if (name) result.launched.push(name);
    }
  for (const disruption of plan.disruptions) {
    const claim = state.claims.get(disruption.claim);
    const node = state.nodes.get(disruption.node) as Node | undefined;
    if (!claim || !node || options.decided?.has(disruption.claim)) continue;
    await context.confirm();
    let replacement: string | undefined;
    if (disruption.replacement) {
      replacement = await createClaim(state, disruption.replacement, context, options.provisioning, {
        [REPLACES_ANNOTATION]: disruption.node,
      });
      if (!replacement) continue;
      result.launched.push(replacement);
    }
    const decision: CapacityDecision = {
      action: disruption.action,
      reason: disruption.reason,
      message: replacement
        ? `${disruption.message}; replacement nodeclaim/${replacement}`
        : disruption.message,
      usdPerHour: claim.spec.usdPerHour,
      savingsUsdPerHour: usd(disruption.savingsUsdPerHour),
      time: timestamp(now),
    };
    if (!(await recordDecision(claim, decision, context))) continue;
    await context.events.record(claim, 'Normal', `Disruption${disruption.action}`, decision.message ?? '');
    if (disruption.moves.length === 0 && !replacement) {
      // Empty: nothing to move, the claim goes now (its controller removes the Node and the instance).
      await unlessChanged(() =>
        context.store.delete(NodeClaimKind, undefined, disruption.claim, {
          preconditions: { uid: claim.metadata.uid },
        }),
      );
    } else await taintDisrupted(node, context);
    result.disrupted.push(disruption.claim);
  }
  for (const kept of plan.undisrupted) {
    const claim = state.claims.get(kept.claim);
    if (!claim || options.decided?.has(kept.claim) || claim.status.decision?.message === kept.reason)
      continue;
    const decision: CapacityDecision = {
      action: 'Keep',
      reason: 'Unconsolidatable',
      message: kept.reason,
      time: timestamp(now),
    };
    if (await recordDecision(claim, decision, context))
      await context.events.record(claim, 'Normal', 'Unconsolidatable', kept.reason);
  }
  return result;
}

/** Writes the decision on the claim's status; false when the claim moved or went meanwhile. */
async function recordDecision(
  claim: NodeClaim,
  decision: CapacityDecision,
  context: ApplyContext,
): Promise<boolean> {
  return unlessChanged(async () => {
    await context.store.updateStatus(NodeClaimKind, {
      ...claim,
      status: { ...claim.status, decision },
    } as KubeObject);
  });
}

/** Puts the disrupted taint on the node (no new pods; its own are moved by the drain). */
async function taintDisrupted(node: Node, context: ApplyContext): Promise<void> {
  const taints = node.spec.taints ?? [];
  if (taints.some((taint) => taint.key === DISRUPTED_TAINT.key)) return;
  await unlessChanged(async () => {
    await context.store.update(NodeKind, {
      ...node,
      spec: { ...node.spec, taints: [...taints, { ...DISRUPTED_TAINT }] },
    } as KubeObject);
  });
}
