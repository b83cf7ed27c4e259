import type { ApiResponse } from '../../lib/api/http';
import { pipeStream, type ChunkSink, type StreamEnd } from '../../lib/api/pipe-stream';
import { asciiHeaderValue } from './proxy-event';

/**
 * What API Gateway reads ahead of a streamed Lambda proxy response: the status and headers, as
 * JSON, then 8 NUL bytes, then the body (the REST API's `responseTransferMode: STREAM`). The
 * runtime's `awslambda.HttpResponseStream.from` writes that prelude just before the first write.
 */
export interface HttpResponseMetadata {
  statusCode: number;
  headers: Record<string, string>;
}

/**
 * The calls Skiff makes on Lambda's response stream (a node Writable the runtime sends to the
 * caller as it is written). The response is complete only once `end` is called; the runtime fails
 * the invocation otherwise. It emits 'close' or 'error' if the runtime's connection breaks.
 */
export interface LambdaResponseStream extends ChunkSink {
  end(): void;
  once(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
  off(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
}

/** Sets the metadata prelude on the invocation's stream and returns the stream to write the body to. */
export type OpenResponseStream = (metadata: HttpResponseMetadata) => LambdaResponseStream;

/**
 * Writes an ApiResponse, buffered or streamed, as a streamed Lambda proxy response. The metadata
 * goes out at once (an empty first write flushes it: the runtime writes the prelude on the first
 * write, and a watch client must see the status before the first event, an empty body too). A
 * buffered body follows in one write; a streamed one chunk by chunk, with backpressure, until it
 * ends, fails, or `cancel` aborts. `cancel` is the request's controller: it is also aborted when the
 * runtime's stream closes or fails. Always ends the stream, and resolves with how the body ended:
 * a failure is the caller's to log (headers are sent; the body just ends, as kube-apiserver ends a
 * broken watch).
 *
 * Header values are written as the buffered integration writes them (asciiHeaderValue), and a
 * streamed response has no content-length.
 */
export async function writeResponseStream(
  response: ApiResponse,
  open: OpenResponseStream,
  cancel: AbortController,
): Promise<StreamEnd> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers))
    if (!(response.stream && name.toLowerCase() === 'content-length'))
      headers[name] = asciiHeaderValue(value);
  const out = open({ statusCode: response.statusCode, headers });
  const abort = () => cancel.abort();
  out.once('close', abort);
  out.once('error', abort);
  try {
    out.write('');
    if (!response.stream) {
      if (response.bodyBytes) out.write(response.bodyBytes);
      else if (response.body !== '') out.write(response.body);
      return { outcome: 'finished' };
    }
    return await pipeStream(response.stream, out, cancel.signal);
  } catch (error) {
    return { outcome: 'failed', error };
  } finally {
    out.off('close', abort);
    out.off('error', abort);
    out.end();
  }
}
