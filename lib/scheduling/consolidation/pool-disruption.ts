import { durationSeconds } from '../../kinds/capacity-duration';
import type { NodePool } from '../../kinds/node-pool';
import { quantityToMillis, quantityToUnits } from '../../kinds/quantity';
import type { PoolDisruption } from './model';

/**
 * A stored NodePool's disruption settings and warm floor in consolidation's fixed units:
 * consolidateAfter in seconds (undefined for `Never`), warm CPU in millicores and memory in bytes.
 * Budgets are kept as written; their schedules are read when a round asks whether they are active.
 *
 * @example poolDisruptionOf(NodePool.parse({ ..., spec: { disruption: { consolidateAfter: '5m' } } }))
 * // { name, policy: 'WhenEmptyOrUnderutilized', consolidateAfterSeconds: 300, budgets: [{ nodes: '10%' }] }
 */
export function poolDisruptionOf(nodePool: NodePool): PoolDisruption {
  const { disruption, warm } = nodePool.spec;
  const consolidateAfterSeconds = durationSeconds(disruption.consolidateAfter);
  const minCapacity = warm?.minCapacity;
  return {
    name: nodePool.metadata.name ?? '',
    policy: disruption.consolidationPolicy,
    ...(consolidateAfterSeconds !== undefined ? { consolidateAfterSeconds } : {}),
    budgets: disruption.budgets.map((budget) => ({
      nodes: budget.nodes,
      ...(budget.schedule !== undefined ? { schedule: budget.schedule } : {}),
      ...(budget.duration !== undefined ? { duration: budget.duration } : {}),
      ...(budget.reasons !== undefined ? { reasons: budget.reasons } : {}),
    })),
    ...(warm
      ? {
          warm: {
            ...(warm.minNodes !== undefined ? { minNodes: warm.minNodes } : {}),
            ...(minCapacity
              ? {
                  minCapacity: {
                    ...(minCapacity.cpu !== undefined
                      ? { cpu: Number(quantityToMillis(minCapacity.cpu)) }
                      : {}),
                    ...(minCapacity.memory !== undefined
                      ? { memory: Number(quantityToUnits(minCapacity.memory)) }
                      : {}),
                  },
                }
              : {}),
          },
        }
      : {}),
  };
}
