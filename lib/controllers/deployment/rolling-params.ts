import type { DeploymentStrategy } from '../../kinds/deployment';
import type { IntOrString } from '../../kinds/int-or-string';

/** How far a rolling update may go above and below spec.replicas, in pods. */
export interface RollingParams {
  maxSurge: number;
  maxUnavailable: number;
}

/** An int-or-percent of `total` (kube's GetScaledValueFromIntOrPercent). */
export function scaledValue(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const scaled = (Number.parseInt(value, 10) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * maxSurge and maxUnavailable in pods for `replicas`, as kube's ResolveFenceposts, MaxSurge and
 * MaxUnavailable: percentages of replicas, surge rounded up and unavailable rounded down (so a
 * rollout errs towards keeping capacity); both zero would never move, so unavailable becomes 1;
 * unavailable is capped at replicas. Recreate has no fenceposts (both 0).
 *
 * @example resolveRollingParams({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }, 10)
 *   // { maxSurge: 3, maxUnavailable: 2 }
 */
export function resolveRollingParams(strategy: DeploymentStrategy, replicas: number): RollingParams {
  if (strategy.type !== 'RollingUpdate') return { maxSurge: 0, maxUnavailable: 0 };
  const rolling = strategy.rollingUpdate ?? { maxSurge: '25%', maxUnavailable: '25%' };
  const maxSurge = scaledValue(rolling.maxSurge, replicas, true);
  let maxUnavailable = scaledValue(rolling.maxUnavailable, replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable: replicas === 0 ? 0 : Math.min(maxUnavailable, replicas) };
}
