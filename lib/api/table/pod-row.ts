import type { KubeObject } from '../../kinds/meta';
import { ageOf } from './human-duration';

// A pod reaches the printer as stored JSON; this reads the few fields the row shows.
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The READY, STATUS and RESTARTS cells of `kubectl get pods`. */
export interface PodRowCells {
  ready: string;
  status: string;
  restarts: string;
}

/** kube's NodeUnreachablePodReason: the node lifecycle controller's mark on a lost node's pods. */
const NODE_LOST = 'NodeLost';

/**
 * The cells kube-apiserver's printPod (pkg/printers/internalversion) computes, in its order:
 *
 * - STATUS starts as the phase (or `status.reason`); while init containers run it is
 *   `Init:i/n`, `Init:<waiting reason>` or `Init:<terminated reason>` (`Init:ExitCode:3` when the
 *   runtime gave none); afterwards the last app container with a waiting or terminated reason
 *   names it (`Completed`, `Error`, `CrashLoopBackOff`, `ExitCode:3`, `Signal:9`), back to
 *   `Running` (or `NotReady`) when one still runs; `Terminating` once deleted, `Unknown` on a lost
 *   node.
 * - READY counts ready app containers and started sidecars (restartable init containers) of all.
 * - RESTARTS adds up restarts (only sidecars' and app containers' once initialized), with the age
 *   of the last one: `2 (5m ago)`.
 */
export function podRowCells(pod: KubeObject, now = Date.now()): PodRowCells {
  const spec: Loose = (pod.spec as Loose) ?? {};
  const status: Loose = (pod.status as Loose) ?? {};
  const initContainers: Loose[] = spec.initContainers ?? [];
  const isSidecar = (name: string) => initContainers.find((c) => c.name === name)?.restartPolicy === 'Always';
  const totalContainers =
    (spec.containers ?? []).length + initContainers.filter((c) => c.restartPolicy === 'Always').length;
  let readyContainers = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;
  const phase: string | undefined = status.phase;
  let reason: string = status.reason || phase || '';
  for (const condition of status.conditions ?? [])
    if (condition.type === 'PodScheduled' && condition.reason === 'SchedulingGated')
      reason = 'SchedulingGated';

  let initializing = false;
  const initStatuses: Loose[] = status.initContainerStatuses ?? [];
  for (const [i, container] of initStatuses.entries()) {
    restarts += container.restartCount ?? 0;
    const finished = finishedAt(container);
    lastRestart = Math.max(lastRestart, finished);
    if (isSidecar(container.name)) {
      sidecarRestarts += container.restartCount ?? 0;
      lastSidecarRestart = Math.max(lastSidecarRestart, finished);
    }
    const terminated: Loose | undefined = container.state?.terminated;
    const waiting: Loose | undefined = container.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (isSidecar(container.name) && container.started === true) {
      if (container.ready) readyContainers++;
      continue;
    }
    if (terminated)
      reason = terminated.reason
        ? `Init:${terminated.reason}`
        : terminated.signal
          ? `Init:Signal:${terminated.signal}`
          : `Init:ExitCode:${terminated.exitCode}`;
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${initContainers.length}`;
    initializing = true;
    break;
  }

  const initialized = (status.conditions ?? []).some(
    (c: Loose) => c.type === 'Initialized' && c.status === 'True',
  );
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses: Loose[] = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i];
      restarts += container.restartCount ?? 0;
      lastRestart = Math.max(lastRestart, finishedAt(container));
      const waiting: Loose | undefined = container.state?.waiting;
      const terminated: Loose | undefined = container.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated)
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      else if (container.ready && container.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = (status.conditions ?? []).some(
        (c: Loose) => c.type === 'Ready' && c.status === 'True',
      );
      reason = podReady ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp && status.reason === NODE_LOST) reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed')
    reason = 'Terminating';

  const restartsCell =
    restarts !== 0 && lastRestart > 0
      ? `${restarts} (${ageOf(new Date(lastRestart).toISOString(), now)} ago)`
      : String(restarts);
  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartsCell };
}

/** When a container's previous run ended (ms since the epoch), 0 when it has not restarted. */
function finishedAt(container: Loose): number {
  const finished = container.lastState?.terminated?.finishedAt;
  return typeof finished === 'string' ? Date.parse(finished) || 0 : 0;
}
