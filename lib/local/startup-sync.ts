import { runTasks, type DispatchOptions } from '../controllers/dispatcher';
import { taskId } from '../controllers/record-keys';
import { sweepTasks } from '../controllers/resync';
import type { LocalRequeue } from './stream/local-requeue';

/** Reconciles run between two checks for stop(): a stop waits for one chunk at most. */
const CHUNK = 64;

/** A failed reconcile of the startup sweep is tried again after this, then as a failed requeue is. */
const RETRY_AFTER_SECONDS = 1;

export interface StartupSync {
  /** Resolves once every object has been reconciled once (or the sweep was stopped). */
  done: Promise<void>;
  /** Stops after the reconciles in progress; those not yet started are dropped. */
  stop(): Promise<void>;
}

/**
 * The local control plane's first act: every stored object of every controller's kind is
 * reconciled once, as the first list of a kube controller's informers enqueues every key.
 *
 * The local stream lives in memory, so a crash (`kill -9`, a power cut) loses the records it had
 * not delivered, and the requeue timers with them. Reconcilers are level-based (design.md decision
 * 3): they need to know only which keys to look at, never what happened, and reconciling every key
 * once reaches the state any replay of the lost records would have reached. So nothing about the
 * stream has to be kept on disk. It costs one reconcile per object at start, most of which read
 * the in-memory mirror and find nothing to do. The sweep runs beside the API and the stream, in
 * chunks of bounded concurrency; its requeues go to the local requeue timers, and a reconcile that
 * fails is retried there like a failed requeue.
 */
export function startStartupSync(options: DispatchOptions, requeue: LocalRequeue): StartupSync {
  let stopped = false;
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  const run = async () => {
    const tasks = await sweepTasks(options.controllers, options.context.store, () => true);
    for (let start = 0; start < tasks.length && !stopped; start += CHUNK) {
      const chunk = tasks.slice(start, start + CHUNK);
      const result = await runTasks(chunk, options);
      requeue.add(result.requeues);
      requeue.add(
        chunk
          .filter((task) => result.failed.has(taskId(task)))
          .map((task) => ({
            key: task.key,
            controller: task.controller.name,
            afterSeconds: RETRY_AFTER_SECONDS,
          })),
      );
    }
  };
  const done = run().catch((error: unknown) => logError('startup sync failed', error));
  return {
    done,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}
