import type { DynamoDBBatchResponse } from 'aws-lambda';
import { dispatch } from '../../lib/controllers/dispatcher';
import type { StreamRecord } from '../../lib/controllers/stream-record';
import { podChangesByNode } from '../../lib/store/node-pod-markers';
import type { ReconcilerRuntime } from './reconciler-runtime';

/**
 * One batch of stream records: count the pod changes of each node on its marker (what agents on
 * AWS poll instead of watching; before the reconciles, so agents learn of a binding without
 * waiting for them), dispatch them, send the requeues they asked for, and answer with
 * the partial batch response. Should the queue refuse a requeue, the whole batch fails and is
 * retried (bisected): its reconciles are idempotent, a lost requeue would not be.
 */
export async function reconcileStreamBatch(
  records: readonly StreamRecord[],
  runtime: Pick<ReconcilerRuntime, 'controllers' | 'context' | 'queue' | 'podMarkers'>,
): Promise<DynamoDBBatchResponse> {
  // A failed count fails the batch, which Lambda retries: a change counted twice costs an agent
  // one extra list, a change never counted would leave a pod unstarted.
  await runtime.podMarkers.bump(podChangesByNode(records.map((record) => record.dynamodb ?? {})));
  const result = await dispatch(records, { controllers: runtime.controllers, context: runtime.context });
  await runtime.queue.send(result.requeues);
  return { batchItemFailures: result.batchItemFailures };
}
