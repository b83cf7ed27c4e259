import type { KubeObject } from '../../kinds/meta';
import { NotFoundError } from '../../store/errors';
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
import { DO_NOT_DISRUPT, isControlled, isDeleting, type ClusterState } from './cluster-state';

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
    if (!claim || options.decided?.has(disruption.claim)) continue;
    await context.confirm();
    const empty = disruption.moves.length === 0 && !disruption.replacement;
    // The taint first: a node that takes no new pods is safe to decide on; if it cannot be
    // tainted (gone), nothing is launched for it and the next round decides again.
    if (!empty && !(await taintDisrupted(disruption.node, context))) continue;
    let replacement: string | undefined;
    if (disruption.replacement) {
      // Its pods are displaced now, so a lost replacement is launched again by the next round.
      replacement = await createClaim(state, disruption.replacement, context, options.provisioning, {
        [REPLACES_ANNOTATION]: disruption.node,
      });
      if (replacement) result.launched.push(replacement);
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
    await recordDecision(claim, decision, context);
    await context.events.record(claim, 'Normal', `Disruption${disruption.action}`, decision.message ?? '');
    if (empty)
      // Nothing to move: the claim goes now (its controller removes the Node and the instance).
      await unlessChanged(() =>
        context.store.delete(NodeClaimKind, undefined, disruption.claim, {
          preconditions: { uid: claim.metadata.uid },
        }),
      );
    result.disrupted.push(disruption.claim);
  }
  const leaving = new Set(candidates.filter((c) => c.disrupting).map((c) => c.claim));
  for (const kept of plan.undisrupted) {
    const claim = state.claims.get(kept.claim);
    // A node already being disrupted keeps the decision that disrupts it.
    if (!claim || leaving.has(kept.claim) || options.decided?.has(kept.claim)) continue;
    if (!keepIsNews(claim, kept.reason, now)) continue;
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

/**
 * Puts the disrupted taint on the node (no new pods; its own are moved by the drain), re-reading
 * and retrying when a concurrent write (a status report, a cordon) moved it. False when it is gone.
 */
async function taintDisrupted(name: string, context: ApplyContext): Promise<boolean> {
  for (let attempt = 1; attempt <= TAINT_ATTEMPTS; attempt++) {
    let node: Node;
    try {
      node = (await context.store.get(NodeKind, undefined, name)) as Node;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
    const taints = node.spec.taints ?? [];
    if (taints.some((taint) => taint.key === DISRUPTED_TAINT.key)) return true;
    const written = await unlessChanged(() =>
      context.store.update(NodeKind, {
        ...node,
        spec: { ...node.spec, taints: [...taints, { ...DISRUPTED_TAINT }] },
      } as KubeObject),
    );
    if (written) return true;
  }
  return false;
}

const TAINT_ATTEMPTS = 5;

/**
 * Whether a Keep decision is worth writing: the reason changed, and the last Keep is at least
 * KEEP_REFRESH_MS old. Kept reasons quote the cluster ("0/12 nodes are available..."), so every
 * change elsewhere would otherwise rewrite every kept claim and repeat its Event.
 */
function keepIsNews(claim: NodeClaim, reason: string, now: Date): boolean {
  const previous = claim.status.decision;
  if (previous?.action !== 'Keep') return true;
  if (previous.message === reason) return false;
  return now.getTime() - Date.parse(previous.time ?? '') >= KEEP_REFRESH_MS;
}

/** How often a kept claim's reason may be rewritten when only the cluster around it changed. */
const KEEP_REFRESH_MS = 5 * 60_000;
