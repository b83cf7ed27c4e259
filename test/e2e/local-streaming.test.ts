import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { ApiRequest, ApiResponse, BodyChunk } from '../../lib/api/http';
import { httpListener } from '../../lib/local/http/http-adapter';
import { serveOnLoopback, type LoopbackServer } from '../../lib/local/http/loopback-server';
import { eventually } from '../support/eventually';
import { listeningAddresses } from '../support/spawn-local-server';

/** A streamed 200 whose body is `produce`'s chunks; `produce` gets the request (and its signal). */
function streamed(produce: (request: ApiRequest) => AsyncIterable<BodyChunk>) {
  return async (request: ApiRequest): Promise<ApiResponse> => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json;stream=watch', warning: '299 - "spec.☃" is unknown' },
    body: '',
    stream: produce(request),
  });
}

/** A promise and its resolver, for a producer that waits on the test. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Resolves when the signal aborts. */
const aborted = (signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));

/** A raw client connection: the bytes it received, as latin1, and whether the server closed it. */
class RawClient {
  received = Buffer.alloc(0);
  closed = false;
  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => (this.received = Buffer.concat([this.received, chunk])));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  static async get(port: number, path = '/stream', method = 'GET'): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    return new RawClient(socket);
  }

  get text(): string {
    return this.received.toString('latin1');
  }

  /** The status line and headers, once they have all arrived. */
  head(): string {
    const end = this.text.indexOf('\r\n\r\n');
    if (end === -1) throw new Error(`no complete head yet: ${JSON.stringify(this.text)}`);
    return this.text.slice(0, end);
  }

  /** The chunked body decoded so far, and whether its last chunk has arrived. */
  body(): { text: string; complete: boolean } {
    let rest = this.received.subarray(this.received.indexOf('\r\n\r\n') + 4);
    const parts: Buffer[] = [];
    for (;;) {
      const line = rest.indexOf('\r\n');
      if (line === -1) return { text: Buffer.concat(parts).toString('utf8'), complete: false };
      const size = parseInt(rest.subarray(0, line).toString('latin1'), 16);
      if (size === 0) return { text: Buffer.concat(parts).toString('utf8'), complete: true };
      if (rest.length < line + 2 + size + 2)
        return { text: Buffer.concat(parts).toString('utf8'), complete: false };
      parts.push(rest.subarray(line + 2, line + 2 + size));
      rest = rest.subarray(line + 2 + size + 2);
    }
  }

  /** The whole body, once its last chunk has arrived. */
  async completeBody(): Promise<string> {
    return eventually(async () => {
      const { text, complete } = this.body();
      if (!complete) throw new Error(`body not complete: ${JSON.stringify(this.text)}`);
      return text;
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

describe('streamed responses on the local server', () => {
  let server: LoopbackServer;
  let handler: (request: ApiRequest) => Promise<ApiResponse>;
  const clients: RawClient[] = [];
  const open = async (path?: string, method?: string) => {
    const client = await RawClient.get(server.port, path, method);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await serveOnLoopback((request) => handler(request), 0);
  });
  afterEach(() => clients.splice(0).forEach((client) => client.close()));
  afterAll(() => server.stop());

  it('listens on 127.0.0.1 only', () => {
    const addresses = listeningAddresses(process.pid).filter((address) =>
      address.endsWith(`:${server.port}`),
    );
    expect(addresses).toEqual([`127.0.0.1:${server.port}`]);
  });

  it('sends the status and headers before the producer is asked for its first chunk, then the chunks in order', async () => {
    const first = gate();
    let started = false;
    handler = streamed(async function* () {
      started = true;
      await first.opened;
      yield '{"type":"ADDED"}\n';
      yield new TextEncoder().encode('{"type":"MODIFIED","name":"dév"}\n');
      yield '';
      yield '{"type":"DELETED"}\n';
    });
    const client = await open();

    const head = await eventually(async () => client.head());
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head.toLowerCase()).toContain('transfer-encoding: chunked');
    expect(head.toLowerCase()).not.toContain('content-length');
    expect(head).toContain('content-type: application/json;stream=watch');
    // Header values go out as UTF-8 bytes, as for a buffered answer (the head is read as latin1).
    expect(head).toContain(`warning: 299 - "spec.${Buffer.from('☃').toString('latin1')}" is unknown`);
    expect(client.body()).toEqual({ text: '', complete: false });
    first.open();

    expect(await client.completeBody()).toBe(
      '{"type":"ADDED"}\n{"type":"MODIFIED","name":"dév"}\n{"type":"DELETED"}\n',
    );
    expect(started).toBe(true);
    expect(client.closed).toBe(false);
  });

  it('holds the producer back while the client does not read, and stops it when the client goes away', async () => {
    const chunk = 'x'.repeat(64 * 1024);
    let produced = 0;
    let stopped = false;
    let signal: AbortSignal | undefined;
    handler = streamed(async function* (request) {
      signal = request.signal;
      try {
        // Endless as far as the test goes: 96 MB, past which held-back production would have stopped.
        for (; produced < 1500;) {
          produced += 1;
          yield chunk;
        }
      } finally {
        stopped = true;
      }
    });
    const client = await open();
    client.socket.pause();

    // The producer stops once the socket buffers are full: kernel buffers on loopback hold a few MB.
    let last = -1;
    const held = await eventually(
      async () => {
        if (produced !== last || produced === 0) {
          last = produced;
          throw new Error(`still producing: ${produced} chunks`);
        }
        return produced;
      },
      15_000,
      250,
    );
    expect(held * chunk.length).toBeLessThan(64 * 1024 * 1024);

    client.socket.resume();
    await eventually(async () => expect(produced).toBeGreaterThan(held + 50));
    expect(stopped).toBe(false);

    client.close();
    await eventually(async () => {
      expect(signal?.aborted).toBe(true);
      expect(stopped).toBe(true);
    });
  });

  it('stops a producer waiting for its next event, through the request signal', async () => {
    let finished = false;
    handler = streamed(async function* (request) {
      try {
        yield '{"type":"ADDED"}\n';
        await aborted(request.signal);
      } finally {
        finished = true;
      }
    });
    const client = await open();
    await eventually(async () => expect(client.body().text).toBe('{"type":"ADDED"}\n'));
    client.close();
    await eventually(async () => expect(finished).toBe(true));
  });

  it('ends the response where it stands when the producer fails, and logs the failure', async () => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      handler = streamed(async function* () {
        yield 'one\n';
        throw new Error('the change feed broke');
      });
      const client = await open();
      expect(await client.completeBody()).toBe('one\n');
      expect(logged).toHaveBeenCalledWith(
        expect.stringContaining('GET /stream stream failed'),
        expect.objectContaining({ message: 'the change feed broke' }),
      );
    } finally {
      logged.mockRestore();
    }
  });

  it('answers HEAD with the head alone and stops the producer unread', async () => {
    let started = false;
    let returned = false;
    const iterator: AsyncIterator<BodyChunk> = {
      next: async () => ((started = true), { done: false, value: 'never\n' }),
      return: async () => ((returned = true), { done: true, value: undefined }),
    };
    handler = async () => ({
      statusCode: 200,
      headers: {},
      body: '',
      stream: { [Symbol.asyncIterator]: () => iterator },
    });
    const client = await open('/stream', 'HEAD');
    await eventually(async () => expect(client.head()).toMatch(/^HTTP\/1\.1 200 OK/));
    await eventually(async () => expect(returned).toBe(true));
    expect(started).toBe(false);
  });

  it('still answers buffered responses with a content-length', async () => {
    handler = async () => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' });
    const client = await open();
    await eventually(async () => expect(client.text).toMatch(/content-length: 2\r\n[^]*\r\n\r\nok$/i));
  });
});

