import { connect, type Socket } from 'node:net';

/** One HTTP/1.1 response as it came off the wire. */
export interface RawResponse {
  statusCode: number;
  /** Header fields in order, names in lower case, values as latin1 (one char per byte). */
  headers: [string, string][];
  body: Buffer;
}

/** The first value of a header, or undefined. */
export function headerOf(response: RawResponse, name: string): string | undefined {
  return response.headers.find(([key]) => key === name)?.[1];
}

/**
 * What one exchange ended with:
 * - `answered`: at least one final (non-1xx) response was read; `closed` says whether the server
 *   closed the connection after it, and `responses` holds every response read before the exchange
 *   ended (several when the request's bytes were read as more than one request);
 * - `closed`: the server closed the connection (`end`) or reset it (`reset`) before a complete response;
 * - `timeout`: nothing complete arrived before the deadline;
 * - `malformed`: the bytes that came back are not an HTTP/1.1 response.
 * `received` is everything read, for the report.
 */
export type Exchange =
  | { outcome: 'answered'; responses: RawResponse[]; closed: boolean; received: Buffer }
  | { outcome: 'closed'; how: 'end' | 'reset'; received: Buffer }
  | { outcome: 'timeout'; received: Buffer }
  | { outcome: 'malformed'; error: string; received: Buffer };

export interface SendOptions {
  /** The request was HEAD: its responses have no body. */
  head?: boolean;
  /** Bytes of filler ('a') written after `bytes`, 64 KB at a time, as a client that does not wait for an answer. */
  filler?: number;
  /** Written after the filler. */
  suffix?: Buffer;
  /**
   * When the exchange ends:
   * - `first` (the default): at the first final response; the connection may carry another request;
   * - `close`: the write side is closed after sending, and every response is read until the server closes;
   * - `settle`: every response is read until the server closes, or until `responses` final
   *   responses have come and nothing more arrives for `settleMs`.
   */
  until?: 'first' | 'close' | { responses: number; settleMs: number };
  deadlineMs: number;
}

const CRLF_CRLF = Buffer.from('\r\n\r\n');

/**
 * A client connection that writes arbitrary bytes and reads HTTP/1.1 responses itself, so that it
 * can send what no HTTP library would (broken request lines, bare control bytes, lying
 * Content-Lengths) and tell a response from a reset. One exchange at a time.
 */
export class RawConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private ended = false;
  private reset = false;
  private wake: (() => void) | undefined;
  /** Exchanges completed on this connection: a reused connection may have been closed while idle. */
  exchanges = 0;
  /**
   * Whether every byte of the last request reached the kernel before the connection ended. A server
   * that closes while the client still sends makes the client's next write fail with a reset.
   */
  sentAll = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.wake?.();
    });
    socket.on('end', () => {
      this.ended = true;
      this.wake?.();
    });
    socket.on('error', () => {
      this.reset = true;
      this.wake?.();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake?.();
    });
  }

  /** Opens a connection to 127.0.0.1:port. */
  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1', noDelay: true });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        resolve(new RawConnection(socket));
      });
    });
  }

  /** Whether another request may be written: the server has not closed, and nothing unread is waiting. */
  get usable(): boolean {
    return !this.ended && !this.reset && !this.socket.destroyed && this.buffer.length === 0;
  }

  close(): void {
    this.socket.destroy();
  }

  /** Writes `bytes` and reads what comes back; see Exchange. */
  async send(bytes: Buffer, options: SendOptions): Promise<Exchange> {
    if (this.buffer.length !== 0)
      throw new Error('RawConnection.send: unread bytes from an earlier exchange');
    const until = options.until ?? 'first';
    void this.write(bytes, options.filler ?? 0, options.suffix).then(() => {
      if (until === 'close' && this.open) this.socket.end();
    });

    const deadline = Date.now() + options.deadlineMs;
    const responses: RawResponse[] = [];
    let offset = 0;
    for (;;) {
      for (;;) {
        const parsed = parseResponse(this.buffer, offset, options.head ?? false, !this.open);
        if (parsed === 'incomplete') break;
        if (typeof parsed === 'string') {
          this.close();
          return { outcome: 'malformed', error: parsed, received: this.buffer };
        }
        offset = parsed.end;
        if (parsed.response.statusCode >= 200) responses.push(parsed.response);
        if (until === 'first' && responses.length > 0) {
          this.buffer = this.buffer.subarray(offset);
          this.exchanges++;
          const closes = /close/i.test(headerOf(parsed.response, 'connection') ?? '');
          if (closes) this.close();
          return { outcome: 'answered', responses, closed: closes || !this.open, received: Buffer.alloc(0) };
        }
      }
      if (!this.open) {
        this.exchanges++;
        if (responses.length > 0)
          return { outcome: 'answered', responses, closed: true, received: this.buffer };
        return { outcome: 'closed', how: this.reset ? 'reset' : 'end', received: this.buffer };
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        this.close();
        return { outcome: 'timeout', received: this.buffer };
      }
      const settling = typeof until === 'object' && responses.length >= until.responses;
      const before: number = this.buffer.length;
      await this.wait(settling ? Math.min(left, until.settleMs) : left);
      if (settling && this.open && this.buffer.length === before) {
        this.exchanges++;
        this.buffer = this.buffer.subarray(offset);
        return { outcome: 'answered', responses, closed: false, received: this.buffer };
      }
    }
  }

  /** Resolves when something arrives or the connection ends, or after `ms`. */
  private wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      this.wake = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).finally(() => {
      this.wake = undefined;
    });
  }

  private get open(): boolean {
    return !this.socket.destroyed && !this.ended && !this.reset;
  }

  /** Writes `bytes`, `filler` bytes of 'a' and `suffix` with back-pressure, stopping if the connection goes away. */
  private async write(bytes: Buffer, filler: number, suffix: Buffer | undefined): Promise<void> {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const parts = function* () {
      yield bytes;
      for (let left = filler; left > 0; left -= chunk.length)
        yield left >= chunk.length ? chunk : chunk.subarray(0, left);
      if (suffix) yield suffix;
    };
    this.sentAll = false;
    let last: Promise<boolean> = Promise.resolve(true);
    for (const part of parts()) {
      if (!this.open) return;
      let flushed: (ok: boolean) => void = () => undefined;
      last = new Promise((resolve) => (flushed = resolve));
      if (!this.socket.write(part, (error) => flushed(!error))) await this.drained();
    }
    this.sentAll = (await last) && this.open;
  }

  /** Resolves on 'drain', or when the connection goes away (no 'drain' will come then). */
  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.socket.removeListener('drain', done);
        this.socket.removeListener('close', done);
        resolve();
      };
      this.socket.once('drain', done);
      this.socket.once('close', done);
    });
  }
}

