import type { APIGatewayProxyEvent, Context, StreamifyHandler } from 'aws-lambda';
import type { ApiResponse } from '../../lib/api/http';
import { cancelStream } from '../../lib/api/pipe-stream';
import { writeResponseStream, type OpenResponseStream } from './stream-response';

/** A second before the invocation would time out, an open stream ends (cleanly) rather than being cut. */
const DEADLINE_MARGIN_MS = 1000;

/** The proxy event with the signal its ApiRequest carries. */
export type SignalledEvent = APIGatewayProxyEvent & { signal: AbortSignal };

export interface StreamingHandlerOptions {
  /** Opens the HTTP response on the invocation's stream: httpResponseStream in the runtime. */
  open: (responseStream: awslambda.HttpResponseStream) => OpenResponseStream;
  deadlineMarginMs?: number;
}

/**
 * A streaming Lambda handler around `respond` (the middy-wrapped API: proxy event to ApiResponse,
 * errors mapped to a Status): writeResponseStream writes its answer, buffered or streamed. The
 * request's signal aborts when the runtime's stream breaks, or `deadlineMarginMs` before the
 * invocation times out. API Gateway documents no way for a function to learn that its client went
 * away (the function may run on), so on Lambda a stream lasts until its producer ends or that
 * deadline; the streaming integration allows 15 minutes, and ends a stream idle for 5 (regional
 * endpoint). A producer failure is logged with the request line; HEAD gets the head alone.
 */
export function createStreamingHandler(
  respond: (event: SignalledEvent, context: Context) => Promise<ApiResponse>,
  options: StreamingHandlerOptions,
): StreamifyHandler<APIGatewayProxyEvent, void> {
  const margin = options.deadlineMarginMs ?? DEADLINE_MARGIN_MS;
  return async (event, responseStream, context) => {
    const cancel = new AbortController();
    const deadline = setTimeout(
      () => cancel.abort(),
      Math.max(0, context.getRemainingTimeInMillis() - margin),
    );
    try {
      const response = withoutBodyForHead(event, await respond({ ...event, signal: cancel.signal }, context));
      const end = await writeResponseStream(response, options.open(responseStream), cancel);
      if (end.outcome === 'failed')
        console.error(`${event.httpMethod} ${event.path}: streamed response failed`, end.error);
    } finally {
      clearTimeout(deadline);
    }
  };
}

/** A HEAD request gets the head alone: a streamed body's producer is stopped unread, as the local server does. */
function withoutBodyForHead(event: APIGatewayProxyEvent, response: ApiResponse): ApiResponse {
  if (event.httpMethod !== 'HEAD' || !response.stream) return response;
  cancelStream(response.stream);
  return { ...response, body: '', stream: undefined };
}
