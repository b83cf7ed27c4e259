import type { Deployment, DeploymentCondition, DeploymentStatus } from '../../kinds/deployment';
import type { ReplicaSet } from '../../kinds/replica-set';
import { REASONS, findCondition, newCondition, removeCondition, setCondition } from './deployment-conditions';
import { availableReplicas, specReplicas, sumOf } from './replica-sets';
import { resolveRollingParams } from './rolling-params';

/**
 * A Deployment's status computed from its ReplicaSets, and the Progressing condition that tracks
 * its rollout against progressDeadlineSeconds, as kube's calculateStatus and syncRolloutStatus.
 */

/** progressDeadlineSeconds at MaxInt32 means "no deadline", as in kube. */
export function hasProgressDeadline(deployment: Deployment): boolean {
  return deployment.spec.progressDeadlineSeconds !== 2147483647;
}

/**
 * Counts from the ReplicaSets (after this step's scaling) and the Available condition:
 * available when at least replicas - maxUnavailable pods are.
 */
export function calculateStatus(
  deployment: Deployment,
  replicaSets: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
  conditions: readonly DeploymentCondition[],
  now: Date,
): DeploymentStatus {
  const replicas = deployment.spec.replicas;
  const available = sumOf(replicaSets, availableReplicas);
  const { maxUnavailable } = resolveRollingParams(deployment.spec.strategy, replicas);
  const availability =
    available >= replicas - maxUnavailable
      ? newCondition(
          'Available',
          'True',
          REASONS.minimumReplicasAvailable,
          'Deployment has minimum availability.',
          now,
        )
      : newCondition(
          'Available',
          'False',
          REASONS.minimumReplicasUnavailable,
          'Deployment does not have minimum availability.',
          now,
        );
  const { collisionCount } = deployment.status;
  return {
    observedGeneration: deployment.metadata.generation,
    replicas: sumOf(replicaSets, (rs) => rs.status.replicas),
    updatedReplicas: newRS ? newRS.status.replicas : 0,
    readyReplicas: sumOf(replicaSets, (rs) => rs.status.readyReplicas ?? 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sumOf(replicaSets, specReplicas) - available),
    conditions: setCondition(conditions, availability),
    ...(collisionCount !== undefined ? { collisionCount } : {}),
  };
}

/** Every pod is updated and available and the latest spec has been seen (kube's DeploymentComplete). */
export function deploymentComplete(deployment: Deployment, status: DeploymentStatus): boolean {
  const replicas = deployment.spec.replicas;
  return (
    status.updatedReplicas === replicas &&
    status.replicas === replicas &&
    status.availableReplicas === replicas &&
    (status.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0)
  );
}

/** Something moved since the last status: more updated, ready or available pods, or fewer old ones. */
export function deploymentProgressing(previous: DeploymentStatus, next: DeploymentStatus): boolean {
  const oldPods = (status: DeploymentStatus) => (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (previous.updatedReplicas ?? 0) ||
    (next.readyReplicas ?? 0) > (previous.readyReplicas ?? 0) ||
    oldPods(next) < oldPods(previous) ||
    (next.availableReplicas ?? 0) > (previous.availableReplicas ?? 0)
  );
}

/** The Progressing condition's lastUpdateTime is older than the deadline (kube's DeploymentTimedOut). */
export function deploymentTimedOut(deployment: Deployment, status: DeploymentStatus, now: Date): boolean {
  if (!hasProgressDeadline(deployment)) return false;
  const condition = findCondition(status.conditions ?? [], 'Progressing');
  if (!condition?.lastUpdateTime) return false;
  if (condition.reason === REASONS.newReplicaSetAvailable) return false;
  if (condition.reason === REASONS.progressDeadlineExceeded) return true;
  const deadline = Date.parse(condition.lastUpdateTime) + deployment.spec.progressDeadlineSeconds * 1000;
  return deadline < now.getTime();
}

/**
 * The Progressing condition of a rollout step (kube's syncRolloutStatus): NewReplicaSetAvailable
 * once complete; ReplicaSetUpdated, with a fresh lastUpdateTime (which restarts the deadline),
 * whenever something moved; ProgressDeadlineExceeded when nothing moved for the deadline.
 * `conditions` are the ones before this step (with any set by it, e.g. NewReplicaSetCreated).
 */
export function rolloutStatus(
  deployment: Deployment,
  replicaSets: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
  conditions: readonly DeploymentCondition[],
  now: Date,
): DeploymentStatus {
  const status = calculateStatus(deployment, replicaSets, newRS, conditions, now);
  if (!hasProgressDeadline(deployment))
    return { ...status, conditions: removeCondition(status.conditions ?? [], 'Progressing') };
  const current = findCondition(conditions, 'Progressing');
  const alreadyComplete =
    status.replicas === status.updatedReplicas && current?.reason === REASONS.newReplicaSetAvailable;
  if (alreadyComplete) return status;
  const name = newRS?.metadata.name ?? '';
  const list = status.conditions ?? [];
  if (deploymentComplete(deployment, status)) {
    const message = `ReplicaSet "${name}" has successfully progressed.`;
    const done = newCondition('Progressing', 'True', REASONS.newReplicaSetAvailable, message, now);
    return { ...status, conditions: setCondition(list, done) };
  }
  if (deploymentProgressing(deployment.status, status)) {
    const message = `ReplicaSet "${name}" is progressing.`;
    const moving = newCondition('Progressing', 'True', REASONS.replicaSetUpdated, message, now);
    if (current?.status === 'True') moving.lastTransitionTime = current.lastTransitionTime;
    return { ...status, conditions: [...removeCondition(list, 'Progressing'), moving] };
  }
  if (deploymentTimedOut(deployment, { ...status, conditions: list }, now)) {
    const message = `ReplicaSet "${name}" has timed out progressing.`;
    const stuck = newCondition('Progressing', 'False', REASONS.progressDeadlineExceeded, message, now);
    return { ...status, conditions: setCondition(list, stuck) };
  }
  return status;
}

/**
 * Seconds until the rollout's deadline passes, to look again then (kube's requeueStuckDeployment);
 * undefined when there is nothing to wait for (no deadline, complete, already timed out).
 */
export function secondsUntilDeadline(
  deployment: Deployment,
  status: DeploymentStatus,
  now: Date,
): number | undefined {
  const condition = findCondition(status.conditions ?? [], 'Progressing');
  if (!hasProgressDeadline(deployment) || !condition?.lastUpdateTime || deployment.spec.paused)
    return undefined;
  if (deploymentComplete(deployment, status)) return undefined;
  if (
    condition.reason === REASONS.progressDeadlineExceeded ||
    condition.reason === REASONS.newReplicaSetAvailable
  )
    return undefined;
  const deadline = Date.parse(condition.lastUpdateTime) + deployment.spec.progressDeadlineSeconds * 1000;
  return Math.max(1, Math.ceil((deadline - now.getTime()) / 1000) + 1);
}
