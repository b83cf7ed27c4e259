import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { startLocalControlPlane, type LocalControlPlane } from '../../lib/local/local-control-plane';

/** What came back on a raw connection: the status line's code, the raw header block and the body. */
interface RawAnswer {
  code: number;
  head: string;
  body: string;
}

/**
 * Writes `request` (a whole HTTP/1.1 message, or its start when `bodyBytes` follow) on a new
 * connection and reads until the server closes it or a full response has arrived. Throws if the
 * connection is reset or nothing complete arrives before the deadline.
 */
function rawRequest(port: number, request: Buffer | string, bodyBytes = 0): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const deadline = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete response in 10 s; got: ${Buffer.concat(chunks).toString('latin1')}`));
    }, 10_000);
    const finish = () => {
      // Interim answers (100 Continue) come first and carry no body: skip them.
      const text = Buffer.concat(chunks)
        .toString('latin1')
        .replace(/^(HTTP\/1\.1 1\d\d [^\r]*\r\n\r\n)+/, '');
      const split = text.indexOf('\r\n\r\n');
      if (split === -1) return false;
      const head = text.slice(0, split);
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? NaN);
      const body = Buffer.from(text.slice(split + 4), 'latin1');
      if (!(body.length >= length)) return false;
      clearTimeout(deadline);
      socket.destroy();
      resolve({ code: Number(head.split(' ')[1]), head, body: body.toString('utf8') });
      return true;
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      finish();
    });
    socket.on('error', (error) => {
      if (!finish()) {
        clearTimeout(deadline);
        reject(error);
      }
    });
    socket.on('connect', () => {
      socket.write(request);
      // A client that sends its body regardless of the answer, 64 KB at a time.
      let left = bodyBytes;
      const pump = () => {
        while (left > 0 && !socket.destroyed) {
          const size = Math.min(left, 65536);
          left -= size;
          if (!socket.write(Buffer.alloc(size, 0x61))) return void socket.once('drain', pump);
        }
      };
      pump();
    });
  });
}

const status = (answer: RawAnswer) =>
  JSON.parse(answer.body) as { kind: string; reason: string; code: number };

/**
 * The local server's HTTP edge, spoken to over raw sockets as an attacker or a careless client
 * would: nothing crashes it, every request gets a Kubernetes Status, and browser-shaped requests
 * are refused.
 */
describe('the local HTTP server under hostile requests', () => {
  let plane: LocalControlPlane;
  let port: number;
  const host = () => `127.0.0.1:${port}`;
  beforeAll(async () => {
    plane = await startLocalControlPlane({ port: 0, controllers: [] });
    port = Number(new URL(plane.url).port);
  });
  afterAll(() => plane.stop());

  afterEach(async () => {
    // Whatever the test sent, the server is still there.
    expect((await fetch(`${plane.url}/healthz`)).status).toBe(200);
  });

  it('listens on 127.0.0.1 only, on one port: the embedded engine opens none', () => {
    const listening = execFileSync('ss', ['-Hltnp'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(`pid=${process.pid},`));
    expect(listening).toHaveLength(1);
    expect(listening[0]).toContain(`127.0.0.1:${port} `);
  });

  it('answers a request target that is not a URL with 400', async () => {
    const answer = await rawRequest(
      port,
      `GET http://[/api/v1/namespaces HTTP/1.1\r\nHost: ${host()}\r\n\r\n`,
    );
    expect(answer.code).toBe(400);
    expect(status(answer)).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
  });

  it('answers a request node cannot parse with a 400 Status', async () => {
    const answer = await rawRequest(port, `GET /api HTTP/1.1\r\nHost: ${host()}\r\nBad\x01Header: x\r\n\r\n`);
    expect(answer.code).toBe(400);
    expect(status(answer).reason).toBe('BadRequest');
  });

  it('writes a warning that quotes a field name in any script as UTF-8, and stores the object', async () => {
    const body = Buffer.from('{"metadata":{"name":"snow"},"\u2603":1}');
    const answer = await rawRequest(
      port,
      Buffer.concat([
        Buffer.from(
          `POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: ${host()}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        ),
        body,
      ]),
    );
    expect(answer.code).toBe(201);
    const warning = /\r\nwarning: (.*)/i.exec(answer.head)?.[1] ?? '';
    expect(Buffer.from(warning, 'latin1').toString('utf8')).toBe('299 - "unknown field \\"\u2603\\""');
    expect((await fetch(`${plane.url}/api/v1/namespaces/default/configmaps/snow`)).status).toBe(200);
  });

  it.each([5, 50])('answers a %d MB body sent without waiting with a readable 413', async (megabytes) => {
    const size = megabytes * 1024 * 1024;
    const head =
      `POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: ${host()}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`;
    const answer = await rawRequest(port, head, size);
    expect(answer.code).toBe(413);
    expect(status(answer)).toMatchObject({ reason: 'RequestEntityTooLarge', code: 413 });
  });

  it('answers a chunked body that grows past the limit with a readable 413', async () => {
    const chunk = 'a'.repeat(1024 * 1024);
    const chunks = Array.from({ length: 5 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('');
    const answer = await rawRequest(
      port,
      `POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: ${host()}\r\n` +
        `Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}0\r\n\r\n`,
    );
    expect(answer.code).toBe(413);
  });

  it.each([0, 5])(
    'answers a client that asks first (Expect: 100-continue), then sends %d MB, with 413',
    async (megabytes) => {
      const size = 50 * 1024 * 1024;
      const answer = await rawRequest(
        port,
        `POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: ${host()}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${size}\r\nExpect: 100-continue\r\n\r\n`,
        megabytes * 1024 * 1024,
      );
      expect(answer.code).toBe(413);
    },
  );

  describe('browser-shaped requests', () => {
    const post = (headers: string) =>
      rawRequest(
        port,
        `POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\n${headers}` +
          `Content-Length: 26\r\n\r\n{"metadata":{"name":"web"}}`.replace('26', '27'),
      );

    afterEach(async () => {
      // None of them created anything.
      expect((await fetch(`${plane.url}/api/v1/namespaces/default/configmaps/web`)).status).toBe(404);
    });

    it('refuses a Host name other than loopback (DNS rebinding) with 403', async () => {
      const answer = await post(`Host: rebind.example:${port}\r\nContent-Type: application/json\r\n`);
      expect([answer.code, status(answer).reason]).toEqual([403, 'Forbidden']);
    });

    it('refuses a cross-origin write with 403', async () => {
      const answer = await post(
        `Host: ${host()}\r\nOrigin: http://evil.example\r\nContent-Type: application/json\r\n`,
      );
      expect(answer.code).toBe(403);
    });

    it('refuses a write a page marks cross-site with 403', async () => {
      const answer = await post(
        `Host: ${host()}\r\nSec-Fetch-Site: cross-site\r\nContent-Type: text/plain\r\n`,
      );
      expect(answer.code).toBe(403);
    });

    it('reads a body without Content-Type as JSON, as kube-apiserver does', async () => {
      const answer = await post(`Host: ${host()}\r\n`);
      expect(answer.code).toBe(201);
      const url = `${plane.url}/api/v1/namespaces/default/configmaps/web`;
      expect((await fetch(url, { method: 'DELETE' })).status).toBe(200);
    });
  });
});
