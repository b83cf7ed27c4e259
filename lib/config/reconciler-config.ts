import * as z from 'zod';
import type { ResyncSchedule } from '../controllers/resync';
import { SKIFF_REQUEUE_QUEUE_URL, SKIFF_TABLE_NAME } from './env-names';
import { parseEnv } from './parse-env';
import { ResyncEnv, resyncOf } from './resync-env';

const required = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .min(1, 'must not be empty');

/** The reconciler functions' environment, as infra/constructs/reconciler.ts sets it. */
const ReconcilerEnv = z.object({
  [SKIFF_TABLE_NAME]: required,
  [SKIFF_REQUEUE_QUEUE_URL]: required,
  ...ResyncEnv,
});

/** What the reconcile, requeue and resync functions need to know about their deployment. */
export interface ReconcilerConfig {
  /** The object table's name. */
  tableName: string;
  /** The queue delayed reconciles wait on. */
  requeueQueueUrl: string;
  /** When the resync sweep reconciles an object again. */
  resync: ResyncSchedule;
}

/**
 * Reads a reconciler function's configuration from the environment; throws ConfigError naming each
 * missing or empty variable. Endpoints come from AWS_ENDPOINT_URL[_DYNAMODB|_SQS], read by the SDK.
 */
export function loadReconcilerConfig(
  env: Record<string, string | undefined> = process.env,
): ReconcilerConfig {
  const parsed = parseEnv(ReconcilerEnv, env);
  return {
    tableName: parsed[SKIFF_TABLE_NAME],
    requeueQueueUrl: parsed[SKIFF_REQUEUE_QUEUE_URL],
    resync: resyncOf(parsed),
  };
}
