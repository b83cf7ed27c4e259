import type { Deployment } from '../../kinds/deployment';
import type { ReplicaSet } from '../../kinds/replica-set';
import { byRevision } from './replica-sets';

/**
 * Old ReplicaSets beyond revisionHistoryLimit to delete, oldest revision first (kube's
 * cleanupDeployment). Only those with no pods, wanted or running, and whose status is current go:
 * a ReplicaSet still draining is kept until a later pass.
 */
export function replicaSetsBeyondHistory(
  deployment: Deployment,
  oldReplicaSets: readonly ReplicaSet[],
): string[] {
  const alive = oldReplicaSets.filter((rs) => !rs.metadata.deletionTimestamp);
  const excess = alive.length - deployment.spec.revisionHistoryLimit;
  if (excess <= 0) return [];
  return [...alive]
    .sort(byRevision)
    .slice(0, excess)
    .filter(
      (rs) =>
        rs.spec.replicas === 0 &&
        rs.status.replicas === 0 &&
        (rs.status.observedGeneration ?? 0) >= (rs.metadata.generation ?? 0),
    )
    .map((rs) => rs.metadata.name ?? '');
}
