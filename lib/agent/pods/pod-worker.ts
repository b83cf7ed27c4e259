import type { Container } from '../../kinds/container';
import type { Pod } from '../../kinds/pod';
import type { ContainerState, PodStatus } from '../../kinds/pod-status';
import type { ContainerRuntime, ContainerTermination } from '../runtime/container-runtime';
import { timestamp } from '../../store/server-fields';
import { CrashBackoff } from './crash-backoff';
import type { ContainerRecord } from './container-record';
import { podStatus } from './pod-status';
import { restoredRecords } from './restored-records';
import { startContainer } from './start-container';

/** What a worker needs from its agent: the API, the runtime, env resolution and probes. */
export interface PodWorkerHost {
  /** The runtime the pod asked for, or why the node cannot run it. */
  runtime: ContainerRuntime | { missing: string };
  hostIP: string;
  podIP: string;
  /** The container's whole environment (ConfigMaps, downward API); throws CreateContainerConfigError. */
  env(pod: Pod, container: Container): Promise<Record<string, string>>;
  writeStatus(pod: Pod, status: PodStatus): Promise<void>;
  /** Removes the pod from the API once its containers are stopped (DELETE with grace 0). */
  deletePod(pod: Pod): Promise<void>;
  event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** Starts a running container's probes; `changed` is told when one's verdict flips. Answers a stop. */
  startProbes(
    pod: Pod,
    container: Container,
    changed: (kind: ProbeKind, healthy: boolean, message?: string) => void,
  ): () => void;
  /** Called once the pod is stopped and forgotten: the agent drops the worker and frees its IP. */
  finished(podUid: string): void;
  logError(message: string, error: unknown): void;
  now(): Date;
  backoff?: { initialSeconds: number; maxSeconds: number };
}

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** How often a container whose config cannot be resolved (a missing ConfigMap) is tried again. */
const CONFIG_RETRY_MS = 10_000;

/**
 * One pod on this node, run as the kubelet's pod worker runs it: init containers in order, then
 * every container, each restarted by the pod's restartPolicy with crash-loop backoff, probes
 * deciding readiness and liveness, and the status reported whenever it changes. Deletion stops
 * every container within the pod's grace period and then removes the pod from the API.
 *
 * All work happens in `sync`, which never runs twice at once: watch updates, container exits,
 * probe verdicts and backoff timers only mark the worker dirty and wake it.
 */
export class PodWorker {
  private pod: Pod;
  private readonly init: ContainerRecord[];
  private readonly containers: ContainerRecord[];
  private initialized: boolean;
  private readonly backoffs = new Map<string, CrashBackoff>();
  /** When each exited container may start again (ms since epoch). */
  private readonly restartAt = new Map<string, number>();
  private readonly probeStops = new Map<string, () => void>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly startTime: string;
  private lastReported = '';
  private gone = false;
  private done = false;
  private syncing: Promise<void> | undefined;
  private dirty = false;

  constructor(
    pod: Pod,
    private readonly host: PodWorkerHost,
  ) {
    this.pod = pod;
    const restored = restoredRecords(pod);
    this.init = restored.init;
    this.containers = restored.containers;
    this.initialized = restored.initialized;
    this.startTime = pod.status.startTime ?? timestamp(host.now());
  }

  get uid(): string {
    return this.pod.metadata.uid ?? '';
  }

  /** A newer version of the pod from the API. */
  update(pod: Pod): void {
    this.pod = pod;
    this.wake();
  }

  /** The pod is gone from the API (force-deleted, or bound elsewhere): stop and forget it. */
  removed(): void {
    this.gone = true;
    this.wake();
  }

