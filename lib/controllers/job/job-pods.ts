import type { Pod } from '../../kinds/pod';

/** A Job's pods sorted by what they mean for the Job. */
export interface JobPods {
  /** Not finished and not being deleted: what counts toward parallelism. */
  active: Pod[];
  succeeded: Pod[];
  failed: Pod[];
  /** Active pods whose Ready condition is True. */
  ready: number;
  /**
   * Failures counted against backoffLimit: failed pods, plus, for restartPolicy OnFailure, the
   * container restarts of active pods (the node restarts those in place, as kube counts them).
   */
  failures: number;
  /** When the latest failure happened, for the backoff wait; undefined without failures. */
  lastFailureTime?: Date;
}

/** Sorts a Job's pods (see JobPods). Pure. */
export function classifyJobPods(pods: readonly Pod[], restartPolicy: string): JobPods {
  const succeeded = pods.filter((p) => p.status.phase === 'Succeeded');
  const failed = pods.filter((p) => p.status.phase === 'Failed');
  const active = pods.filter(
    (p) => p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed' && !p.metadata.deletionTimestamp,
  );
  const restarts =
    restartPolicy === 'OnFailure'
      ? active.flatMap((p) => p.status.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0)
      : 0;
  const failureTimes = [
    ...failed.map(finishTime),
    ...(restarts > 0 ? active.flatMap((p) => p.status.containerStatuses ?? []).map(lastRestartTime) : []),
  ].filter((t): t is Date => t !== undefined);
  return {
    active,
    succeeded,
    failed,
    ready: active.filter((p) => p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
      .length,
    failures: failed.length + restarts,
    lastFailureTime: failureTimes.length > 0 ? new Date(Math.max(...failureTimes.map(Number))) : undefined,
  };
}

/**
 * When a finished pod finished: its containers' latest finishedAt, else the latest condition
 * transition, else when it started or was created. Every fallback is a fixed time no later than
 * the failure, so the backoff wait it anchors always ends (a fallback to "now" would restart the
 * wait on every reconcile).
 */
export function finishTime(pod: Pod): Date | undefined {
  const finished = (pod.status.containerStatuses ?? [])
    .map((c) => c.state?.terminated?.finishedAt)
    .filter((t): t is string => t !== undefined);
  const transitions = (pod.status.conditions ?? [])
    .map((c) => c.lastTransitionTime)
    .filter((t): t is string => t !== undefined);
  const candidates = finished.length > 0 ? finished : transitions;
  if (candidates.length > 0) return new Date(Math.max(...candidates.map((t) => Date.parse(t))));
  const fallback = pod.status.startTime ?? pod.metadata.creationTimestamp;
  return fallback ? new Date(fallback) : undefined;
}

function lastRestartTime(container: {
  lastState?: { terminated?: { finishedAt?: string } };
}): Date | undefined {
  const at = container.lastState?.terminated?.finishedAt;
  return at ? new Date(at) : undefined;
}