type Parsed = { response: RawResponse; end: number } | 'incomplete' | string;

/**
 * Parses one response starting at `offset`: status line, header fields, then a body framed by
 * Transfer-Encoding: chunked, Content-Length, or the end of the connection. Returns 'incomplete'
 * when more bytes are needed, or an error message when the bytes are not a response.
 */
export function parseResponse(buffer: Buffer, offset: number, head: boolean, closed: boolean): Parsed {
  if (offset >= buffer.length) return 'incomplete';
  const headEnd = buffer.indexOf(CRLF_CRLF, offset);
  if (headEnd === -1) {
    if (!buffer.subarray(offset, offset + 5).equals(Buffer.from('HTTP/').subarray(0, buffer.length - offset)))
      return `not an HTTP response: ${JSON.stringify(buffer.subarray(offset, offset + 80).toString('latin1'))}`;
    return closed ? 'the connection closed inside a response head' : 'incomplete';
  }
  const lines = buffer.subarray(offset, headEnd).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0]);
  if (!status) return `bad status line ${JSON.stringify(lines[0].slice(0, 120))}`;
  const statusCode = Number(status[1]);
  const headers: [string, string][] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return `bad header line ${JSON.stringify(line.slice(0, 120))}`;
    headers.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  const response = (body: Buffer, end: number) => ({ response: { statusCode, headers, body }, end });
  const bodyStart = headEnd + 4;
  if (head || statusCode < 200 || statusCode === 204 || statusCode === 304)
    return response(Buffer.alloc(0), bodyStart);

  const lengths = headers.filter(([name]) => name === 'content-length').map(([, value]) => value);
  const chunked = headers.some(([name, value]) => name === 'transfer-encoding' && /chunked/i.test(value));
  if (chunked) return parseChunked(buffer, bodyStart, closed, response);
  if (lengths.length > 0) {
    if (new Set(lengths).size !== 1 || !/^\d+$/.test(lengths[0]))
      return `bad Content-Length ${JSON.stringify(lengths)}`;
    const end = bodyStart + Number(lengths[0]);
    if (buffer.length < end) return closed ? 'the connection closed inside a response body' : 'incomplete';
    return response(buffer.subarray(bodyStart, end), end);
  }
  // No framing: the body runs to the end of the connection.
  return closed ? response(buffer.subarray(bodyStart), buffer.length) : 'incomplete';
}

function parseChunked(
  buffer: Buffer,
  start: number,
  closed: boolean,
  response: (body: Buffer, end: number) => { response: RawResponse; end: number },
): Parsed {
  const parts: Buffer[] = [];
  let at = start;
  const more = () => (closed ? 'the connection closed inside a chunked body' : 'incomplete');
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', at);
    if (lineEnd === -1) return more();
    const size = parseInt(buffer.subarray(at, lineEnd).toString('latin1').split(';')[0].trim(), 16);
    if (!Number.isFinite(size) || size < 0) return 'bad chunk size';
    at = lineEnd + 2;
    if (size === 0) {
      // Trailer fields, then an empty line.
      for (;;) {
        const trailerEnd = buffer.indexOf('\r\n', at);
        if (trailerEnd === -1) return more();
        const empty = trailerEnd === at;
        at = trailerEnd + 2;
        if (empty) return response(Buffer.concat(parts), at);
      }
    }
    if (buffer.length < at + size + 2) return more();
    parts.push(buffer.subarray(at, at + size));
    at += size + 2;
  }
}
