import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { MAX_REQUEST_BYTES } from '../../api/request-body';
import type { ApiRequest, ApiResponse, BodyChunk } from '../../api/http';
import { cancelStream, pipeStream } from '../../api/pipe-stream';
import { failure, statusOf, type Status } from '../../api/status';
import { refuseUnsafeRequest } from './request-guard';
import { InvalidRequestTargetError, parseRequestTarget } from './request-target';

/** After refusing an oversized body, how much more of it is read (and dropped) before the connection is cut. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;
/** ... and for how long. Reading the rest lets the client see the 413 instead of a reset. */
const DRAIN_LIMIT_MS = 10_000;

const TOO_LARGE = failure(
  413,
  'RequestEntityTooLarge',
  `Request entity too large: limit is ${MAX_REQUEST_BYTES}`,
);

/**
 * node:http onto the API's transport-free request/response, so the local server answers exactly
 * what the Lambda answers. Nothing a client sends escapes as an exception: an unreadable request
 * target is 400, browser-shaped requests are refused (request-guard.ts), a body over the API's
 * limit is 413 without being buffered, and a failure inside the handler is a 500 Status.
 *
 * `Expect: 100-continue` is left to node, which answers 100 at once: refusing an announced
 * oversized body before it is sent would make node close the connection while a client that does
 * not wait for the 100 is still sending, and that client would see a reset instead of the 413.
 *
 * Each request's `signal` aborts when its connection closes before the response is complete, or
 * when `shutdown` aborts; a streamed response then ends (see `sendStream`).
 */
export function httpListener(
  handle: (request: ApiRequest) => Promise<ApiResponse>,
  options: { shutdown?: AbortSignal } = {},
) {
  return (req: IncomingMessage, res: ServerResponse) => {
    try {
      const refused = refuseUnsafeRequest(req.headers);
      if (refused) return sendStatus(req, res, refused);
      if (declaredLength(req) > MAX_REQUEST_BYTES) return sendStatus(req, res, TOO_LARGE);
      const target = parseRequestTarget(req.url);
      readBody(req, res, (body, bodyBytes) => {
        const signal = requestSignal(res, options.shutdown);
        const request: ApiRequest = {
          method: req.method ?? 'GET',
          path: target.path,
          query: target.query,
          headers: joinedHeaders(req),
          body,
          bodyBytes,
          signal,
        };
        handle(request).then(
          (response) =>
            response.stream ? sendStream(req, res, response, response.stream, signal) : send(res, response),
          (error: unknown) => sendStatus(req, res, unexpected(error)),
        );
      });
    } catch (error) {
      sendStatus(
        req,
        res,
        error instanceof InvalidRequestTargetError ? badRequest(error) : unexpected(error),
      );
    }
  };
}

/**
 * For `clientError`: a request node's parser rejects (malformed request line or headers, headers
 * too large) gets a 400 or 431 Status, then the connection closes, as it must after a parse error.
 */
export function clientErrorListener(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
  const status =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? failure(431, 'RequestHeaderFieldsTooLarge', 'Request header fields too large')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? failure(408, 'Timeout', 'the request was not received in time')
        : failure(400, 'BadRequest', `the request could not be parsed: ${error.code ?? 'malformed request'}`);
  writeRawStatus(socket, status);
}

