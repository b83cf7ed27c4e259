import type middy from '@middy/core';
import { metricLine } from '../lib/metrics/metric-line';

/** What an invocation's result may report: a batch's failed items, or an HTTP status. */
interface Reported {
  batchItemFailures?: unknown[];
  statusCode?: number;
}

/**
 * Every function's observability, as one middy middleware: a log line per invocation that is also
 * a set of CloudWatch metrics (Embedded Metric Format) under the dimension `function` — Duration,
 * Errors, and where the result says so, BatchItemFailures (stream and queue batches) or Responses5xx
 * (the API). A thrown error is logged with its message and stack, never with the event, whose
 * bodies may hold secrets; it is then rethrown for the next middleware or Lambda to handle.
 */
export function invocationMetrics<TEvent, TResult>(
  functionName: string,
  log: (line: string) => void = (line) => console.log(line),
): middy.MiddlewareObj<TEvent, TResult> {
  const started = new WeakMap<object, number>();
  const emit = (request: middy.Request<TEvent, TResult>, failed: boolean) => {
    const reported = (request.response ?? {}) as Reported;
    const metrics: Parameters<typeof metricLine>[0]['metrics'] = {
      Duration: { value: Date.now() - (started.get(request) ?? Date.now()), unit: 'Milliseconds' },
      Errors: { value: failed ? 1 : 0, unit: 'Count' },
    };
    if (Array.isArray(reported.batchItemFailures))
      metrics.BatchItemFailures = { value: reported.batchItemFailures.length, unit: 'Count' };
    if (typeof reported.statusCode === 'number')
      metrics.Responses5xx = { value: reported.statusCode >= 500 ? 1 : 0, unit: 'Count' };
    const error = request.error;
    log(
      metricLine({
        level: failed ? 'error' : 'info',
        message: failed ? 'invocation failed' : 'invocation',
        dimensions: { function: functionName },
        metrics,
        fields: failed && error ? { error: error.message, stack: error.stack } : {},
      }),
    );
  };
  return {
    before: async (request) => {
      started.set(request, Date.now());
    },
    after: async (request) => emit(request, false),
    onError: async (request) => emit(request, true),
  };
}
