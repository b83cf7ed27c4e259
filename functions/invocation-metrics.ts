import type middy from '@middy/core';
import { metricLine } from '../lib/metrics/metric-line';

/** What an invocation's result may report: a batch's failed items, or an HTTP status. */
interface Reported {
  batchItemFailures?: unknown[];
  statusCode?: number;
}

/**
 * Every function's observability, as one middy middleware: a log line per invocation, which is also
 * a set of CloudWatch metrics (Embedded Metric Format) under the dimension `function` when the
 * invocation went wrong — Duration, Errors, and where the result says so, BatchItemFailures (stream
 * and queue batches) or Responses5xx (the API). A thrown error is logged with its message and
 * stack, never with the event, whose bodies may hold secrets; it is then rethrown for the next
 * middleware or Lambda to handle.
 *
 * A healthy invocation's line carries the same fields but publishes no metric: CloudWatch bills a
 * custom metric $0.30 for every month it is published in, by the hour, so a tick publishing two
 * would cost more than the whole idle control plane (docs/cost.md). Lambda's own Invocations,
 * Duration and Errors metrics (AWS/Lambda, free) cover healthy invocations; Skiff's count trouble.
 *
 * Levels: `info` for a healthy invocation, `warn` for one whose result reports trouble (failed
 * batch items, a 5xx), `error` for a thrown error. On AWS the functions log in Lambda's JSON format
 * with the application level at WARN (infra/constructs/skiff-function.ts), so Lambda drops the
 * healthy lines, which would be most of the logs' cost, and keeps the others.
 */
export function invocationMetrics<TEvent, TResult>(
  functionName: string,
  log: (line: string) => void = writeLogLine,
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
    const troubled = failed || troubledResult(metrics);
    const line = metricLine({
      level: failed ? 'error' : troubledResult(metrics) ? 'warn' : 'info',
      message: failed ? 'invocation failed' : 'invocation',
      dimensions: { function: functionName },
      metrics,
      fields: failed && error ? { error: error.message, stack: error.stack } : {},
    });
    log(troubled ? line : withoutMetrics(line));
  };
  return {
    before: async (request) => {
      started.set(request, Date.now());
    },
    after: async (request) => emit(request, false),
    onError: async (request) => emit(request, true),
  };
}

/** Whether a result reports trouble: failed batch items, or a 5xx answer. */
function troubledResult(metrics: {
  BatchItemFailures?: { value: number };
  Responses5xx?: { value: number };
}) {
  return (metrics.BatchItemFailures?.value ?? 0) > 0 || (metrics.Responses5xx?.value ?? 0) > 0;
}

/**
 * Writes one JSON log line. Under Lambda's JSON log format the console methods wrap what they are
 * given in a JSON object of Lambda's own, which would hide `_aws` from CloudWatch's metric
 * extraction; a line written straight to stdout is kept as it is, and Lambda takes its level from
 * its `level` key for its log-level filter (Lambda's "Log-level filtering" guide; the EMF client
 * library does the same). Under the text format (locally, LocalStack), console.log.
 */
export function writeLogLine(line: string): void {
  if (process.env.AWS_LAMBDA_LOG_FORMAT === 'JSON') process.stdout.write(`${line}\n`);
  else console.log(line);
}

/** The line as a plain log line: without `_aws`, CloudWatch publishes none of its metrics. */
function withoutMetrics(line: string): string {
  const { _aws: _published, ...fields } = JSON.parse(line) as Record<string, unknown>;
  return JSON.stringify(fields);
}
