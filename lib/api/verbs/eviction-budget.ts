import { isReady, withDisruptionAllowed } from '../../controllers/disruption/plan-budget-status';
import { labelSelectorMatches } from '../../kinds/label-selector';
import type { KubeObject } from '../../kinds/meta';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from '../../kinds/pod-disruption-budget';
import { timestamp } from '../../store/server-fields';
import {
  DisruptionBudgetForbiddenError,
  DisruptionBudgetViolationError,
  MultipleDisruptionBudgetsError,
} from './eviction-errors';

/**
 * kube's EvictionREST decisions (pkg/registry/core/pod/storage/eviction.go) as pure functions:
 * whether a pod's budgets matter, which budget covers it, and what spending one disruption does
 * to the budget's status.
 */

/** kube's MaxDisruptedPodSize: evictions the disruption controller has not confirmed yet. */
export const MAX_DISRUPTED_PODS = 2000;

/**
 * Pods whose eviction disrupts nothing more (kube's canIgnorePDB): finished or never started
 * (Succeeded, Failed, Pending), or already being deleted.
 */
export function canIgnoreBudgets(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return (
    phase === 'Succeeded' ||
    phase === 'Failed' ||
    phase === 'Pending' ||
    pod.metadata.deletionTimestamp !== undefined
  );
}

/**
 * The one budget covering `pod`, or undefined. A budget with no selector or an empty one covers
 * nothing here (kube: "it should match nothing, not everything"); two or more is kube's 500.
 */
export function budgetOf(
  pod: KubeObject,
  budgets: readonly PodDisruptionBudget[],
): PodDisruptionBudget | undefined {
  const covering = budgets.filter((budget) => {
    const selector = budget.spec.selector;
    const empty =
      !selector ||
      (Object.keys(selector.matchLabels ?? {}).length === 0 &&
        (selector.matchExpressions ?? []).length === 0);
    return !empty && labelSelectorMatches(selector, pod.metadata.labels);
  });
  if (covering.length > 1) throw new MultipleDisruptionBudgetsError();
  return covering[0];
}

/**
 * Whether an unready pod may go without spending a disruption: always with AlwaysAllow; with
 * IfHealthyBudget (the default) while the budget has the healthy pods it needs. An unready pod
 * does not count towards healthy, so evicting it leaves the budget as it is.
 */
export function unhealthyPodMayGo(pod: KubeObject, budget: PodDisruptionBudget): boolean {
  if (isReady(pod)) return false;
  if (budget.spec.unhealthyPodEvictionPolicy === 'AlwaysAllow') return true;
  const { currentHealthy, desiredHealthy } = budget.status;
  return currentHealthy >= desiredHealthy && desiredHealthy > 0;
}

/**
 * kube's checkAndDecrement: the budget's status after one disruption of `podName`, recorded in
 * disruptedPods so the disruption controller counts the pod as gone until it is deleted. Throws
 * the 429 while the budget allows none or is not yet processed, 403 when its status is unusable.
 */
export function spendDisruption(
  budget: PodDisruptionBudget,
  podName: string,
  now: Date,
): PodDisruptionBudgetStatus {
  const name = budget.metadata.name ?? '';
  const status = budget.status;
  if ((status.observedGeneration ?? 0) < (budget.metadata.generation ?? 0))
    throw new DisruptionBudgetViolationError(
      `The disruption budget ${name} is still being processed by the server.`,
      10,
    );
  if (status.disruptionsAllowed < 0)
    throw new DisruptionBudgetForbiddenError(name, 'pdb disruptions allowed is negative');
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS)
    throw new DisruptionBudgetForbiddenError(
      name,
      'DisruptedPods map too big - too many evictions not confirmed by PDB controller',
    );
  if (status.disruptionsAllowed === 0)
    throw new DisruptionBudgetViolationError(
      `The disruption budget ${name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`,
      0,
    );
  const disruptionsAllowed = status.disruptionsAllowed - 1;
  return {
    ...status,
    disruptionsAllowed,
    disruptedPods: { ...status.disruptedPods, [podName]: timestamp(now) },
    conditions:
      disruptionsAllowed === 0
        ? withDisruptionAllowed(status.conditions, 0, status.observedGeneration ?? 0, now)
        : status.conditions,
  };
}