  /** Resolves when no sync is running (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.syncing) await this.syncing;
  }

  /** Stops the worker's timers and probes without touching its containers (the agent is stopping). */
  detach(): void {
    this.done = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const stop of this.probeStops.values()) stop();
  }

  private wake(): void {
    if (this.done) return;
    this.dirty = true;
    if (this.syncing) return;
    this.syncing = this.loop().finally(() => (this.syncing = undefined));
  }

  private async loop(): Promise<void> {
    while (this.dirty && !this.done) {
      this.dirty = false;
      try {
        await this.sync();
      } catch (error) {
        this.host.logError(`pod ${this.describe()}: sync failed`, error);
        this.after(CONFIG_RETRY_MS);
      }
    }
  }

  private async sync(): Promise<void> {
    if (this.gone || this.pod.metadata.deletionTimestamp) return this.terminate();
    const runtime = this.host.runtime;
    if ('missing' in runtime) {
      await this.report({ reason: 'RuntimeNotAvailable', message: runtime.missing });
      return;
    }
    if (isTerminal(this.pod.status.phase)) return; // ended: nothing runs until the pod is deleted
    if (!this.initialized && !(await this.runInit(runtime))) return this.report();
    for (const record of this.containers) await this.runContainer(runtime, record, false);
    await this.report();
  }

  /** Runs the init containers in order; true once all have completed. */
  private async runInit(runtime: ContainerRuntime): Promise<boolean> {
    for (const record of this.init) {
      if (record.state.terminated?.exitCode === 0) continue;
      if (record.state.running) return false;
      if (record.state.terminated && this.pod.spec.restartPolicy === 'Never') return false; // the pod failed
      await this.runContainer(runtime, record, true);
      return false;
    }
    this.initialized = true;
    return true;
  }

  /** Starts a container that should run and does not, now or when its backoff ends. */
  private async runContainer(
    runtime: ContainerRuntime,
    record: ContainerRecord,
    init: boolean,
  ): Promise<void> {
    if (record.state.running) return;
    const ended = record.state.terminated ?? (record.everStarted ? record.lastState?.terminated : undefined);
    if (ended && !this.restarts(ended.exitCode, init)) return;
    const wait = (this.restartAt.get(record.name) ?? 0) - this.host.now().getTime();
    if (ended && wait > 0) {
      this.crashLoop(record, wait);
      return;
    }
    const spec = this.specOf(record.name, init);
    if (!spec) return;
    const started = await startContainer({
      runtime,
      pod: this.pod,
      container: spec,
      record,
      env: () => this.host.env(this.pod, spec),
      now: this.host.now,
    });
    if (started.error) {
      if (started.error.retry) this.after(CONFIG_RETRY_MS);
      else this.scheduleRestart(record, started.error.termination);
      this.host.event(this.pod, 'Warning', 'Failed', `Error: ${started.error.message}`);
      return;
    }
    this.host.event(this.pod, 'Normal', 'Started', `Started container ${record.name}`);
    const attempt = record.restartCount;
    void started.exited.then((termination) => this.exited(record, attempt, termination));
    this.watchProbes(spec, record);
  }

  /** A container's run ended: its termination recorded and, by policy, its restart scheduled. */
  private exited(record: ContainerRecord, attempt: number, termination: ContainerTermination): void {
    if (record.restartCount !== attempt || !record.state.running) return;
    this.probeStops.get(record.name)?.();
    this.probeStops.delete(record.name);
    record.state = { terminated: terminatedState(termination, record.containerID) };
    record.ready = false;
    record.started = false;
    this.scheduleRestart(record, termination);
    this.wake();
  }

  private scheduleRestart(record: ContainerRecord, termination: ContainerTermination): void {
    const backoff = this.backoffOf(record.name);
    const { restartAt } = backoff.next(termination.startedAt, termination.finishedAt);
    this.restartAt.set(record.name, restartAt);
  }

  /** Waiting in CrashLoopBackOff: the state the kubelet shows, and a wake-up when the wait ends. */
  private crashLoop(record: ContainerRecord, waitMs: number): void {
    const seconds = Math.ceil(waitMs / 1000);
    const message = `back-off ${formatSeconds(seconds)} restarting failed container=${record.name} pod=${this.describe()}`;
    if (record.state.waiting?.reason !== 'CrashLoopBackOff') {
      record.lastState = { terminated: record.state.terminated ?? record.lastState?.terminated };
      record.state = { waiting: { reason: 'CrashLoopBackOff', message } };
      this.host.event(this.pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
      this.after(waitMs);
    }
  }

  /** Whether a container that exited with `exitCode` runs again under the pod's restartPolicy. */
  private restarts(exitCode: number, init: boolean): boolean {
    const policy = this.pod.spec.restartPolicy ?? 'Always';
    // Init containers run to completion: one that failed is retried unless the policy is Never.
    if (init) return exitCode !== 0 && policy !== 'Never';
    if (policy === 'Always') return true;
    return policy === 'OnFailure' && exitCode !== 0;
  }

  private watchProbes(spec: Container, record: ContainerRecord): void {
    const hasStartup = spec.startupProbe !== undefined;
    const hasReadiness = spec.readinessProbe !== undefined;
    record.started = !hasStartup;
    record.ready = !hasStartup && !hasReadiness;
    if (!spec.livenessProbe && !hasReadiness && !hasStartup) return;
    const attempt = record.restartCount;
    const stop = this.host.startProbes(this.pod, spec, (kind, healthy, message) => {
      if (record.restartCount !== attempt || !record.state.running) return;
      this.probeChanged(spec, record, kind, healthy, message);
    });
    this.probeStops.set(record.name, stop);
  }

  private probeChanged(
    spec: Container,
    record: ContainerRecord,
    kind: ProbeKind,
    healthy: boolean,
    message: string | undefined,
  ): void {
    if (!healthy) {
      const what = kind === 'readiness' ? 'Readiness' : kind === 'liveness' ? 'Liveness' : 'Startup';
      this.host.event(this.pod, 'Warning', 'Unhealthy', `${what} probe failed: ${message ?? ''}`.trim());
    }
    if (kind === 'startup') {
      record.started = healthy;
      if (healthy && !spec.readinessProbe) record.ready = true;
      if (!healthy) this.kill(record, spec, 'startup');
    } else if (kind === 'readiness') {
      record.ready = healthy && record.started;
    } else if (!healthy) {
      this.kill(record, spec, 'liveness');
    }
    this.wake();
  }

  /** A failed liveness or startup probe: the container is stopped, and restarted by policy when it exits. */
  private kill(record: ContainerRecord, spec: Container, probe: string): void {
    const runtime = this.host.runtime;
    if ('missing' in runtime) return;
    this.host.event(
      this.pod,
      'Normal',
      'Killing',
      `Container ${record.name} failed ${probe} probe, will be restarted`,
    );
    const grace = spec.livenessProbe?.terminationGracePeriodSeconds ?? this.gracePeriodSeconds();
    runtime
      .stop({ podUid: this.uid, container: record.name }, grace)
      .catch((error: unknown) =>
        this.host.logError(`pod ${this.describe()}: stopping ${record.name}`, error),
      );
  }

  /** The pod is being deleted (or is gone): stop everything within its grace, then remove it. */
  private async terminate(): Promise<void> {
    for (const stop of this.probeStops.values()) stop();
    this.probeStops.clear();
    const runtime = this.host.runtime;
    if (!('missing' in runtime)) {
      const grace = this.gracePeriodSeconds();
      const running = [...this.init, ...this.containers].filter((record) => record.state.running);
      // The kubelet's words, one event per container it stops.
      for (const record of running)
        this.host.event(this.pod, 'Normal', 'Killing', `Stopping container ${record.name}`);
      await Promise.all(
        running.map(async (record) => {
          const ended = await runtime.stop({ podUid: this.uid, container: record.name }, grace);
          if (ended && record.state.running)
            record.state = { terminated: terminatedState(ended, record.containerID) };
          record.ready = false;
        }),
      );
    }
    if (!this.gone) {
      await this.report();
      await this.host.deletePod(this.pod);
    }
    if (!('missing' in runtime)) await runtime.removePod(this.uid);
    this.detach();
    this.host.finished(this.uid);
  }

  /** Writes the pod's status when it differs from the last one written. */
  private async report(rejected?: { reason: string; message: string }): Promise<void> {
    const status = podStatus({
      pod: this.pod,
      init: this.init,
      containers: this.containers,
      initialized: this.initialized,
      podIP: this.host.podIP,
      hostIP: this.host.hostIP,
      startTime: this.startTime,
      now: timestamp(this.host.now()),
      rejected,
    });
    const text = JSON.stringify(status);
    if (text === this.lastReported || text === JSON.stringify(this.pod.status)) return;
    await this.host.writeStatus(this.pod, status);
    this.lastReported = text;
    this.pod = { ...this.pod, status };
  }

  private gracePeriodSeconds(): number {
    return this.pod.metadata.deletionGracePeriodSeconds ?? this.pod.spec.terminationGracePeriodSeconds ?? 30;
  }

  private specOf(name: string, init: boolean): Container | undefined {
    return (init ? this.pod.spec.initContainers : this.pod.spec.containers)?.find((c) => c.name === name);
  }

  private backoffOf(name: string): CrashBackoff {
    let backoff = this.backoffs.get(name);
    if (!backoff) {
      backoff = new CrashBackoff(this.host.backoff?.initialSeconds, this.host.backoff?.maxSeconds);
      this.backoffs.set(name, backoff);
    }
    return backoff;
  }

  /** Wakes the worker after `ms` (a backoff ending, a retry). */
  private after(ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.wake();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private describe(): string {
    return `${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.uid})`;
  }
}

function isTerminal(phase: string | undefined): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}

/** The containerStatus `state.terminated` of a run that ended. */
export function terminatedState(
  termination: ContainerTermination,
  containerID: string | undefined,
): NonNullable<ContainerState['terminated']> {
  return {
    exitCode: termination.exitCode,
    ...(termination.signal !== undefined ? { signal: termination.signal } : {}),
    reason: termination.reason,
    startedAt: timestamp(termination.startedAt),
    finishedAt: timestamp(termination.finishedAt),
    ...(containerID ? { containerID } : {}),
  };
}

/** Go's duration format for whole seconds, as the kubelet's back-off message prints it: 10s, 1m20s, 5m0s. */
function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}
