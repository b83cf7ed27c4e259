import { durationSeconds } from '../../kinds/capacity-duration';
import type { KubeObject } from '../../kinds/meta';
import { DISRUPTED_TAINT, NodeClaimKind, type CapacityDecision } from '../../kinds/node-claim';
import { NodeKind, type Node } from '../../kinds/node';
import { timestamp, type ApplyContext } from './apply-plan';
import { unlessChanged } from './concurrent-change';
import { isDeleting, type ClusterState } from './cluster-state';

/**
 * Karpenter's expiration: a claim older than its `expireAfter` (the pool's, 720h by default) is
 * replaced, so no node lives forever on an old image. Its node gets the disrupted taint and its
 * decision on the claim; the drain of a later round moves its pods once they have places (new
 * capacity is launched ahead for them) and then deletes the claim. As in Karpenter v1, expiry does
 * not wait for disruption budgets. Answers the claims it expired.
 */
export async function expireClaims(state: ClusterState, context: ApplyContext): Promise<string[]> {
  const expired: string[] = [];
  const now = context.now();
  for (const [name, claim] of state.claims) {
    const seconds = durationSeconds(claim.spec.expireAfter);
    const created = Date.parse(claim.metadata.creationTimestamp ?? '');
    const node = state.nodes.get(name) as Node | undefined;
    if (seconds === undefined || !Number.isFinite(created) || !node || isDeleting(claim)) continue;
    if (now.getTime() - created < seconds * 1000) continue;
    const taints = node.spec.taints ?? [];
    if (taints.some((taint) => taint.key === DISRUPTED_TAINT.key)) continue;
    await context.confirm();
    const decision: CapacityDecision = {
      action: 'Replace',
      reason: 'Expired',
      message: `Expired: launched ${claim.metadata.creationTimestamp}, expireAfter ${claim.spec.expireAfter}`,
      usdPerHour: claim.spec.usdPerHour,
      time: timestamp(now),
    };
    const written = await unlessChanged(async () => {
      await context.store.update(NodeKind, {
        ...node,
        spec: { ...node.spec, taints: [...taints, { ...DISRUPTED_TAINT }] },
      } as KubeObject);
      await context.store.updateStatus(NodeClaimKind, {
        ...claim,
        status: { ...claim.status, decision },
      } as KubeObject);
    });
    if (!written) continue;
    await context.events.record(claim, 'Normal', 'DisruptionExpired', decision.message ?? '');
    expired.push(name);
  }
  return expired;
}
