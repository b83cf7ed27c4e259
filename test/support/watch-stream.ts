import type { KubeObject } from '../../lib/kinds/meta';

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject & { code?: number; reason?: string; message?: string };
}

/** One open watch: its HTTP status, and its events as they arrive. */
export interface WatchStream {
  status: number;
  /** The next event, or undefined once the server ended the stream; throws after `timeoutMs`. */
  next(timeoutMs?: number): Promise<WatchEvent | undefined>;
  /** Every event until the server ends the stream. */
  rest(timeoutMs?: number): Promise<WatchEvent[]>;
  close(): void;
}

/**
 * Opens `url` (a `?watch=true` list) with fetch and reads its newline-delimited JSON events, as a
 * client does. Waiting for an event has a deadline, so a missing event fails the test instead of
 * hanging it.
 */
export async function openWatch(url: string, headers: Record<string, string> = {}): Promise<WatchStream> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal, headers });
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  const queued: WatchEvent[] = [];
  let buffer = '';
  let ended = false;
  const fill = async () => {
    if (!reader) return void (ended = true);
    const chunk = await reader.read();
    if (chunk.done) return void (ended = true);
    buffer += decoder.decode(chunk.value, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.trim()) queued.push(JSON.parse(line) as WatchEvent);
    }
  };
  let pending: Promise<void> | undefined;
  const next = async (timeoutMs = 5000): Promise<WatchEvent | undefined> => {
    const deadline = Date.now() + timeoutMs;
    while (queued.length === 0 && !ended) {
      pending ??= fill().finally(() => (pending = undefined));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>(
        (resolve) => (timer = setTimeout(() => resolve('late'), deadline - Date.now())),
      );
      const outcome = await Promise.race([pending.then(() => 'read' as const), late]);
      clearTimeout(timer);
      if (outcome === 'late') throw new Error(`no watch event within ${timeoutMs} ms from ${url}`);
    }
    return queued.shift();
  };
  return {
    status: response.status,
    next,
    rest: async (timeoutMs = 10_000) => {
      const events: WatchEvent[] = [];
      for (let event = await next(timeoutMs); event; event = await next(timeoutMs)) events.push(event);
      return events;
    },
    close: () => controller.abort(),
  };
}
