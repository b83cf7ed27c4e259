import middy from '@middy/core';
import { invocationMetrics } from '../invocation-metrics';
import { createReconcilerRuntime } from '../reconcile/reconciler-runtime';
import { resync } from './resync';

// Once per container: configuration, clients, store and queue.
const runtime = createReconcilerRuntime();

/**
 * The scheduled tick's sweep. Failures throw after the whole sweep ran, so they show in the
 * function's Errors metric; the next tick is the retry (async retries are off in infra).
 */
export const handler = middy(async (): Promise<void> => {
  const { reconciled, failed } = await resync(runtime, runtime.resync);
  if (failed > 0) throw new Error(`resync: ${failed} of ${reconciled} reconciles failed`);
}).use(invocationMetrics('resync'));
