import type { StreamifyHandler } from 'aws-lambda';
import type { HttpResponseMetadata, LambdaResponseStream } from './stream-response';

/**
 * Marks a handler as streaming (`awslambda.streamifyResponse`), so the runtime invokes it with a
 * response stream. The runtime provides `awslambda.streamifyResponse`; elsewhere (tests, scripts)
 * the handler is returned as it is. The global's mere presence proves nothing: the AWS SDK's
 * invoke store creates an empty `globalThis.awslambda` when it loads.
 */
export function streamifyResponse<TEvent>(
  handler: StreamifyHandler<TEvent, void>,
): StreamifyHandler<TEvent, void> {
  const runtime = (globalThis as { awslambda?: Partial<typeof awslambda> }).awslambda;
  return typeof runtime?.streamifyResponse === 'function' ? runtime.streamifyResponse(handler) : handler;
}

/**
 * Opens the HTTP response on an invocation's stream with the runtime's
 * `awslambda.HttpResponseStream.from`, which writes the prelude API Gateway reads (the metadata
 * as JSON, then 8 NUL bytes) just before the first write.
 */
export function httpResponseStream(responseStream: awslambda.HttpResponseStream) {
  return ({ statusCode, headers }: HttpResponseMetadata): LambdaResponseStream =>
    awslambda.HttpResponseStream.from(responseStream, { statusCode, headers });
}
