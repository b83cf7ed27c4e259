/** The CloudWatch namespace every Skiff metric is published under. */
export const METRIC_NAMESPACE = 'Skiff';

export type MetricUnit = 'Count' | 'Milliseconds';

export interface MetricLineInput {
  level: 'info' | 'warn' | 'error';
  message: string;
  /** Metric dimensions, written as fields of the line too (e.g. `{ function: 'reconcile' }`). */
  dimensions: Record<string, string>;
  metrics: Record<string, { value: number; unit: MetricUnit }>;
  /** Other fields for the log reader; never object bodies, which may hold secrets. */
  fields?: Record<string, unknown>;
  /** Epoch milliseconds; default now. */
  now?: number;
}

/**
 * One structured log line that CloudWatch also reads as metrics (the Embedded Metric Format): on
 * Lambda, printing it is publishing it, with no client and no extra call. Locally it is a plain
 * JSON log line.
 *
 * @example
 *   console.log(metricLine({ level: 'info', message: 'invocation', dimensions: { function: 'api' },
 *     metrics: { Duration: { value: 12, unit: 'Milliseconds' } } }));
 */
export function metricLine(input: MetricLineInput): string {
  const { level, message, dimensions, metrics, fields = {}, now = Date.now() } = input;
  const values = Object.fromEntries(Object.entries(metrics).map(([name, { value }]) => [name, value]));
  return JSON.stringify({
    level,
    message,
    ...fields,
    ...dimensions,
    ...values,
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [Object.keys(dimensions)],
          Metrics: Object.entries(metrics).map(([name, { unit }]) => ({ Name: name, Unit: unit })),
        },
      ],
    },
  });
}
