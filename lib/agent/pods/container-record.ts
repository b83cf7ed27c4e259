import type { ContainerState } from '../../kinds/pod-status';

/**
 * What the agent knows of one container of a pod: the shape of its containerStatus, kept in
 * memory by the pod's worker and turned into the status it reports (pod-status.ts).
 */
export interface ContainerRecord {
  name: string;
  image: string;
  /** Restarts so far: the attempt number of the container's current (or last) run. */
  restartCount: number;
  /** Whether it has ever been started by this or an earlier agent (a waiting one then counts as stopped). */
  everStarted: boolean;
  state: ContainerState;
  lastState?: ContainerState;
  /** Running and ready by its readiness probe (or, without one, started). */
  ready: boolean;
  /** Running and past its startup probe (or, without one, running). */
  started: boolean;
  containerID?: string;
}

/** A container not yet started: waiting with the kubelet's first reason. */
export function newRecord(name: string, image: string): ContainerRecord {
  return {
    name,
    image,
    restartCount: 0,
    everStarted: false,
    state: { waiting: { reason: 'ContainerCreating' } },
    ready: false,
    started: false,
  };
}

/** The exit code of the container's last run, when it has ended (now or before a restart wait). */
export function lastExitCode(record: ContainerRecord): number | undefined {
  return record.state.terminated?.exitCode ?? record.lastState?.terminated?.exitCode;
}
