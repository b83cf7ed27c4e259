import middy from '@middy/core';
import type { EventBridgeEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { handleInterruptions } from '../../lib/cloud/interruption/handle-interruptions';
import { invocationMetrics } from '../invocation-metrics';
import { createInterruptionRuntime } from './interruption-runtime';

// Once per container: configuration, client, store and event recorder.
const runtime = createInterruptionRuntime();

/** The interruption could not be handled: thrown so Lambda retries the event, then parks it. */
export class InterruptionFailedError extends Error {
  override readonly name = 'InterruptionFailedError';
}

type Interruption = EventBridgeEvent<string, unknown>;

const isSqsBatch = (event: unknown): event is SQSEvent =>
  Array.isArray((event as Partial<SQSEvent> | null)?.Records);

/**
 * Spot interruption warnings, rebalance recommendations, instance state changes and AWS Health
 * scheduled changes. The stack's EventBridge rules invoke it asynchronously with one event each
 * (infra/constructs/interruption-rules.ts): an event whose handling failed throws, so Lambda
 * retries it and at last parks it in the dead-letter queue; an unreadable one is acknowledged
 * (and logged), since it would fail the same way every time. An SQS batch of such events (a queue
 * in between, as Karpenter has) is answered with a partial batch response naming the failures.
 */
export const handler = middy(
  async (event: Interruption | SQSEvent): Promise<SQSBatchResponse | undefined> => {
    const batch = isSqsBatch(event);
    const messages = batch
      ? event.Records.map(({ messageId, body }) => ({ messageId, body }))
      : [{ messageId: event.id, body: JSON.stringify(event) }];
    const outcomes = await handleInterruptions(messages, runtime);
    const acted = outcomes.filter((outcome) => outcome.result === 'acted');
    if (acted.length > 0) console.log(JSON.stringify({ message: 'interruptions handled', outcomes: acted }));
    const failed = outcomes.filter((outcome) => outcome.result === 'failed');
    if (batch) return { batchItemFailures: failed.map((outcome) => ({ itemIdentifier: outcome.messageId })) };
    if (failed.length > 0)
      throw new InterruptionFailedError(
        `interruption event ${failed[0].messageId} (${failed[0].kind}) failed`,
        {
          cause: failed[0].error,
        },
      );
    return undefined;
  },
).use(invocationMetrics('interruption'));
