import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { invocationMetrics } from '../invocation-metrics';
import { createReconcilerRuntime } from '../reconcile/reconciler-runtime';
import { runRequeueBatch } from './requeue-batch';
import { drainRequeueQueue } from './requeue-drain';

// Once per container: configuration, clients, store and queue.
const runtime = createReconcilerRuntime();

/** Time kept back from the function's timeout for the last batch to finish. */
const SAFETY_MS = 15_000;

const isSqsBatch = (event: unknown): event is SQSEvent =>
  Array.isArray((event as Partial<SQSEvent> | null)?.Records);

/**
 * Runs the reconciles that asked to be looked at again (`requeueAfter`) and are now due. The stack
 * invokes it from a tick every minute, and it drains the requeue queue (requeue-drain.ts); failed
 * messages stay on the queue and come back, or park in the dead-letter queue if they keep failing.
 * An SQS batch (a queue trigger, should one be wired) is run as such, with a partial batch response.
 */
export const handler = middy(
  async (event: unknown, context: Context): Promise<SQSBatchResponse | undefined> => {
    if (isSqsBatch(event)) return runRequeueBatch(event.Records, runtime);
    const deadline = Date.now() + Math.max(context.getRemainingTimeInMillis() - SAFETY_MS, 1000);
    await drainRequeueQueue({ sqs: runtime.sqs, queueUrl: runtime.requeueQueueUrl }, runtime, deadline);
    return undefined;
  },
).use(invocationMetrics('requeue'));
