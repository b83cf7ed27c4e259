import { keyOf } from '../../lib/controllers/controller';
import { runTasks } from '../../lib/controllers/dispatcher';
import type { Task } from '../../lib/controllers/record-keys';
import type { ReconcilerRuntime } from '../reconcile/reconciler-runtime';

/** What one sweep did. */
export interface ResyncResult {
  reconciled: number;
  failed: number;
}

/**
 * The periodic sweep: every object of every controller's own kind is reconciled again, so a
 * change a stream record missed (past its retries, or before a controller existed) is converged
 * within one tick. The simplest correct resync: one list per kind, no spreading over ticks.
 */
export async function resync(
  runtime: ReconcilerRuntime,
  logError?: (message: string, error: unknown) => void,
): Promise<ResyncResult> {
  const tasks: Task[] = [];
  for (const controller of runtime.controllers) {
    const { items } = await runtime.context.store.list(controller.kind);
    for (const object of items) tasks.push({ controller, key: keyOf(controller.kind, object) });
  }
  const result = await runTasks(tasks, {
    controllers: runtime.controllers,
    context: runtime.context,
    logError,
  });
  await runtime.queue.send(result.requeues);
  return { reconciled: tasks.length, failed: result.failed.size };
}
