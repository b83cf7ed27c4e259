import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { handleInterruptions } from '../../lib/cloud/interruption/handle-interruptions';
import { invocationMetrics } from '../invocation-metrics';
import { createInterruptionRuntime } from './interruption-runtime';

// Once per container: configuration, client, store and event recorder.
const runtime = createInterruptionRuntime();

/**
 * Spot interruption warnings, rebalance recommendations, instance state changes and AWS Health
 * scheduled changes, routed by EventBridge rules into the interruption queue. Messages whose
 * handling threw are reported in the SQS partial batch response and come back; unreadable ones
 * are acknowledged (and logged), since they would fail the same way every time.
 */
export const handler = middy(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const outcomes = await handleInterruptions(
    event.Records.map(({ messageId, body }) => ({ messageId, body })),
    runtime,
  );
  const acted = outcomes.filter((outcome) => outcome.result === 'acted');
  if (acted.length > 0) console.log(JSON.stringify({ message: 'interruptions handled', outcomes: acted }));
  return {
    batchItemFailures: outcomes
      .filter((outcome) => outcome.result === 'failed')
      .map((outcome) => ({ itemIdentifier: outcome.messageId })),
  };
}).use(invocationMetrics('interruption'));
