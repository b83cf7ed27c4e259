import type { ConditionStatus } from '../../kinds/condition';
import type { DeploymentCondition } from '../../kinds/deployment';

/** Kube's Deployment condition reasons (deployment util), so `kubectl rollout status` reads them. */
export const REASONS = {
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
  newReplicaSetCreated: 'NewReplicaSetCreated',
  foundNewReplicaSet: 'FoundNewReplicaSet',
  replicaSetUpdated: 'ReplicaSetUpdated',
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
  progressDeadlineExceeded: 'ProgressDeadlineExceeded',
  deploymentPaused: 'DeploymentPaused',
  deploymentResumed: 'DeploymentResumed',
} as const;

/** metav1.Time: RFC 3339 to the second, as kube writes condition times. */
export function kubeTime(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function newCondition(
  type: string,
  status: ConditionStatus,
  reason: string,
  message: string,
  now: Date,
): DeploymentCondition {
  const time = kubeTime(now);
  return { type, status, lastUpdateTime: time, lastTransitionTime: time, reason, message };
}

export function findCondition(
  conditions: readonly DeploymentCondition[],
  type: string,
): DeploymentCondition | undefined {
  return conditions.find((condition) => condition.type === type);
}

/**
 * Conditions with `condition` set, as kube's SetDeploymentCondition: an existing condition of the
 * same status and reason is kept as it is (its times do not move, so a steady state writes
 * nothing); one of the same status keeps its lastTransitionTime.
 */
export function setCondition(
  conditions: readonly DeploymentCondition[],
  condition: DeploymentCondition,
): DeploymentCondition[] {
  const current = findCondition(conditions, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason)
    return [...conditions];
  const next =
    current && current.status === condition.status
      ? { ...condition, lastTransitionTime: current.lastTransitionTime }
      : condition;
  return [...conditions.filter((c) => c.type !== condition.type), next];
}

export function removeCondition(
  conditions: readonly DeploymentCondition[],
  type: string,
): DeploymentCondition[] {
  return conditions.filter((condition) => condition.type !== type);
}
