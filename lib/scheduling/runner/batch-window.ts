/**
 * Karpenter's batching of pending pods: a round starts once changes stop arriving for `idleMs`
 * (1 s), or `maxMs` (10 s) after the first change of the batch, whichever is first, so a Deployment
 * scaled to 500 is planned as one batch rather than 500 rounds. Rounds never overlap: changes
 * arriving during a round open the next batch.
 */
export interface BatchWindowOptions {
  idleMs?: number;
  maxMs?: number;
  run: () => Promise<void>;
  logError?: (message: string, error: unknown) => void;
}

export class BatchWindow {
  private readonly idleMs: number;
  private readonly maxMs: number;
  private firstAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: BatchWindowOptions) {
    this.idleMs = options.idleMs ?? 1000;
    this.maxMs = options.maxMs ?? 10_000;
  }

  /** A change arrived: (re)arm the window. */
  poke(): void {
    if (this.stopped) return;
    const now = Date.now();
    this.firstAt ??= now;
    clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(this.idleMs, this.firstAt + this.maxMs - now));
    this.timer = setTimeout(() => this.fire(), wait);
    this.timer.unref();
  }

  /** Runs a round now (the minute tick), unless one is running; answers when it is done. */
  async runNow(): Promise<void> {
    if (this.running) return this.running;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.firstAt = undefined;
    this.running = this.options
      .run()
      .catch((error: unknown) => (this.options.logError ?? console.error)('scheduler round failed', error))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** Cancels the pending window and waits for a running round. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private fire(): void {
    this.timer = undefined;
    if (this.running) {
      // A round is running: start the next batch once it is done.
      void this.running.then(() => this.poke());
      return;
    }
    void this.runNow();
  }
}
