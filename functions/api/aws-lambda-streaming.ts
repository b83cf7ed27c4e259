import type { StreamifyHandler } from 'aws-lambda';
import type { HttpResponseMetadata, LambdaResponseStream } from './stream-response';

/**
 * Marks a handler as streaming (`awslambda.streamifyResponse`), so the runtime invokes it with a
 * response stream. The `awslambda` global exists only inside the Lambda Node.js runtime; elsewhere
 * (tests, scripts) the handler is returned as it is.
 */
export function streamifyResponse<TEvent>(
  handler: StreamifyHandler<TEvent, void>,
): StreamifyHandler<TEvent, void> {
  return typeof awslambda === 'undefined' ? handler : awslambda.streamifyResponse(handler);
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
