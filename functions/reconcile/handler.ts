import middy from '@middy/core';
import { invocationMetrics } from '../invocation-metrics';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { StreamRecord } from '../../lib/controllers/stream-record';
import { createReconcilerRuntime } from './reconciler-runtime';
import { reconcileStreamBatch } from './stream-batch';

// Once per container: configuration, clients, store and queue.
const runtime = createReconcilerRuntime();

/** The control loops, woken by the object table's stream (filtered to the kinds they watch). */
export const handler = middy(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> =>
  // Lambda's stream record carries the same fields as lib's StreamRecord; only its AttributeValue type differs.
  reconcileStreamBatch(event.Records as unknown as StreamRecord[], runtime),
).use(invocationMetrics('reconcile'));