/** Writes a whole response with a Status straight to a socket node no longer manages, then closes it. */
function writeRawStatus(socket: Duplex, status: Status): void {
  const body = JSON.stringify(status);
  socket.end(
    `HTTP/1.1 ${status.code} ${STATUS_CODES[status.code] ?? ''}\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/**
 * For `connect`: the API is no proxy, so CONNECT is answered 405 as any other method it does not
 * serve; node would otherwise close the connection without a word.
 */
export function connectListener(req: IncomingMessage, socket: Duplex): void {
  const method = req.method ?? 'CONNECT';
  writeRawStatus(
    socket,
    failure(405, 'MethodNotAllowed', `the server does not allow this method (${method})`),
  );
}

/** Buffers the body up to the limit; past it answers 413 and drops the rest. */
function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  then: (body: string | undefined, bytes: Buffer | undefined) => void,
) {
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  req.on('data', (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size <= MAX_REQUEST_BYTES) return void chunks.push(chunk);
    refused = true;
    chunks.length = 0;
    sendStatus(req, res, TOO_LARGE);
  });
  req.on('end', () => {
    if (refused) return;
    const bytes = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    then(bytes?.toString('utf8'), bytes);
  });
  req.on('error', () => req.socket.destroy());
}

/**
 * Answers with a Status. When the request body has not been read to its end, what remains of it
 * is read and dropped, so that the client can finish sending and sees the answer rather than a
 * connection reset (node would close a `connection: close` answer before the body was read). Past
 * DRAIN_LIMIT_BYTES or DRAIN_LIMIT_MS the connection is cut instead.
 */
function sendStatus(req: IncomingMessage, res: ServerResponse, status: Status): void {
  send(res, {
    statusCode: status.code,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(status),
  });
  if (req.complete) return;
  let drained = 0;
  const cut = setTimeout(() => req.socket.destroy(), DRAIN_LIMIT_MS);
  cut.unref();
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT_BYTES) req.socket.destroy();
  });
  req.on('end', () => clearTimeout(cut));
  req.on('close', () => clearTimeout(cut));
  req.resume();
}

/**
 * The request's signal: aborted when the connection closes before the response is complete, or
 * when the server shuts down. Its listeners go with the response.
 */
function requestSignal(res: ServerResponse, shutdown: AbortSignal | undefined): AbortSignal {
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (shutdown?.aborted) abort();
  else shutdown?.addEventListener('abort', abort, { once: true });
  res.once('close', () => {
    shutdown?.removeEventListener('abort', abort);
    if (!res.writableFinished) abort();
  });
  return controller.signal;
}

/**
 * Writes the answer. Header values are sent as UTF-8 bytes, as Go's net/http sends them for
 * kube-apiserver (a Warning may quote a field name in any script); node would otherwise refuse
 * any character above U+00FF. A response that still cannot be written becomes a 500 Status.
 */
function send(res: ServerResponse, response: ApiResponse): void {
  if (res.headersSent) return;
  // A Buffer body also keeps node from writing the head as UTF-8 along with a string body, which
  // would encode the bytes below twice.
  const body = response.bodyBytes ? Buffer.from(response.bodyBytes) : Buffer.from(response.body, 'utf8');
  if (!writeHead(res, response.statusCode, { 'content-length': body.length, ...encodedHeaders(response) }))
    return;
  res.end(body);
}

/**
 * Writes a streamed answer (ApiResponse.stream): the head at once, without a content-length, so
 * node sends the body chunked and a watch client sees the status before the first event; then
 * each chunk as the connection takes it. The response ends when the stream does, or fails (logged;
 * the client sees the body end, as after kube-apiserver closes a watch). When the client goes
 * away the producer is stopped; when the server shuts down the response ends and its connection
 * closes, so that stopping does not wait out the keep-alive timeout. A HEAD request, or a status
 * that has no body, gets the head alone and the producer is stopped unread.
 */
function sendStream(
  req: IncomingMessage,
  res: ServerResponse,
  response: ApiResponse,
  stream: AsyncIterable<BodyChunk>,
  signal: AbortSignal,
): void {
  if (res.headersSent) return cancelStream(stream);
  const headers = encodedHeaders(response);
  for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-length') delete headers[name];
  if (!writeHead(res, response.statusCode, headers)) return cancelStream(stream);
  if (req.method === 'HEAD' || [204, 304].includes(response.statusCode)) {
    cancelStream(stream);
    return void res.end();
  }
  // Sends the head now. An empty Buffer has it written as latin1, byte for byte, as `send` has it;
  // flushHeaders would write it as UTF-8 and encode non-ASCII header values twice.
  res.write(Buffer.alloc(0));
  void pipeStream(stream, res, signal).then((end) => {
    if (end.outcome === 'failed')
      console.error(`local HTTP adapter: ${req.method} ${req.url} stream failed`, end.error);
    if (res.destroyed) return;
    const socket = res.socket;
    res.end(() => {
      if (end.outcome === 'cancelled') socket?.end();
    });
  });
}

/** Writes the head; when node refuses it, answers a 500 Status instead and returns false. */
function writeHead(
  res: ServerResponse,
  statusCode: number,
  headers: Record<string, string | number>,
): boolean {
  try {
    res.writeHead(statusCode, headers);
    return true;
  } catch {
    const body = JSON.stringify(unexpected(new Error(`response headers could not be written`)));
    res.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
    return false;
  }
}

function encodedHeaders(response: ApiResponse): Record<string, string | number> {
  const headers: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(response.headers))
    headers[name] = /[\u0080-\u{10ffff}]/u.test(value)
      ? Buffer.from(value, 'utf8').toString('latin1')
      : value;
  return headers;
}

function declaredLength(req: IncomingMessage): number {
  const length = Number(req.headers['content-length'] ?? 0);
  return Number.isFinite(length) ? length : 0;
}

function joinedHeaders(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(req.headers).flatMap(([key, value]) =>
      value === undefined ? [] : [[key, Array.isArray(value) ? value.join(', ') : value]],
    ),
  );
}

function badRequest(error: Error): Status {
  return failure(400, 'BadRequest', error.message);
}

/** The API handler answers every failure itself; anything reaching here is a bug, logged and answered 500. */
function unexpected(error: unknown): Status {
  console.error('local HTTP adapter: unexpected failure', error);
  return statusOf(error);
}
