import type { KubeObject } from '../../kinds/meta';
import { timestamp } from '../../store/server-fields';

/**
 * kube's stale pod disruption cleanup: the eviction marks a pod with the DisruptionTarget
 * condition just before deleting it; should the delete never happen, the disruption controller
 * sets the condition back to False once it is two minutes old, so the pod does not stay marked as
 * about to go.
 */

/** kube's stalePodDisruptionTimeout. */
export const STALE_DISRUPTION_SECONDS = 2 * 60;

export const DISRUPTION_TARGET = 'DisruptionTarget';

interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  lastTransitionTime?: string;
}

function conditionsOf(pod: KubeObject): PodCondition[] {
  return ((pod.status as { conditions?: PodCondition[] } | undefined)?.conditions ?? []) as PodCondition[];
}

/**
 * kube's nonTerminatingPodHasStaleDisruptionCondition: whether the pod carries a DisruptionTarget
 * condition that may go stale (True, not the kubelet's own, the pod neither being deleted nor
 * finished), and in how many seconds it is stale (0: now).
 */
export function staleDisruption(pod: KubeObject, now: Date): { staleInSeconds: number } | undefined {
  if (pod.metadata.deletionTimestamp) return undefined;
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return undefined;
  const condition = conditionsOf(pod).find((c) => c.type === DISRUPTION_TARGET);
  if (!condition || condition.status !== 'True' || condition.reason === 'TerminationByKubelet')
    return undefined;
  const since = condition.lastTransitionTime ? Date.parse(condition.lastTransitionTime) : 0;
  const remainingMs = since + STALE_DISRUPTION_SECONDS * 1000 - now.getTime();
  return { staleInSeconds: remainingMs <= 0 ? 0 : Math.ceil(remainingMs / 1000) };
}

/** The pod's status with its DisruptionTarget condition False since `now` (reason and message kept). */
export function withStaleDisruptionCleared(pod: KubeObject, now: Date): KubeObject {
  const status = (pod.status ?? {}) as { conditions?: PodCondition[] };
  const conditions = conditionsOf(pod).map((c) =>
    c.type === DISRUPTION_TARGET ? { ...c, status: 'False', lastTransitionTime: timestamp(now) } : c,
  );
  return { ...pod, status: { ...status, conditions } };
}
