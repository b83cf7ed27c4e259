import type { SQSBatchResponse } from 'aws-lambda';
import { runTasks } from '../../lib/controllers/dispatcher';
import { taskId, type Task } from '../../lib/controllers/record-keys';
import { decodeRequeue, type Requeue } from '../../lib/controllers/requeue-message';
import type { ReconcilerRuntime } from '../reconcile/reconciler-runtime';

/** The parts of an SQS record this consumer reads. */
export interface QueuedMessage {
  messageId: string;
  body: string;
}

type LogError = (message: string, error: unknown) => void;

/** A requeue to send, and the messages that fail if it cannot be sent. */
interface Onward {
  requeue: Requeue;
  messageIds: string[];
}

/**
 * One batch from the requeue queue. A message still owing delay is sent on for its next stretch;
 * a due one runs its reconcile (once per distinct task) and sends whatever requeue that asks for.
 * Failed messages are reported in the SQS partial batch response and come back after the
 * visibility timeout; one that cannot be decoded fails every time and so ends in the dead-letter
 * queue, where it can be read.
 */
export async function runRequeueBatch(
  messages: readonly QueuedMessage[],
  runtime: ReconcilerRuntime,
  logError: LogError = (message, error) => console.error(message, error),
): Promise<SQSBatchResponse> {
  const failed = new Set<string>();
  const later: Onward[] = [];
  const due = new Map<string, { task: Task; messageIds: string[] }>();
  for (const { messageId, body } of messages) {
    try {
      const { task, remainingDelaySeconds } = decodeRequeue(body, runtime.controllers);
      if (remainingDelaySeconds > 0) {
        const requeue = {
          controller: task.controller.name,
          key: task.key,
          afterSeconds: remainingDelaySeconds,
        };
        later.push({ requeue, messageIds: [messageId] });
      } else {
        const id = taskId(task);
        due.set(id, { task, messageIds: [...(due.get(id)?.messageIds ?? []), messageId] });
      }
    } catch (error) {
      logError(`requeue message ${messageId} cannot be run`, error);
      failed.add(messageId);
    }
  }

  const result = await runTasks(
    [...due.values()].map(({ task }) => task),
    { controllers: runtime.controllers, context: runtime.context, logError },
  );
  const onward = [...later];
  for (const [id, { task, messageIds }] of due) {
    if (result.failed.has(id)) messageIds.forEach((messageId) => failed.add(messageId));
    const requeue = result.requeues.find(
      (r) =>
        r.controller === task.controller.name && taskId({ controller: task.controller, key: r.key }) === id,
    );
    if (requeue) onward.push({ requeue, messageIds });
  }
  await sendOrFail(onward, runtime, failed, logError);

  return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
}

/** Sends every onward requeue; when the queue refuses, their messages fail and are redelivered. */
async function sendOrFail(
  onward: Onward[],
  runtime: ReconcilerRuntime,
  failed: Set<string>,
  logError: LogError,
) {
  if (!onward.length) return;
  try {
    await runtime.queue.send(onward.map(({ requeue }) => requeue));
  } catch (error) {
    logError('requeue queue refused onward requeues', error);
    for (const { messageIds } of onward) messageIds.forEach((messageId) => failed.add(messageId));
  }
}
