import type { Probe } from '../../kinds/probe';
import {
  initialResults,
  recordResult,
  shouldProbe,
  type ProbeKind,
  type ProbeResults,
} from './probe-results';
import { runProbe } from './run-probe';
import type { ProbeOutcome, ProbeTarget } from './probe-target';

export type { ProbeKind } from './probe-results';

/** Kubernetes' default period, also taken for 0 (SetDefaults_Probe). */
const DEFAULT_PERIOD_SECONDS = 10;

export interface ProbeWorkerOptions {
  kind: ProbeKind;
  probe: Probe;
  target: ProbeTarget;
  /** When the container started: initialDelaySeconds counts from here. */
  startedAt: Date;
  /**
   * Whether the container has started: its startup probe succeeded, or it has none. Liveness and
   * readiness probes wait for it; default: started.
   */
  started?: () => boolean;
  /** Called when the thresholded result flips; `message` is the last probe's (the Unhealthy event's). */
  onChange(kind: ProbeKind, healthy: boolean, message?: string): void;
  /**
   * Called when a probe could not be run (ProbeError) or a callback threw; the result is thrown
   * away, as the kubelet does.
   */
  onError?(kind: ProbeKind, error: Error): void;
  /** Seams for tests: the clock and the probe itself. */
  now?: () => number;
  run?: (probe: Probe, target: ProbeTarget) => Promise<ProbeOutcome>;
}

/**
 * Probes one container for one kind of probe, as the kubelet's probe worker (prober/worker.go)
 * does. It starts when made: a probe at once and then every periodSeconds, one at a time, each
 * tick gated and counted by probe-results.ts (initial delay, startup first, thresholds, hold after
 * a liveness or startup failure). `onChange` is called on each flip of the thresholded result.
 * Timers are unref'd: a worker never keeps the agent's process alive.
 */
export class ProbeWorker {
  private readonly now: () => number;
  private readonly run: (probe: Probe, target: ProbeTarget) => Promise<ProbeOutcome>;
  private startedAt: number;
  private results: ProbeResults;
  private stopped = false;
  /** Counts restarts, so a probe of an earlier attempt still in flight is not counted for the next. */
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  private nextTickAt: number;

  constructor(private readonly options: ProbeWorkerOptions) {
    this.now = options.now ?? Date.now;
    this.run = options.run ?? runProbe;
    this.startedAt = options.startedAt.getTime();
    this.results = initialResults(options.kind);
    this.nextTickAt = this.now();
    this.schedule(0);
  }

  /** The current thresholded result: undefined for a startup probe not yet decided. */
  get healthy(): boolean | undefined {
    return this.results.healthy;
  }

  /**
   * A new attempt of the container started: back to the initial value (without `onChange`: the
   * container's exit already made it unready) and probing again after its initial delay.
   */
  restart(startedAt: Date): void {
    this.startedAt = startedAt.getTime();
    this.results = initialResults(this.options.kind);
    this.generation++;
  }

  /** Stops probing; a probe in flight finishes without calling back. Idempotent. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.tick().catch((error: unknown) => this.options.onError?.(this.options.kind, error as Error));
    }, delayMs);
    this.timer.unref();
  }

  /** One tick of the kubelet's ticker; ticks missed while a probe ran collapse into one, as Go's do. */
  private async tick(): Promise<void> {
    try {
      await this.probeOnce();
    } finally {
      const period = (this.options.probe.periodSeconds || DEFAULT_PERIOD_SECONDS) * 1000;
      const now = this.now();
      this.nextTickAt = Math.max(this.nextTickAt + period, now);
      this.schedule(this.nextTickAt - now);
    }
  }

  private async probeOnce(): Promise<void> {
    const { kind, probe, target } = this.options;
    const secondsRunning = (this.now() - this.startedAt) / 1000;
    const started = this.options.started?.() ?? true;
    if (this.stopped || !shouldProbe(this.results, kind, probe, secondsRunning, started)) return;
    const generation = this.generation;
    let outcome: ProbeOutcome;
    try {
      outcome = await this.run(probe, target);
    } catch (error) {
      if (!this.stopped) this.options.onError?.(kind, error as Error);
      return;
    }
    if (this.stopped || generation !== this.generation) return;
    const { results, changed } = recordResult(this.results, outcome.result === 'success', probe, kind);
    this.results = results;
    if (changed) this.options.onChange(kind, results.healthy as boolean, outcome.message);
  }
}
