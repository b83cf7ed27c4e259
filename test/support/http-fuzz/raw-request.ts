/**
 * One generated request for the HTTP fuzz test, as bytes on the wire, with what the client must
 * know to read the answer and what the test may accept instead of one.
 */
export interface RawRequestCase {
  /** The family of hostile input (`api`, `request-line`, `headers`, `framing`, `large-body`). */
  family: string;
  /** What this case tries, in a few words: the statistics and the failure report group by it. */
  label: string;
  /** Written first: request line, header fields and (all or the start of) the body. */
  bytes: Buffer;
  /** Filler body bytes written after `bytes`, with back-pressure: large bodies are not kept in memory. */
  filler?: number;
  /** Written after the filler. */
  suffix?: Buffer;
  /**
   * The request is sent on a connection of its own, closed for writing after it: its framing may
   * not be what it seems, so nothing else may share the connection, and every response the server
   * writes for it is read. Otherwise it goes on a shared keep-alive connection.
   */
  ownConnection: boolean;
  /** The method is HEAD: responses have no body. */
  head: boolean;
  /**
   * The request is incomplete when the client closes (a body shorter than announced, a chunked body
   * without its last chunk): HTTP lets the server close without answering (RFC 9112, section 8).
   */
  incomplete: boolean;
  /**
   * The request line is not one HTTP/1.1 allows (no version, another version, a method that is not a
   * token, bytes outside visible ASCII in the target): the server may close without answering.
   */
  unparseable?: boolean;
  /**
   * The body is over the limit yet within what the server reads and drops before closing: every
   * byte must be accepted (the client then half-closes and reads until the server closes), or a
   * client that sends without waiting sees a reset instead of the 413.
   */
  refusedBody?: boolean;
  /** How many responses the bytes must get, when they hold several requests (pipelining). */
  expectedResponses?: number;
}

/** A header field; a Buffer value goes out byte for byte, a string as UTF-8. */
export type HeaderField = [string | Buffer, string | Buffer];

export interface RequestParts {
  method: string;
  target: string | Buffer;
  version?: string;
  headers: HeaderField[];
  body?: Buffer;
  /** Line ending of the head; `\r\n` unless a case breaks it. */
  lineEnd?: string;
}

/** The bytes of a request: `METHOD target VERSION`, the fields, an empty line and the body. */
export function encodeRequest(parts: RequestParts): Buffer {
  const end = parts.lineEnd ?? '\r\n';
  const chunks: Buffer[] = [
    Buffer.from(`${parts.method} `),
    Buffer.from(parts.target),
    Buffer.from(`${parts.version === '' ? '' : ` ${parts.version ?? 'HTTP/1.1'}`}${end}`),
  ];
  for (const [name, value] of parts.headers)
    chunks.push(Buffer.from(name), Buffer.from(': '), Buffer.from(value), Buffer.from(end));
  chunks.push(Buffer.from(end));
  if (parts.body) chunks.push(parts.body);
  return Buffer.concat(chunks);
}

/** Host and Content-Length for a well-framed request on `port`, then `headers`. */
export function framedHeaders(port: number, body: Buffer | undefined, headers: HeaderField[]): HeaderField[] {
  return [
    ['Host', `127.0.0.1:${port}`],
    ...headers,
    ...(body && body.length > 0 ? [['Content-Length', String(body.length)] as HeaderField] : []),
  ];
}

/** A readable excerpt of a request or response for a failure report: escaped, at most `max` bytes. */
export function excerpt(bytes: Buffer, max = 400): string {
  const text = JSON.stringify(bytes.subarray(0, max).toString('latin1'));
  return bytes.length > max ? `${text}... (${bytes.length} bytes)` : text;
}
