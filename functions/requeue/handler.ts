import middy from '@middy/core';
import { invocationMetrics } from '../invocation-metrics';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createReconcilerRuntime } from '../reconcile/reconciler-runtime';
import { runRequeueBatch } from './requeue-batch';

// Once per container: configuration, clients, store and queue.
const runtime = createReconcilerRuntime();

/** Runs reconciles that asked to be looked at again later (`requeueAfter`), when their delay is up. */
export const handler = middy(async (event: SQSEvent): Promise<SQSBatchResponse> =>
  runRequeueBatch(event.Records, runtime),
).use(invocationMetrics('requeue'));