describe('the local server lifetime around long streams', () => {
  it('does not cut a stream that outlasts the request timeout, which still cuts a slow request', async () => {
    const server = await serveOnLoopback(
      streamed(async function* () {
        for (let tick = 0; tick < 8; tick += 1) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          yield `${tick}\n`;
        }
      }),
      0,
      { headersTimeout: 200, requestTimeout: 300, connectionsCheckingInterval: 50, keepAliveTimeout: 5000 },
    );
    const streaming = await RawClient.get(server.port);
    const slow = connect(server.port, '127.0.0.1');
    try {
      slow.write(`GET /slow HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n`);
      let slowAnswer = '';
      slow.on('data', (chunk: Buffer) => (slowAnswer += chunk.toString('latin1')));
      // clientErrorListener answers node's request timeout as 408, as Go's server does.
      await eventually(async () => expect(slowAnswer).toMatch(/^HTTP\/1\.1 408 .*"reason":"Timeout"/s));
      expect(await streaming.completeBody()).toBe('0\n1\n2\n3\n4\n5\n6\n7\n');
    } finally {
      streaming.close();
      slow.destroy();
      await server.stop();
    }
  });

  it('ends open streams when the server stops, without waiting out keep-alive', async () => {
    let finished = false;
    const server = await serveOnLoopback(
      streamed(async function* (request) {
        try {
          yield 'one\n';
          await aborted(request.signal);
        } finally {
          finished = true;
        }
      }),
      0,
    );
    const client = await RawClient.get(server.port);
    try {
      await eventually(async () => expect(client.body().text).toBe('one\n'));
      const started = Date.now();
      await server.stop();
      expect(Date.now() - started).toBeLessThan(2000);
      expect(client.body()).toEqual({ text: 'one\n', complete: true });
      await eventually(async () => expect(client.closed && finished).toBe(true));
    } finally {
      client.close();
    }
  });

  it('leaves no listener behind on the request or shutdown signals once a stream ends', async () => {
    const shutdown = new AbortController();
    const signals: AbortSignal[] = [];
    const server: Server = createServer(
      httpListener(
        streamed(async function* (request) {
          if (request.signal) signals.push(request.signal);
          yield 'a'.repeat(256 * 1024);
          yield 'b\n';
        }),
        { shutdown: shutdown.signal },
      ),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      for (let i = 0; i < 3; i += 1) {
        const client = await RawClient.get(port);
        expect((await client.completeBody()).length).toBe(256 * 1024 + 2);
        client.close();
      }
      await eventually(async () => {
        expect(signals).toHaveLength(3);
        expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
        for (const signal of signals) {
          expect(signal.aborted).toBe(false);
          expect(getEventListeners(signal, 'abort')).toHaveLength(0);
        }
      });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
