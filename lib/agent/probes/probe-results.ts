import type { Probe } from '../../kinds/probe';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** Kubernetes' defaults, also taken for 0 (SetDefaults_Probe). */
const DEFAULT_SUCCESS_THRESHOLD = 1;
const DEFAULT_FAILURE_THRESHOLD = 3;

/**
 * What a probe worker remembers between probes (the kubelet worker's fields): the thresholded
 * result (undefined: a startup probe not yet decided), the last raw result and how many times in
 * a row it came, and whether it holds until the container's next attempt.
 */
export interface ProbeResults {
  healthy: boolean | undefined;
  lastResult?: boolean;
  resultRun: number;
  onHold: boolean;
}

/** The kubelet's initial value: readiness not ready, liveness healthy, startup unknown. */
export function initialResults(kind: ProbeKind): ProbeResults {
  const healthy = kind === 'readiness' ? false : kind === 'liveness' ? true : undefined;
  return { healthy, resultRun: 0, onHold: false };
}

/**
 * Counts one probe's result (doProbe's tail): the thresholded result changes only after
 * successThreshold successes or failureThreshold failures in a row; a liveness or startup
 * failure puts the worker on hold, as its container is to be restarted. `changed` says whether
 * the thresholded result flipped.
 *
 * @example recordResult(initialResults('readiness'), true, probe, 'readiness') // { results: { healthy: true, ... }, changed: true }
 */
export function recordResult(
  results: ProbeResults,
  success: boolean,
  probe: Pick<Probe, 'successThreshold' | 'failureThreshold'>,
  kind: ProbeKind,
): { results: ProbeResults; changed: boolean } {
  const resultRun = results.lastResult === success ? results.resultRun + 1 : 1;
  const threshold = success
    ? probe.successThreshold || DEFAULT_SUCCESS_THRESHOLD
    : probe.failureThreshold || DEFAULT_FAILURE_THRESHOLD;
  if (resultRun < threshold)
    return { results: { ...results, lastResult: success, resultRun }, changed: false };
  const holds = !success && kind !== 'readiness';
  return {
    results: { healthy: success, lastResult: success, resultRun: holds ? 0 : resultRun, onHold: holds },
    changed: results.healthy !== success,
  };
}

/**
 * Whether a tick probes (doProbe's gates): not on hold, past initialDelaySeconds (whole seconds
 * since the container started, as the kubelet truncates them), liveness and readiness only once
 * the container has started, startup only until it has succeeded.
 */
export function shouldProbe(
  results: ProbeResults,
  kind: ProbeKind,
  probe: Pick<Probe, 'initialDelaySeconds'>,
  secondsRunning: number,
  containerStarted: boolean,
): boolean {
  if (results.onHold) return false;
  if (Math.trunc(secondsRunning) < (probe.initialDelaySeconds ?? 0)) return false;
  return kind === 'startup' ? results.healthy !== true : containerStarted;
}
