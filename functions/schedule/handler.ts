import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent, ScheduledEvent } from 'aws-lambda';
import { collectOrphanInstances } from '../../lib/controllers/node-claim/orphan-instances';
import type { StreamRecord } from '../../lib/controllers/stream-record';
import { invocationMetrics } from '../invocation-metrics';
import { scheduleOnRecords, scheduleOnTick } from './schedule-invocation';
import { createSchedulerRuntime } from './scheduler-runtime';

// Once per container: configuration, clients, the provider's catalogue cache and the lease holder id.
const runtime = createSchedulerRuntime();

/**
 * The schedule function (reserved concurrency 1): woken by the object table's stream for pods,
 * nodes, claims and pools (batched 1 s by the event source), and every minute by an EventBridge
 * rule. Each invocation runs the NodeClaim controller for what changed and then one scheduling
 * round; the minute tick also resyncs every claim and ends instances no claim owns.
 */
export const handler = middy(
  async (event: DynamoDBStreamEvent | ScheduledEvent): Promise<DynamoDBBatchResponse | void> => {
    if ('Records' in event) {
      // Lambda's stream record carries the same fields as lib's StreamRecord; only its AttributeValue type differs.
      const { batchItemFailures } = await scheduleOnRecords(
        event.Records as unknown as StreamRecord[],
        runtime,
      );
      return { batchItemFailures };
    }
    await scheduleOnTick(runtime, () =>
      collectOrphanInstances(
        runtime.deps.store,
        runtime.deps.provider,
        runtime.config.clusterName,
        new Date(),
      ),
    );
  },
).use(invocationMetrics('schedule'));
