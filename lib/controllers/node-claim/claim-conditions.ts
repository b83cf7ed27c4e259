import type { ConditionStatus } from '../../kinds/condition';
import type { NodeClaim } from '../../kinds/node-claim';
import type { CapacityCondition } from '../../kinds/node-pool';
import { timestamp } from '../../store/server-fields';

/** A condition as the controller decides it; the times and generation are filled in by withCondition. */
export interface ConditionChange {
  type: string;
  status: ConditionStatus;
  reason: string;
  message?: string;
}

/**
 * The claim's conditions with `change` set, as Karpenter's status conditions set them:
 * lastTransitionTime moves only when the status changes, so a steady state rewrites nothing but
 * a changed reason or message; observedGeneration is the generation the decision was made from.
 * A condition keeps its place in the list; a new one is appended.
 */
export function withCondition(
  conditions: readonly CapacityCondition[] | undefined,
  change: ConditionChange,
  now: Date,
  generation: number | undefined,
): CapacityCondition[] {
  const list = conditions ?? [];
  const current = list.find((condition) => condition.type === change.type);
  const next: CapacityCondition = {
    type: change.type,
    status: change.status,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    lastTransitionTime:
      current?.status === change.status && current.lastTransitionTime !== undefined
        ? current.lastTransitionTime
        : timestamp(now),
    reason: change.reason,
    ...(change.message ? { message: change.message } : {}),
  };
  return current === undefined
    ? [...list, next]
    : list.map((condition) => (condition === current ? next : condition));
}

/** The claim's conditions with every change applied in order. */
export function withConditions(
  claim: NodeClaim,
  changes: readonly ConditionChange[],
  now: Date,
): CapacityCondition[] {
  return changes.reduce<CapacityCondition[]>(
    (conditions, change) => withCondition(conditions, change, now, claim.metadata.generation),
    claim.status.conditions ?? [],
  );
}

export function conditionOf(claim: NodeClaim, type: string): CapacityCondition | undefined {
  return claim.status.conditions?.find((condition) => condition.type === type);
}

export function isConditionTrue(claim: NodeClaim, type: string): boolean {
  return conditionOf(claim, type)?.status === 'True';
}
