import type { DynamoDBBatchResponse } from 'aws-lambda';
import { dispatch } from '../../lib/controllers/dispatcher';
import type { StreamRecord } from '../../lib/controllers/stream-record';
import type { ReconcilerRuntime } from './reconciler-runtime';

/**
 * One batch of stream records: dispatch them, send the requeues they asked for, and answer with
 * the partial batch response. Should the queue refuse a requeue, the whole batch fails and is
 * retried (bisected): its reconciles are idempotent, a lost requeue would not be.
 */
export async function reconcileStreamBatch(
  records: readonly StreamRecord[],
  runtime: ReconcilerRuntime,
): Promise<DynamoDBBatchResponse> {
  const result = await dispatch(records, { controllers: runtime.controllers, context: runtime.context });
  await runtime.queue.send(result.requeues);
  return { batchItemFailures: result.batchItemFailures };
}
