import { describeKey } from '../../controllers/controller';
import { runTasks, type DispatchOptions, type DispatchResult } from '../../controllers/dispatcher';
import { taskId, type Task } from '../../controllers/record-keys';

/** What a reconcile asked for: look at `key` again with `controller` after `afterSeconds`. */
export type Requeue = DispatchResult['requeues'][number];

export interface LocalRequeueOptions extends DispatchOptions {
  /** Runs of one reconcile before it is given up (SQS's maxReceiveCount before the DLQ); default 5. */
  maxAttempts?: number;
  /** Delay before running a failed reconcile again (SQS's visibility timeout); default 10 s. */
  retryDelaySeconds?: number;
}

/**
 * The local stand-in for the SQS delay queue behind `requeueAfter`: each requeue runs its reconcile
 * once its delay is up, through the same runTasks the requeue Lambda uses, and whatever that run
 * asks for is requeued in turn. A failed run comes back after `retryDelaySeconds`, up to
 * `maxAttempts` runs, as an SQS message does until its redrive policy sends it to the DLQ.
 *
 * A key already waiting for the same controller keeps the earlier of the two times: reconciles are
 * level-based, so one run covers both requests, and a busy object never piles up timers. Timers are
 * unref'd, so a pending requeue never keeps the process alive by itself.
 */
export class LocalRequeue {
  private readonly options: LocalRequeueOptions;
  private readonly waiting = new Map<string, { dueAt: number; timer: NodeJS.Timeout }>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(options: LocalRequeueOptions) {
    this.options = options;
  }

  /** Schedules the requeues of one dispatch; unknown controllers are logged and dropped. */
  add(requeues: readonly Requeue[]): void {
    for (const requeue of requeues) {
      const controller = this.options.controllers.find((c) => c.name === requeue.controller);
      if (!controller) {
        this.logError(`requeue for unknown controller ${requeue.controller}`, requeue);
        continue;
      }
      this.schedule({ controller, key: requeue.key }, requeue.afterSeconds, 1);
    }
  }

  /** How many reconciles are waiting for their time. */
  get size(): number {
    return this.waiting.size;
  }

  /** Cancels every waiting requeue and waits for the runs in progress to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const { timer } of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    await Promise.all([...this.running]);
  }

  private schedule(task: Task, afterSeconds: number, attempt: number): void {
    if (this.stopped) return;
    const id = taskId(task);
    const dueAt = Date.now() + Math.max(0, afterSeconds) * 1000;
    const existing = this.waiting.get(id);
    if (existing && existing.dueAt <= dueAt) return;
    clearTimeout(existing?.timer);
    const timer = setTimeout(() => {
      this.waiting.delete(id);
      const run = this.run(task, attempt).finally(() => this.running.delete(run));
      this.running.add(run);
    }, dueAt - Date.now());
    timer.unref();
    this.waiting.set(id, { dueAt, timer });
  }

  private async run(task: Task, attempt: number): Promise<void> {
    try {
      const result = await runTasks([task], this.options);
      if (result.failed.size > 0) {
        const maxAttempts = this.options.maxAttempts ?? 5;
        if (attempt < maxAttempts) this.schedule(task, this.options.retryDelaySeconds ?? 10, attempt + 1);
        else this.logError(`requeued reconcile of ${describeKey(task.key)} failed ${attempt} times; dropped`);
      }
      this.add(result.requeues);
    } catch (error) {
      // runTasks reports reconcile failures itself; this is a failure around them (an Event write).
      this.logError(`requeued reconcile of ${describeKey(task.key)} failed`, error);
    }
  }

  private logError(message: string, error?: unknown): void {
    (this.options.logError ?? ((m, e) => console.error(m, e ?? '')))(message, error);
  }
}
