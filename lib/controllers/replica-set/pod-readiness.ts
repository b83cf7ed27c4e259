import type { Pod } from '../../kinds/pod';

/**
 * Readiness and availability as kube's podutil defines them: a pod is ready when its Ready
 * condition is True, and available once it has been ready for minReadySeconds (measured from the
 * condition's lastTransitionTime, so a pod that flaps starts counting again).
 */

/** The time the pod last became ready, or undefined when it is not ready. */
function readySince(pod: Pod): { since?: number } | undefined {
  const ready = pod.status.conditions?.find((condition) => condition.type === 'Ready');
  if (ready?.status !== 'True') return undefined;
  return { since: ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : undefined };
}

/** Whether the pod's Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return readySince(pod) !== undefined;
}

/**
 * Seconds until a ready pod becomes available: 0 when it already is, undefined when it never will
 * without a change to the pod (not ready, or ready with no lastTransitionTime while
 * minReadySeconds is set, which kube also never counts as available).
 */
export function secondsUntilAvailable(pod: Pod, minReadySeconds: number, now: Date): number | undefined {
  const ready = readySince(pod);
  if (!ready) return undefined;
  if (minReadySeconds === 0) return 0;
  if (ready.since === undefined) return undefined;
  const remainingMs = ready.since + minReadySeconds * 1000 - now.getTime();
  return remainingMs <= 0 ? 0 : Math.ceil(remainingMs / 1000);
}

/** Whether the pod has been ready for at least minReadySeconds at `now`. */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: Date): boolean {
  return secondsUntilAvailable(pod, minReadySeconds, now) === 0;
}
