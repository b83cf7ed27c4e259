import {
  describeKey,
  TerminalReconcileError,
  type Controller,
  type ObjectKey,
  type ReconcileContext,
} from './controller';
import { taskId, tasksOfRecord, type Task } from './record-keys';
import type { StreamRecord } from './stream-record';
import { ConflictError, NotFoundError } from '../store/errors';
import { timestamp } from '../store/server-fields';

export interface DispatchOptions {
  controllers: readonly Controller[];
  context: ReconcileContext;
  /** Reconciles running at once (default 8). */
  concurrency?: number;
  logError?: (message: string, error: unknown) => void;
}

/** Lambda's partial batch response, plus the keys to look at again later. */
export interface DispatchResult {
  batchItemFailures: { itemIdentifier: string }[];
  requeues: { key: ObjectKey; controller: string; afterSeconds: number }[];
}

/**
 * Runs one batch of stream records: maps each record to the reconciles it calls for, runs each
 * distinct reconcile once with bounded concurrency, and reports failures as a partial batch
 * response. For a stream Lambda retries from the earliest reported record, so the earliest record
 * behind any failed reconcile is reported; everything before it is checkpointed.
 */
export async function dispatch(
  records: readonly StreamRecord[],
  options: DispatchOptions,
): Promise<DispatchResult> {
  const tasks = new Map<string, { task: Task; firstSequence: string }>();
  records.forEach((record, index) => {
    const sequence = record.dynamodb?.SequenceNumber ?? String(index);
    for (const task of tasksOfRecord(record, options.controllers)) {
      const id = taskId(task);
      if (!tasks.has(id)) tasks.set(id, { task, firstSequence: sequence });
    }
  });
  const result = await runTasks(
    [...tasks.values()].map((t) => t.task),
    options,
  );
  const failedSequences = [...tasks.values()]
    .filter(({ task }) => result.failed.has(taskId(task)))
    .map((t) => t.firstSequence);
  const earliest = failedSequences.sort(compareSequences)[0];
  return {
    batchItemFailures: earliest === undefined ? [] : [{ itemIdentifier: earliest }],
    requeues: result.requeues,
  };
}

/**
 * Runs reconciles with bounded concurrency. A thrown error fails its task (to be retried); a
 * TerminalReconcileError is recorded as a Warning Event on the object and counts as done.
 */
export async function runTasks(tasks: readonly Task[], options: DispatchOptions) {
  const failed = new Set<string>();
  const requeues: DispatchResult['requeues'] = [];
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++];
      const context = contextFor(task.controller, options.context);
      try {
        const outcome = await task.controller.reconcile(task.key, context);
        if (outcome.requeueAfterSeconds !== undefined)
          requeues.push({
            key: task.key,
            controller: task.controller.name,
            afterSeconds: outcome.requeueAfterSeconds,
          });
      } catch (error) {
        if (error instanceof TerminalReconcileError) await recordTerminal(task, error, context);
        else {
          failed.add(taskId(task));
          logError(`${task.controller.name}: reconcile of ${describeKey(task.key)} failed`, error);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, tasks.length) }, worker));
  return { failed, requeues };
}

/** The context one controller's reconciles see: its own event recorder when the context offers one. */
function contextFor(controller: Controller, context: ReconcileContext): ReconcileContext {
  return context.eventsFor ? { ...context, events: context.eventsFor(controller.name) } : context;
}

/**
 * A terminal failure is told to people twice, as issue and design ask: a Warning Event on the
 * object, and a `Reconciled` condition (False, with the error's reason and message) in its status
 * when the kind has one. Neither is retried: a lost race on the status write is given up on, and
 * the condition is set again by the next reconcile that fails the same way.
 */
async function recordTerminal(
  task: Task,
  error: TerminalReconcileError,
  context: ReconcileContext,
): Promise<void> {
  let object;
  try {
    object = await context.store.get(task.key.kind, task.key.namespace, task.key.name);
  } catch (lookup) {
    if (lookup instanceof NotFoundError) return;
    throw lookup;
  }
  await context.events.record(object, 'Warning', error.reason, error.message);
  if (!task.key.kind.hasStatus) return;
  const status = (object.status ?? {}) as { conditions?: { type: string }[] };
  const condition = {
    type: RECONCILED_CONDITION,
    status: 'False',
    reason: error.reason,
    message: error.message,
    lastTransitionTime: timestamp(context.now()),
  };
  const conditions = [...(status.conditions ?? []).filter((c) => c.type !== RECONCILED_CONDITION), condition];
  try {
    await context.store.updateStatus(task.key.kind, { ...object, status: { ...status, conditions } });
  } catch (write) {
    if (!(write instanceof ConflictError) && !(write instanceof NotFoundError)) throw write;
  }
}

/** The condition a terminal reconcile failure sets on the object's status. */
export const RECONCILED_CONDITION = 'Reconciled';

/** DynamoDB sequence numbers are decimal strings longer than a double holds. */
function compareSequences(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
