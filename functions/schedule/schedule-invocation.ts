import type { DynamoDBBatchResponse } from 'aws-lambda';
import { dispatch } from '../../lib/controllers/dispatcher';
import { resync } from '../../lib/controllers/resync';
import type { StreamRecord } from '../../lib/controllers/stream-record';
import { runSchedulerRound, type RoundResult } from '../../lib/scheduling/runner/scheduler-round';
import type { SchedulerRuntime } from './scheduler-runtime';

/** The controllers' resync over every claim, each minute: timeouts are noticed without a requeue queue. */
const EVERY_TICK = { intervalSeconds: 60, tickSeconds: 60 };

/**
 * A batch of stream records: the NodeClaim controller reconciles what they name, then a round
 * plans everything. A failed reconcile is reported as a partial batch failure (retried); a failed
 * round throws, so the batch is retried and the round with it.
 */
export async function scheduleOnRecords(
  records: readonly StreamRecord[],
  runtime: Pick<SchedulerRuntime, 'controllers' | 'context' | 'deps'>,
): Promise<DynamoDBBatchResponse & { round: RoundResult }> {
  const result = await dispatch(records, { controllers: runtime.controllers, context: runtime.context });
  const round = await runSchedulerRound(runtime.deps);
  return { batchItemFailures: result.batchItemFailures, round };
}

/**
 * The minute tick: every claim reconciled, a round, the orphan instances ended, and the
 * provider's catalogue published for the API's dry run (when it changed, or 5 minutes after the
 * last write; see CataloguePublisher). The catalogue is the one the round just planned with, from
 * the provider's cache: publishing costs no EC2 call. A failed publish fails the tick, last, so
 * it shows in the function's errors rather than as a dry run that keeps answering 503.
 */
export async function scheduleOnTick(
  runtime: Pick<SchedulerRuntime, 'controllers' | 'context' | 'deps' | 'catalogue'>,
  collectOrphans: () => Promise<unknown>,
): Promise<RoundResult> {
  const swept = await resync(runtime.controllers, runtime.context, EVERY_TICK);
  const round = await runSchedulerRound(runtime.deps);
  await collectOrphans();
  await runtime.catalogue.publish(await runtime.deps.provider.catalogue(), runtime.deps.now());
  if (swept.failed.size > 0) throw new Error(`schedule tick: ${swept.failed.size} claim reconciles failed`);
  return round;
}
