import type { Pod } from '../../kinds/pod';
import type { ContainerStatus, PodCondition, PodPhase, PodStatus } from '../../kinds/pod-status';
import type { ContainerRecord } from './container-record';

/** The conditions the agent owns; others (PodScheduled, DisruptionTarget) are kept as they are. */
const AGENT_CONDITIONS = ['Initialized', 'ContainersReady', 'Ready'] as const;

export interface PodStatusInput {
  pod: Pod;
  init: readonly ContainerRecord[];
  containers: readonly ContainerRecord[];
  /** Every init container has completed (now or in an earlier run of the agent). */
  initialized: boolean;
  podIP?: string;
  hostIP: string;
  /** When the agent first ran the pod: status.startTime. */
  startTime: string;
  now: string;
  /** A terminal verdict the agent reached before running anything (an unavailable runtime). */
  rejected?: { reason: string; message: string };
}

/**
 * The pod's status as the kubelet reports it (kubelet_pods.go generateAPIPodStatus and getPhase):
 * phase from the containers' states and the restart policy, the Initialized, ContainersReady and
 * Ready conditions with their reasons and messages, one containerStatus per container in spec
 * order, podIP and hostIP. Pure: the same input gives the same status, so the worker writes only
 * what changed.
 */
export function podStatus(input: PodStatusInput): PodStatus {
  const { pod } = input;
  const previous = pod.status;
  const phase = input.rejected ? 'Failed' : podPhase(input);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const unready = input.containers.filter((record) => !record.ready).map((record) => record.name);
  const incomplete = input.init.filter((record) => record.state.terminated?.exitCode !== 0);
  const conditions: PodCondition[] = [
    input.initialized
      ? { type: 'Initialized', status: 'True' }
      : {
          type: 'Initialized',
          status: 'False',
          reason: 'ContainersNotInitialized',
          message: `containers with incomplete status: [${incomplete.map((record) => record.name).join(' ')}]`,
        },
    readiness('ContainersReady', unready, terminal),
    readiness('Ready', unready, terminal),
  ];
  const kept = (previous.conditions ?? []).filter(
    (condition) => !(AGENT_CONDITIONS as readonly string[]).includes(condition.type),
  );
  return {
    ...previous,
    phase,
    ...(input.rejected ? { reason: input.rejected.reason, message: input.rejected.message } : {}),
    conditions: [...kept, ...conditions.map((condition) => transitioned(condition, previous, input.now))],
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    ...(input.podIP ? { podIP: input.podIP, podIPs: [{ ip: input.podIP }] } : {}),
    startTime: previous.startTime ?? input.startTime,
    ...(input.init.length > 0 ? { initContainerStatuses: input.init.map(containerStatus) } : {}),
    containerStatuses: input.containers.map(containerStatus),
  };
}

/**
 * getPhase: Pending while initializing or while a container waits to run for the first time;
 * Running while one runs (or all stopped under restartPolicy Always); Succeeded when all ended
 * with 0; Failed when all ended, one not with 0, and nothing will restart them.
 */
export function podPhase(
  input: Pick<PodStatusInput, 'pod' | 'init' | 'containers' | 'initialized'>,
): PodPhase {
  const policy = input.pod.spec.restartPolicy ?? 'Always';
  if (!input.initialized) {
    const failedInit = input.init.some(
      (record) => record.state.terminated !== undefined && record.state.terminated.exitCode !== 0,
    );
    return failedInit && policy === 'Never' ? 'Failed' : 'Pending';
  }
  let waiting = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const record of input.containers) {
    if (record.state.running) running++;
    else if (record.state.terminated) {
      stopped++;
      if (record.state.terminated.exitCode === 0) succeeded++;
    } else if (record.lastState?.terminated) {
      stopped++;
      if (record.lastState.terminated.exitCode === 0) succeeded++;
    } else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === 0) return 'Pending';
  if (policy === 'Always') return 'Running';
  if (stopped === succeeded) return 'Succeeded';
  return policy === 'Never' ? 'Failed' : 'Running';
}

/** ContainersReady or Ready: True when every container is ready; PodCompleted once the pod ended. */
function readiness(type: string, unready: readonly string[], terminal: boolean): PodCondition {
  if (terminal) return { type, status: 'False', reason: 'PodCompleted' };
  if (unready.length === 0) return { type, status: 'True' };
  return {
    type,
    status: 'False',
    reason: 'ContainersNotReady',
    message: `containers with unready status: [${unready.join(' ')}]`,
  };
}

/** A condition's lastTransitionTime: kept while its status holds, now when it changes. */
function transitioned(condition: PodCondition, previous: PodStatus, now: string): PodCondition {
  const before = previous.conditions?.find((candidate) => candidate.type === condition.type);
  const since = before && before.status === condition.status ? before.lastTransitionTime : undefined;
  return { ...condition, lastTransitionTime: since ?? now };
}

function containerStatus(record: ContainerRecord): ContainerStatus {
  return {
    name: record.name,
    state: record.state,
    ...(record.lastState ? { lastState: record.lastState } : { lastState: {} }),
    ready: record.ready,
    restartCount: record.restartCount,
    image: record.image,
    imageID: '',
    ...(record.containerID ? { containerID: record.containerID } : {}),
    started: record.started,
  };
}
