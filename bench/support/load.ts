import { Agent, request } from 'node:http';

/** Latency figures of one benchmarked operation, in milliseconds. */
export interface LoadResult {
  requests: number;
  throughput: number;
  p50: number;
  p99: number;
}

export interface HttpCall {
  method: string;
  path: string;
  body?: unknown;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

/** A keep-alive HTTP client sized for `concurrency` connections, like a busy kubectl fleet. */
export function httpClient(baseUrl: string, concurrency: number) {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const send = (call: HttpCall): Promise<HttpAnswer> =>
    new Promise((resolve, reject) => {
      const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method: call.method,
          path: call.path,
          agent,
          headers: payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return { send, close: () => agent.destroy() };
}

/**
 * Runs `count` calls made by `next(i)` with `concurrency` in flight, checking each answer's status,
 * and reports throughput and latency percentiles.
 */
export async function runLoad(
  send: (call: HttpCall) => Promise<HttpAnswer>,
  count: number,
  concurrency: number,
  next: (i: number, worker: number) => HttpCall | Promise<HttpCall>,
  expectStatus: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (issued < count) {
        const call = await next(issued++, worker);
        const t0 = performance.now();
        const answer = await send(call);
        latencies.push(performance.now() - t0);
        if (answer.status !== expectStatus)
          throw new Error(
            `${call.method} ${call.path} answered ${answer.status}: ${answer.body.slice(0, 300)}`,
          );
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: count,
    throughput: count / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

/** The value below which a fraction `q` of `sorted` (ascending) falls: `percentile(xs, 0.99)` is the p99. */
export function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
