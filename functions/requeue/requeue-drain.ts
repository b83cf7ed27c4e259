import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { ReconcilerRuntime } from '../reconcile/reconciler-runtime';
import { runRequeueBatch } from './requeue-batch';

/** Where the drain reads. */
export interface RequeueSource {
  sqs: SQSClient;
  queueUrl: string;
}

/** What one drain did. */
export interface DrainResult {
  received: number;
  /** Messages left on the queue to come back after their visibility timeout (and, at last, park). */
  failed: number;
}

type LogError = (message: string, error: unknown) => void;

/** The most messages one ReceiveMessage returns. */
const RECEIVE_BATCH = 10;

/**
 * One tick's drain of the requeue queue: while messages are visible, receive up to ten, run them
 * as the SQS trigger would have (runRequeueBatch: due reconciles run once per key, the rest are
 * sent on), and delete those that did not fail. A failed message stays, comes back after the
 * queue's visibility timeout, and after REQUEUE_MAX_RECEIVE_COUNT receives is parked in the
 * dead-letter queue, as with the trigger.
 *
 * The queue is asked first how many messages are visible (one request, counted over all of SQS's
 * servers): with none, the tick costs that one request. Receives then long-poll for a second,
 * since a short poll samples a subset of servers and may come back empty while a few messages wait,
 * until one comes back short of ten. It stops at `deadlineMs` (leaving time before the function's
 * timeout); the next tick goes on.
 */
export async function drainRequeueQueue(
  source: RequeueSource,
  runtime: ReconcilerRuntime,
  deadlineMs: number,
  logError: LogError = (message, error) => console.error(message, error),
): Promise<DrainResult> {
  const { sqs, queueUrl } = source;
  const result: DrainResult = { received: 0, failed: 0 };
  if ((await visibleMessages(source)) === 0) return result;
  while (Date.now() < deadlineMs) {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: RECEIVE_BATCH,
        WaitTimeSeconds: 1,
      }),
    );
    if (messages.length === 0) break;
    result.received += messages.length;
    const { batchItemFailures } = await runRequeueBatch(
      messages.map((message) => ({ messageId: message.MessageId ?? '', body: message.Body ?? '' })),
      runtime,
      logError,
    );
    const failed = new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
    result.failed += failed.size;
    await deleteMessages(
      source,
      messages.filter((message) => !failed.has(message.MessageId ?? '')),
      logError,
    );
    // A short batch means the queue is (nearly) empty: another receive would wait out its second.
    if (messages.length < RECEIVE_BATCH) break;
  }
  return result;
}

async function visibleMessages({ sqs, queueUrl }: RequeueSource): Promise<number> {
  const { Attributes: attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(attributes?.ApproximateNumberOfMessages ?? 0);
}

/** Deletes what was handled; a message whose delete failed is only received (and run) again. */
async function deleteMessages({ sqs, queueUrl }: RequeueSource, messages: Message[], logError: LogError) {
  if (messages.length === 0) return;
  const { Failed: failed = [] } = await sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: messages.map((message, index) => ({
        Id: String(index),
        ReceiptHandle: message.ReceiptHandle ?? '',
      })),
    }),
  );
  if (failed.length > 0)
    logError(
      'requeue messages not deleted; they will run again',
      failed.map((entry) => entry.Message),
    );
}
