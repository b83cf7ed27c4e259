import { resync as sweep, type ResyncSchedule } from '../../lib/controllers/resync';
import type { ReconcilerRuntime } from '../reconcile/reconciler-runtime';

/** What one sweep did. */
export interface ResyncResult {
  reconciled: number;
  failed: number;
}

/**
 * The scheduled tick: one resync sweep (lib/controllers/resync.ts) over every controller's kind,
 * with the requeues it asks for sent to the delay queue.
 */
export async function resync(
  runtime: ReconcilerRuntime,
  schedule: ResyncSchedule,
  logError?: (message: string, error: unknown) => void,
): Promise<ResyncResult> {
  const result = await sweep(runtime.controllers, runtime.context, schedule, logError);
  await runtime.queue.send(result.requeues);
  return { reconciled: result.tasks.length, failed: result.failed.size };
}
