import type { LocalServerProcess } from '../../test/support/spawn-local-server';
import { configMapChanges, configMapOf, type PlannedChange } from './config-map-changes';
import { cpuSince, cpuTime, processCpuMs } from './cpu-time';
import { httpClient, percentile, type HttpAnswer, type HttpCall } from './load';
import { openFileLimit, openWatchers, type WatchEvent } from './watchers';

/** Write-to-watcher latency with a number of watchers, in milliseconds. */
export interface WatchLatency {
  watchers: number;
  changes: number;
  /** Events received for the measured changes: watchers × changes. */
  events: number;
  /** From the moment the write was sent to the moment a watcher's chunk holding its event arrived. */
  p50: number;
  p99: number;
  /** The writes' own round trip, for comparison: the latency above includes it. */
  writeP50: number;
  /** CPU the server process used per measured change (its writes and their fan-out), from /proc. */
  serverCpuMsPerChange: number;
  /** CPU this process (the watchers and the writer) used per measured change. */
  benchCpuMsPerChange: number;
}

export interface WatchLatencyOptions {
  watchers: number;
  /** Changes measured. */
  changes: number;
  /** Changes made first and not measured, so the JIT has compiled the paths. */
  warmup: number;
}

/** How long every watcher has to receive a change before the run fails. */
const DELIVERY_TIMEOUT_MS = 10_000;
/** Files the benchmark and the server hold besides the watches' sockets. */
const OTHER_FILES = 200;

/**
 * Opens `watchers` watches on a namespace of its own from the resourceVersion of a list of it,
 * then makes the changes one at a time: each write is sent once every watcher has received the
 * previous one, so the figures are the latency of a change, not of a queue of them. Every watcher
 * must receive every change, in order, as the event its write makes; anything else is an error.
 */
export async function measureWatchLatency(
  server: LocalServerProcess,
  options: WatchLatencyOptions,
): Promise<WatchLatency> {
  const { watchers, changes, warmup } = options;
  requireOpenFiles(server.pid, watchers);
  const namespace = `watch-${watchers}`;
  const collection = `/api/v1/namespaces/${namespace}/configmaps`;
  const { send, close } = httpClient(server.url, 1);
  const expect = async (call: HttpCall, statuses: number[]): Promise<HttpAnswer> => {
    const answer = await send(call);
    if (!statuses.includes(answer.status))
      throw new Error(`${call.method} ${call.path} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    return answer;
  };

  const plan = configMapChanges(warmup + changes);
  const sentAt: number[] = [];
  const receipts = plan.map(() => 0);
  const position = new Array<number>(watchers).fill(0);
  const latencies: number[] = [];
  let awaited: { seq: number; resolve: () => void } | undefined;
  const onEvent = (watcher: number, event: WatchEvent, receivedAt: number) => {
    if (event.type === 'BOOKMARK') return;
    if (event.type === 'ERROR')
      throw new Error(`watch ${watcher} got an ERROR event: ${event.object.message}`);
    const expected = plan[position[watcher]++];
    const name = event.object.metadata?.name;
    if (!expected || event.type !== expected.type || name !== expected.name)
      throw new Error(
        `watch ${watcher}: event ${position[watcher] - 1} is ${event.type} ${name}, expected ${describe(expected)}`,
      );
    if (expected.seq >= warmup) latencies.push(receivedAt - sentAt[expected.seq]);
    if (++receipts[expected.seq] === watchers && awaited?.seq === expected.seq) awaited.resolve();
  };

  try {
    await expect(
      { method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: namespace } } },
      [201],
    );
    const listed = await expect({ method: 'GET', path: collection }, [200]);
    const { resourceVersion } = (JSON.parse(listed.body) as { metadata: { resourceVersion: string } })
      .metadata;
    const open = await openWatchers(
      server.url,
      `${collection}?watch=true&resourceVersion=${encodeURIComponent(resourceVersion)}`,
      watchers,
      onEvent,
    );
    try {
      const writeTimes: number[] = [];
      let serverCpuBefore = 0;
      let benchCpuBefore = cpuTime();
      for (const change of plan) {
        if (change.seq === warmup) {
          serverCpuBefore = processCpuMs(server.pid);
          benchCpuBefore = cpuTime();
        }
        const delivered = new Promise<void>((resolve) => (awaited = { seq: change.seq, resolve }));
        sentAt[change.seq] = performance.now();
        await expect(writeOf(change, collection, namespace), change.type === 'ADDED' ? [201] : [200, 202]);
        if (change.seq >= warmup) writeTimes.push(performance.now() - sentAt[change.seq]);
        await within(
          Promise.race([delivered, open.failed]),
          DELIVERY_TIMEOUT_MS,
          () =>
            `change ${change.seq} (${describe(change)}) reached ${receipts[change.seq]} of ${watchers} watchers in ${DELIVERY_TIMEOUT_MS} ms`,
        );
      }
      const serverCpuMs = processCpuMs(server.pid) - serverCpuBefore;
      const benchCpuMs = cpuSince(benchCpuBefore).processMs;
      latencies.sort((a, b) => a - b);
      writeTimes.sort((a, b) => a - b);
      return {
        watchers,
        changes,
        events: latencies.length,
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        writeP50: percentile(writeTimes, 0.5),
        serverCpuMsPerChange: serverCpuMs / changes,
        benchCpuMsPerChange: benchCpuMs / changes,
      };
    } finally {
      open.close();
    }
  } catch (error) {
    const exited = server.exited();
    if (exited)
      throw new Error(`the server ${exited} during the watch benchmark:\n${server.output()}`, {
        cause: error,
      });
    throw error;
  } finally {
    close();
  }
}

function writeOf(change: PlannedChange, collection: string, namespace: string): HttpCall {
  if (change.type === 'ADDED')
    return { method: 'POST', path: collection, body: configMapOf(change, namespace) };
  const path = `${collection}/${change.name}`;
  if (change.type === 'MODIFIED') return { method: 'PUT', path, body: configMapOf(change, namespace) };
  return { method: 'DELETE', path };
}

function describe(change: PlannedChange | undefined): string {
  return change ? `${change.type} ${change.name}` : 'no more events';
}

/** `promise`, or a failure saying `what()` once `ms` have passed. */
async function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(what())), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Fails early, with the fix, where a watch would otherwise fail with EMFILE halfway through. */
function requireOpenFiles(serverPid: number, watchers: number): void {
  for (const [who, pid] of [
    ['this process', 'self'],
    ['the server', serverPid],
  ] as const) {
    const limit = openFileLimit(pid);
    if (limit !== undefined && limit < watchers + OTHER_FILES)
      throw new Error(
        `${who} may open ${limit} files, too few for ${watchers} watches: raise it with ulimit -n ${watchers + OTHER_FILES}`,
      );
  }
}
