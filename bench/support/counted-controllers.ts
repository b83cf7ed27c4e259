import type { Controller } from '../../lib/controllers/controller';

/** What one controller's reconciles came to. */
export interface ReconcileCount {
  controller: string;
  runs: number;
  /** Runs that threw (a conflict, say): the dispatcher retries the record. */
  failures: number;
  /** Time spent inside reconcile, summed over runs (they overlap: concurrency 8). */
  busyMs: number;
}

/**
 * The controllers, each wrapped to count its reconcile runs, failures and time, whichever path
 * started them (stream dispatch or requeue). The wrappers keep each controller's name, kind and
 * watches, so the dispatcher routes records to them exactly as to the originals.
 */
export class CountedControllers {
  readonly controllers: readonly Controller[];
  private counts = new Map<string, ReconcileCount>();

  constructor(controllers: readonly Controller[]) {
    this.controllers = controllers.map((controller) => ({
      ...controller,
      reconcile: async (key, context) => {
        const count = this.countOf(controller.name);
        count.runs += 1;
        const started = performance.now();
        try {
          return await controller.reconcile(key, context);
        } catch (error) {
          count.failures += 1;
          throw error;
        } finally {
          count.busyMs += performance.now() - started;
        }
      },
    }));
  }

  /** Runs since the last reset, by controller, busiest first; controllers that never ran are left out. */
  byController(): ReconcileCount[] {
    return [...this.counts.values()].sort((a, b) => b.runs - a.runs);
  }

  /** Runs since the last reset, over every controller. */
  get runs(): number {
    return this.byController().reduce((sum, c) => sum + c.runs, 0);
  }

  reset(): void {
    this.counts = new Map();
  }

  private countOf(name: string): ReconcileCount {
    let count = this.counts.get(name);
    if (!count) {
      count = { controller: name, runs: 0, failures: 0, busyMs: 0 };
      this.counts.set(name, count);
    }
    return count;
  }
}
