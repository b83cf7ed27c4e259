import { createHash } from 'node:crypto';
import type { KubeObject } from '../kinds/meta';
import type { ObjectStore } from '../store/object-store';
import { keyOf, type Controller, type ReconcileContext } from './controller';
import { runTasks, type DispatchResult } from './dispatcher';
import type { Task } from './record-keys';

/**
 * The resync sweep: a stream record that was lost (past its retries, or written before a
 * controller existed) cannot leave an object unconverged for longer than one interval.
 *
 * It needs no state of its own: objects are spread over the interval by a hash of their uid, one
 * slice per tick, so each is reconciled once per interval rather than on every tick. It does not
 * ask when an object was last written: resourceVersion is an opaque order, not a clock (kube's
 * contract, and Skiff's once it becomes a cluster-wide sequence), so an object written a moment
 * ago may be reconciled once more than it needed; reconciles are idempotent, so that costs a read.
 */
export interface ResyncSchedule {
  /** Every object is reconciled once in each interval of this length. */
  intervalSeconds: number;
  /** How often the sweep runs (the EventBridge rule's rate, or the local timer's). */
  tickSeconds: number;
}

export const DEFAULT_RESYNC: ResyncSchedule = { intervalSeconds: 300, tickSeconds: 60 };

/** Whether the sweep at `nowMs` reconciles `object`. */
export function isDueForResync(object: KubeObject, nowMs: number, schedule: ResyncSchedule): boolean {
  const slices = Math.max(1, Math.round(schedule.intervalSeconds / schedule.tickSeconds));
  const tick = Math.floor(nowMs / (schedule.tickSeconds * 1000));
  return sliceOf(object.metadata.uid ?? object.metadata.name ?? '', slices) === tick % slices;
}

function sliceOf(id: string, slices: number): number {
  return createHash('sha256').update(id).digest().readUInt32BE(0) % slices;
}

/** Runs one sweep: lists each controller's kind and reconciles the objects that are due. */
export async function resync(
  controllers: readonly Controller[],
  context: ReconcileContext,
  schedule: ResyncSchedule,
  logError?: (message: string, error: unknown) => void,
): Promise<{ tasks: Task[]; failed: Set<string>; requeues: DispatchResult['requeues'] }> {
  const nowMs = context.now().getTime();
  const tasks = await sweepTasks(controllers, context.store, (object) =>
    isDueForResync(object, nowMs, schedule),
  );
  const result = await runTasks(tasks, { controllers, context, logError });
  return { tasks, ...result };
}

/**
 * The reconciles of a sweep: one per stored object of each controller's own kind that `selects`
 * keeps. A record of any kind only ever wakes keys of the controllers' own kinds, so sweeping
 * every object does what any lost record would have: the keys left out are those of objects that
 * are gone, and a gone owner's dependents are found from their own side (see
 * garbage-collector.ts), so reconciling it would do nothing more.
 *
 * @example sweepTasks(CONTROLLERS, store, () => true) // every object, as an informer's first list
 */
export async function sweepTasks(
  controllers: readonly Controller[],
  store: ObjectStore,
  selects: (object: KubeObject) => boolean,
): Promise<Task[]> {
  const tasks: Task[] = [];
  for (const controller of controllers) {
    const { items } = await store.list(controller.kind);
    for (const object of items)
      if (selects(object)) tasks.push({ controller, key: keyOf(controller.kind, object) });
  }
  return tasks;
}
