/**
 * The API's own request and response shapes, free of any transport: functions/api maps API Gateway
 * proxy events onto them and lib/local maps node:http onto them, so both serve identical answers.
 */
export interface ApiRequest {
  method: string;
  /** The path without the query string, e.g. `/apis/apps/v1/namespaces/default/deployments`. */
  path: string;
  /** Query parameters; a repeated parameter keeps its first value. */
  query: Record<string, string | undefined>;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /** The raw body, or undefined when there is none. */
  body?: string;
  /**
   * Aborted when the answer is no longer wanted: the client went away before the response was
   * complete, the server is shutting down, or (on Lambda) the invocation is about to time out.
   * The transports always set it; a producer of a streamed body that waits on anything but its
   * consumer (a change feed, a timer) passes it on to that wait. See `ApiResponse.stream`.
   */
  signal?: AbortSignal;
}

/** One piece of a streamed body; a string is sent as UTF-8. */
export type BodyChunk = string | Uint8Array;

export interface ApiResponse {
  statusCode: number;
  headers: Record<string, string>;
  /** A serialized body (JSON unless headers say otherwise); not sent when `stream` is set. */
  body: string;
  /**
   * A body sent as it is produced, for answers that last (watch, `logs -f`): each chunk is
   * written when the producer yields it, with no content-length (chunked on HTTP/1.1), and the
   * status and headers go out before the first chunk is asked for. The transport asks for the next
   * chunk only while the connection's buffer has room (backpressure): a slow client holds the
   * producer back instead of filling memory.
   *
   * The stream ends the response when it ends. When the answer is no longer wanted, the
   * transport aborts `ApiRequest.signal` and calls the iterator's `return()`: an async generator
   * runs its `finally` as soon as it next yields or returns. A producer that throws mid-stream
   * ends the response where it stands (headers are already sent), as kube-apiserver closes a
   * broken watch; the transport logs the error, and the client reconnects.
   */
  stream?: AsyncIterable<BodyChunk>;
}

/** Where a streamed body is written: the calls node's ServerResponse and Lambda's response stream share. */
export interface ChunkSink {
  /** Writes a chunk; `false` asks the writer to wait for 'drain' before the next. */
  write(chunk: BodyChunk): boolean;
  once(event: 'drain', listener: () => void): unknown;
  off(event: 'drain', listener: () => void): unknown;
}

/** How a streamed body ended: its producer finished, the signal stopped it, or it failed. */
export type StreamEnd =
  { outcome: 'finished' } | { outcome: 'cancelled' } | { outcome: 'failed'; error: unknown };

/**
 * Writes a streamed body into a sink with backpressure, as `ApiResponse.stream` describes; the
 * transport writes the head before and ends the response after. Never rejects: a producer or
 * sink failure is returned. When `signal` aborts, it stops waiting at once, tells the producer
 * (`return()`) and resolves `cancelled`. Leaves no listener behind on the sink or the signal.
 */
export async function pipeStream(
  stream: AsyncIterable<BodyChunk>,
  sink: ChunkSink,
  signal: AbortSignal,
): Promise<StreamEnd> {
  let iterator: AsyncIterator<BodyChunk>;
  try {
    iterator = stream[Symbol.asyncIterator]();
  } catch (error) {
    return { outcome: 'failed', error };
  }
  for (;;) {
    let step: IteratorResult<BodyChunk> | typeof STOPPED;
    try {
      step = await nextOrStopped(iterator, signal);
    } catch (error) {
      return { outcome: 'failed', error };
    }
    if (step === STOPPED) return (stopIterator(iterator), { outcome: 'cancelled' });
    if (step.done) return { outcome: 'finished' };
    if (step.value.length === 0) continue;
    try {
      if (sink.write(step.value)) continue;
    } catch (error) {
      stopIterator(iterator);
      return { outcome: 'failed', error };
    }
    if (!(await drainedOrStopped(sink, signal))) return (stopIterator(iterator), { outcome: 'cancelled' });
  }
}

/**
 * Tells the producer of a body that will never be read (a HEAD request, a transport that cannot
 * carry it) to stop.
 */
export function cancelStream(stream: AsyncIterable<BodyChunk>): void {
  try {
    stopIterator(stream[Symbol.asyncIterator]());
  } catch {
    // A producer that cannot even start has nothing to stop.
  }
}

const STOPPED = Symbol('stopped');

/**
 * The iterator's next step, or STOPPED as soon as the signal aborts. One listener per step, removed
 * with it (racing every step against one long-lived promise would keep every step's reaction alive).
 */
function nextOrStopped(
  iterator: AsyncIterator<BodyChunk>,
  signal: AbortSignal,
): Promise<IteratorResult<BodyChunk> | typeof STOPPED> {
  if (signal.aborted) return Promise.resolve(STOPPED);
  return new Promise((resolve, reject) => {
    const stop = () => resolve(STOPPED);
    signal.addEventListener('abort', stop, { once: true });
    Promise.resolve()
      .then(() => iterator.next())
      .then(
        (step) => (signal.removeEventListener('abort', stop), resolve(step)),
        (error: unknown) => (signal.removeEventListener('abort', stop), reject(error)),
      );
  });
}

/** True once the sink drains, false if the signal aborts first. */
function drainedOrStopped(sink: ChunkSink, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const settle = (drained: boolean) => {
      sink.off('drain', onDrain);
      signal.removeEventListener('abort', onAbort);
      resolve(drained);
    };
    const onDrain = () => settle(true);
    const onAbort = () => settle(false);
    sink.once('drain', onDrain);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Asks the producer to stop without waiting: an async generator busy in an await stops at its next yield. */
function stopIterator(iterator: AsyncIterator<BodyChunk>): void {
  Promise.resolve()
    .then(() => iterator.return?.())
    .catch(() => undefined);
}
