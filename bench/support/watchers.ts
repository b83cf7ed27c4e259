import { readFileSync } from 'node:fs';
import { Agent, request, type ClientRequest } from 'node:http';

/** One line of a watch: `{"type":"ADDED","object":{...}}`. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: { metadata?: { name?: string; resourceVersion?: string }; message?: string };
}

/** Told of each event with the time its chunk arrived (performance.now()), before it is parsed. */
export type EventListener = (watcher: number, event: WatchEvent, receivedAt: number) => void;

/** Open watch connections; `failed` rejects when one fails or ends while it should be open. */
export interface Watchers {
  failed: Promise<never>;
  close(): void;
}

/** How many watches are opened at once: fewer than the server's listen backlog (511). */
const OPENING_BATCH = 100;
const OPEN_TIMEOUT_MS = 10_000;

/**
 * Opens `count` watches of `path` (a collection with `?watch=true&resourceVersion=...`), each on
 * its own connection (no keep-alive, no socket limit), and hands every event to `onEvent`. The
 * receipt time is taken when a chunk arrives, before any parsing, so the client's own work adds
 * as little as it can to the latency it measures.
 */
export async function openWatchers(
  baseUrl: string,
  path: string,
  count: number,
  onEvent: EventListener,
): Promise<Watchers> {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const requests: ClientRequest[] = [];
  let closing = false;
  let fail: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined); // observed by whoever races it; never an unhandled rejection
  const close = () => {
    closing = true;
    for (const req of requests) req.destroy();
    agent.destroy();
  };

  const open = (watcher: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`watch ${watcher} got no response headers in ${OPEN_TIMEOUT_MS} ms`)),
        OPEN_TIMEOUT_MS,
      );
      const req = request({ host: url.hostname, port: url.port, path, agent }, (res) => {
        clearTimeout(timer);
        res.setEncoding('utf8');
        if (res.statusCode !== 200) {
          let body = '';
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () =>
            reject(new Error(`GET ${path} answered ${res.statusCode}: ${body.slice(0, 300)}`)),
          );
          return;
        }
        let pending = '';
        res.on('data', (chunk: string) => {
          const receivedAt = performance.now();
          pending += chunk;
          for (let newline = pending.indexOf('\n'); newline !== -1; newline = pending.indexOf('\n')) {
            const line = pending.slice(0, newline);
            pending = pending.slice(newline + 1);
            if (line.trim() === '') continue;
            try {
              onEvent(watcher, JSON.parse(line) as WatchEvent, receivedAt);
            } catch (error) {
              fail(error instanceof Error ? error : new Error(String(error)));
            }
          }
        });
        res.on('end', () => {
          if (!closing) fail(new Error(`watch ${watcher} ended while the benchmark ran`));
        });
        resolve();
      });
      req.on('error', (error) => {
        clearTimeout(timer);
        if (closing) return;
        reject(error);
        fail(error);
      });
      req.end();
      requests.push(req);
    });

  try {
    for (let first = 0; first < count; first += OPENING_BATCH)
      await Promise.all(
        Array.from({ length: Math.min(OPENING_BATCH, count - first) }, (_, i) => open(first + i)),
      );
  } catch (error) {
    close();
    throw error;
  }
  return { failed, close };
}

/**
 * The soft limit on open files of process `pid` (Linux, from /proc): each watch holds a socket in
 * the benchmark and another in the server. Undefined where /proc is not there.
 */
export function openFileLimit(pid: number | 'self'): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
  } catch {
    return undefined;
  }
}
