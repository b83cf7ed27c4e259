import type { KubeObject } from '../../kinds/meta';
import { NodePoolKind, type NodePool, type NodePoolStatus } from '../../kinds/node-pool';
import type { ApplyContext } from './apply-plan';
import { timestamp } from './apply-plan';
import { resourceList, usd } from './claim-manifest';
import { isDeleting, type ClusterState } from './cluster-state';
import { unlessChanged } from './concurrent-change';
import { satisfiesAll } from '../selectors';
import { offeringLabels } from '../slots';

/**
 * Keeps each NodePool's status current, as Karpenter's pool counter does: the nodes, CPU and
 * memory its live claims hold, what they cost per hour, and Ready (the pool can launch: some
 * offering satisfies its requirements). Written only when it changed, so quiet rounds cost nothing.
 */
export async function updatePoolStatuses(state: ClusterState, context: ApplyContext): Promise<void> {
  for (const [name, pool] of state.pools) {
    if (isDeleting(pool)) continue;
    const planned = state.snapshot.pools.find((p) => p.name === name);
    const used = planned?.used ?? { cpu: 0, memory: 0, usdPerHour: 0 };
    const nodes = [...state.claims.values()].filter(
      (claim) => claim.spec.nodePool === name && !isDeleting(claim),
    ).length;
    const launchable =
      planned !== undefined &&
      state.snapshot.offerings.some((offering) =>
        satisfiesAll(offeringLabels(offering, planned, name), planned.requirements),
      );
    const status: NodePoolStatus = {
      ...pool.status,
      resources: resourceList({ cpu: used.cpu, memory: used.memory, nodes }),
      usdPerHour: usd(used.usdPerHour),
      conditions: [readyCondition(pool, launchable, context.now())],
    };
    if (JSON.stringify(withoutTimes(status)) === JSON.stringify(withoutTimes(pool.status))) continue;
    await context.confirm();
    await unlessChanged(() => context.store.updateStatus(NodePoolKind, { ...pool, status } as KubeObject));
  }
}

function readyCondition(pool: NodePool, launchable: boolean, now: Date) {
  const previous = pool.status.conditions?.find((c) => c.type === 'Ready');
  const status = launchable ? 'True' : 'False';
  return {
    type: 'Ready',
    status,
    observedGeneration: pool.metadata.generation,
    lastTransitionTime:
      previous?.status === status ? (previous.lastTransitionTime ?? timestamp(now)) : timestamp(now),
    reason: launchable ? 'Ready' : 'NoOfferings',
    message: launchable ? '' : 'no instance type the provider offers satisfies the requirements',
  } as const;
}

function withoutTimes(status: NodePoolStatus): unknown {
  return {
    ...status,
    conditions: status.conditions?.map(({ lastTransitionTime: _time, ...rest }) => rest),
  };
}
