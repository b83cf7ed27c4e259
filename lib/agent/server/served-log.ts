import type { PodLogQuery } from '../../kinds/pod-log-options';
import type { ContainerRef, ContainerRuntime } from '../runtime/container-runtime';

/**
 * A container's log as the kubelet serves it: the runtime's lines (follow, previous, tailLines,
 * timestamps) narrowed to those written since `sinceSeconds` ago or `sinceTime` (after the tail,
 * as the kubelet applies them), and cut after `limitBytes` bytes, mid-line if it falls there. The
 * runtime is asked for timestamps to filter by time and they are dropped again unless wanted.
 *
 * @example for await (const chunk of servedLog(runtime, ref, { follow: true, ... })) write(chunk)
 */
export async function* servedLog(
  runtime: ContainerRuntime,
  ref: ContainerRef,
  query: PodLogQuery,
  now = new Date(),
  signal?: AbortSignal,
): AsyncGenerator<Buffer> {
  const since = sinceMs(query, now);
  const stamped = query.timestamps || since !== undefined;
  let left = query.limitBytes ?? Infinity;
  const lines = runtime.logs(ref, {
    follow: query.follow,
    previous: query.previous,
    timestamps: stamped,
    ...(signal ? { signal } : {}),
    ...(query.tailLines !== undefined ? { tailLines: query.tailLines } : {}),
  });
  for await (const line of lines) {
    let text = line;
    if (since !== undefined) {
      const space = line.indexOf(' ');
      if (Date.parse(line.slice(0, space)) < since) continue;
      if (!query.timestamps) text = line.slice(space + 1);
    }
    const bytes = Buffer.from(text);
    if (bytes.length >= left) {
      yield bytes.subarray(0, left);
      return;
    }
    left -= bytes.length;
    yield bytes;
  }
}

/** The earliest time a served line may carry, in ms, or undefined when the query sets none. */
function sinceMs(query: PodLogQuery, now: Date): number | undefined {
  if (query.sinceSeconds !== undefined) return now.getTime() - query.sinceSeconds * 1000;
  if (query.sinceTime !== undefined) return Date.parse(query.sinceTime);
  return undefined;
}
