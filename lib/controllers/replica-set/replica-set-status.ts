import type { Pod } from '../../kinds/pod';
import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from '../../kinds/replica-set';
import { timestamp } from '../../store/server-fields';
import { isPodAvailable, isPodReady } from './pod-readiness';

/**
 * The status kube's calculateStatus reports for the pods a ReplicaSet controls (active, claimed
 * ones), as observed before this round's creates and deletes: those show up in the next round,
 * which their own writes trigger. Conditions other than ReplicaFailure are carried over.
 */
export function computeReplicaSetStatus(
  replicaSet: ReplicaSet,
  pods: readonly Pod[],
  now: Date,
): ReplicaSetStatus {
  const templateLabels = Object.entries(replicaSet.spec.template.metadata.labels ?? {});
  const minReadySeconds = replicaSet.spec.minReadySeconds ?? 0;
  const fullyLabeled = pods.filter((pod) =>
    templateLabels.every(([key, value]) => pod.metadata.labels?.[key] === value),
  );
  const { conditions } = replicaSet.status;
  return {
    replicas: pods.length,
    ...nonZero('fullyLabeledReplicas', fullyLabeled.length),
    ...nonZero('readyReplicas', pods.filter(isPodReady).length),
    ...nonZero('availableReplicas', pods.filter((pod) => isPodAvailable(pod, minReadySeconds, now)).length),
    ...(replicaSet.metadata.generation !== undefined
      ? { observedGeneration: replicaSet.metadata.generation }
      : {}),
    ...(conditions && conditions.length > 0 ? { conditions } : {}),
  };
}

/** Counts kube serialises with omitempty: absent when zero, so statuses read as kube's do. */
function nonZero<K extends string>(field: K, count: number): Partial<Record<K, number>> {
  return count === 0 ? {} : ({ [field]: count } as Record<K, number>);
}

export const REPLICA_FAILURE = 'ReplicaFailure';

/**
 * The status with the ReplicaFailure condition set (True, reason FailedCreate, the error) when
 * creating pods failed this round, and removed when it did not, as kube's calculateStatus does.
 * A failure already reported keeps its lastTransitionTime.
 */
export function withReplicaFailure(
  status: ReplicaSetStatus,
  failure: string | undefined,
  now: Date,
): ReplicaSetStatus {
  const others = (status.conditions ?? []).filter((condition) => condition.type !== REPLICA_FAILURE);
  const previous = status.conditions?.find((condition) => condition.type === REPLICA_FAILURE);
  const { conditions: _dropped, ...rest } = status;
  if (failure === undefined) return others.length > 0 ? { ...rest, conditions: others } : rest;
  const condition: ReplicaSetCondition = {
    type: REPLICA_FAILURE,
    status: 'True',
    lastTransitionTime:
      previous?.status === 'True' && previous.lastTransitionTime
        ? previous.lastTransitionTime
        : timestamp(now),
    reason: 'FailedCreate',
    message: failure,
  };
  return { ...rest, conditions: [...others, condition] };
}
