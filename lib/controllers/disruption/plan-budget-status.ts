import type { IntOrString } from '../../kinds/int-or-string';
import type { KubeObject } from '../../kinds/meta';
import type {
  PodDisruptionBudget,
  PodDisruptionBudgetCondition,
  PodDisruptionBudgetStatus,
} from '../../kinds/pod-disruption-budget';
import { timestamp } from '../../store/server-fields';

/**
 * The disruption controller's arithmetic (kube's pkg/controller/disruption), as pure functions:
 * how many of a budget's pods are healthy, how many must be, and so how many may be disrupted now.
 */

/** How long an eviction's entry in status.disruptedPods counts its pod as gone (kube's DeletionTimeout). */
export const DELETION_TIMEOUT_SECONDS = 2 * 60;

/** The condition the budget reports, and its reasons (policy/v1). */
export const DISRUPTION_ALLOWED = 'DisruptionAllowed';
export const SUFFICIENT_PODS = 'SufficientPods';
export const INSUFFICIENT_PODS = 'InsufficientPods';
export const SYNC_FAILED = 'SyncFailed';

/** What a pod contributes: whether it is being deleted and whether its Ready condition is True. */
export function isReady(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: { type: string; status: string }[] } | undefined)
    ?.conditions;
  return conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/**
 * kube's GetScaledValueFromIntOrPercent with rounding up: `'50%'` of 3 is 2, an integer is itself.
 */
export function scaledValue(value: IntOrString, total: number): number {
  if (typeof value === 'number') return value;
  return Math.ceil((Number.parseInt(value, 10) * total) / 100);
}

/** Whether the budget needs its pods' controllers' scale (a percentage, or maxUnavailable). */
export function needsScale(spec: PodDisruptionBudget['spec']): boolean {
  return spec.maxUnavailable !== undefined || typeof spec.minAvailable === 'string';
}

/**
 * kube's getExpectedPodCount: with maxUnavailable, or minAvailable as a percentage, the expected
 * pods are the sum of the pods' controllers' scale (`scale`); with an integer minAvailable, the
 * pods there are. Neither set: nothing is required.
 */
export function expectedCounts(
  spec: PodDisruptionBudget['spec'],
  podCount: number,
  scale: number,
): { expectedPods: number; desiredHealthy: number } {
  if (spec.maxUnavailable !== undefined)
    return {
      expectedPods: scale,
      desiredHealthy: Math.max(0, scale - scaledValue(spec.maxUnavailable, scale)),
    };
  if (typeof spec.minAvailable === 'number')
    return { expectedPods: podCount, desiredHealthy: spec.minAvailable };
  if (typeof spec.minAvailable === 'string')
    return { expectedPods: scale, desiredHealthy: scaledValue(spec.minAvailable, scale) };
  return { expectedPods: 0, desiredHealthy: 0 };
}

/**
 * kube's buildDisruptedPodMap: the evicted pods still expected to go (within the deletion timeout,
 * not yet marked deleted), and when the earliest of them times out.
 */
export function pendingDisruptions(
  disrupted: Record<string, string>,
  pods: readonly KubeObject[],
  now: Date,
): { disruptedPods: Record<string, string>; recheckAfterSeconds?: number } {
  const disruptedPods: Record<string, string> = {};
  let recheck: number | undefined;
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    const since = disrupted[name];
    if (pod.metadata.deletionTimestamp || since === undefined) continue;
    const expires = Date.parse(since) + DELETION_TIMEOUT_SECONDS * 1000;
    if (expires < now.getTime()) continue;
    disruptedPods[name] = since;
    if (recheck === undefined || expires < recheck) recheck = expires;
  }
  const recheckAfterSeconds =
    recheck === undefined ? undefined : Math.max(1, Math.ceil((recheck - now.getTime()) / 1000));
  return { disruptedPods, recheckAfterSeconds };
}

/** kube's countHealthyPods: ready pods that are neither being deleted nor recently evicted. */
export function countHealthy(pods: readonly KubeObject[], disruptedPods: Record<string, string>): number {
  return pods.filter((pod) => {
    const recentlyEvicted = Object.prototype.hasOwnProperty.call(disruptedPods, pod.metadata.name ?? '');
    return !pod.metadata.deletionTimestamp && !recentlyEvicted && isReady(pod);
  }).length;
}

/**
 * The status the budget should have given its pods and their controllers' scale. A budget
 * matching no pods yet allows no disruption, so its first pods are safe before the controller
 * has counted them.
 */
export function planBudgetStatus(input: {
  budget: PodDisruptionBudget;
  pods: readonly KubeObject[];
  scale: number;
  now: Date;
}): { status: PodDisruptionBudgetStatus; recheckAfterSeconds?: number } {
  const { budget, pods, scale, now } = input;
  const { expectedPods, desiredHealthy } = expectedCounts(budget.spec, pods.length, scale);
  const { disruptedPods, recheckAfterSeconds } = pendingDisruptions(
    budget.status.disruptedPods ?? {},
    pods,
    now,
  );
  const currentHealthy = countHealthy(pods, disruptedPods);
  const allowed = currentHealthy - desiredHealthy;
  const disruptionsAllowed = expectedPods <= 0 || allowed <= 0 ? 0 : allowed;
  const observedGeneration = budget.metadata.generation ?? 0;
  const status: PodDisruptionBudgetStatus = {
    observedGeneration,
    ...(Object.keys(disruptedPods).length > 0 ? { disruptedPods } : {}),
    disruptionsAllowed,
    currentHealthy,
    desiredHealthy,
    expectedPods,
    conditions: withDisruptionAllowed(budget.status.conditions, disruptionsAllowed, observedGeneration, now),
  };
  return { status, recheckAfterSeconds };
}

/** kube's UpdateDisruptionAllowedCondition: True (SufficientPods) while a disruption is allowed. */
export function withDisruptionAllowed(
  conditions: readonly PodDisruptionBudgetCondition[] | undefined,
  disruptionsAllowed: number,
  observedGeneration: number,
  now: Date,
): PodDisruptionBudgetCondition[] {
  return setCondition(
    conditions,
    disruptionsAllowed > 0
      ? { type: DISRUPTION_ALLOWED, status: 'True', reason: SUFFICIENT_PODS, message: '', observedGeneration }
      : {
          type: DISRUPTION_ALLOWED,
          status: 'False',
          reason: INSUFFICIENT_PODS,
          message: '',
          observedGeneration,
        },
    now,
  );
}

/**
 * apimachinery's SetStatusCondition: replaces the condition of the same type, keeping its
 * lastTransitionTime unless its status changes.
 */
export function setCondition(
  conditions: readonly PodDisruptionBudgetCondition[] | undefined,
  next: Omit<PodDisruptionBudgetCondition, 'lastTransitionTime'>,
  now: Date,
): PodDisruptionBudgetCondition[] {
  const current = (conditions ?? []).find((c) => c.type === next.type);
  const lastTransitionTime =
    current && current.status === next.status && current.lastTransitionTime
      ? current.lastTransitionTime
      : timestamp(now);
  const updated = { ...next, lastTransitionTime };
  return current
    ? (conditions ?? []).map((c) => (c.type === next.type ? updated : c))
    : [...(conditions ?? []), updated];
}
