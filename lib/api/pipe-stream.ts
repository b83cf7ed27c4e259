import type { BodyChunk } from './http';

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
