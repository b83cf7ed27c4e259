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
   * The body's bytes, for binary media types (protobuf), which `body`'s UTF-8 text cannot hold.
   * The transports set it beside `body`; request-body.ts reads it for protobuf bodies.
   */
  bodyBytes?: Uint8Array;
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
  /** A binary body (protobuf), sent instead of `body` when set; not sent when `stream` is set. */
  bodyBytes?: Uint8Array;
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
