import { ProbeError } from '../../../lib/agent/probes/probe-target';
import { PROBE_USER_AGENT } from '../../../lib/agent/probes/http-probe';
import { runProbe } from '../../../lib/agent/probes/run-probe';
import { Probe } from '../../../lib/kinds/probe';
import { aProbeServer, aClosedPort, aTcpListener } from './probe-servers';
import { aProcessRuntime, NODE } from './process-runtime-harness';

const ref = { podUid: 'pod-1', container: 'app' };
const unusedRuntime = { exec: () => Promise.reject(new Error('not used')) };

function targetOf(ports: { name: string; containerPort: number }[] = []) {
  return {
    runtime: unusedRuntime,
    ref,
    container: { name: 'app', ports: ports.map((port) => ({ ...port, protocol: 'TCP' as const })) },
    podIP: '127.0.0.1',
  };
}

describe('an httpGet probe against a real server', () => {
  const servers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });
  async function serve(...args: Parameters<typeof aProbeServer>) {
    const server = await aProbeServer(...args);
    servers.push(server);
    return server;
  }

  it('succeeds on 200–399 and sends the path, the kubelet’s User-Agent and Accept, and the probe’s headers', async () => {
    const server = await serve((_request, response) => response.writeHead(204).end());
    const probe = Probe.parse({
      httpGet: {
        port: 'http',
        path: '/healthz?deep=1',
        httpHeaders: [
          { name: 'x-probe', value: 'a' },
          { name: 'X-Probe', value: 'b' },
          { name: 'Host', value: 'app.example.com' },
        ],
      },
    });
    const outcome = await runProbe(probe, targetOf([{ name: 'http', containerPort: server.port }]));
    expect(outcome.result).toBe('success');
    const [request] = server.requests;
    expect(request.url).toBe('/healthz?deep=1');
    expect(request.headers['user-agent']).toBe(PROBE_USER_AGENT);
    expect(PROBE_USER_AGENT).toBe('kube-probe/1.32');
    expect(request.headers.accept).toBe('*/*');
    expect(request.headers['x-probe']).toBe('a, b');
    expect(request.headers.host).toBe('app.example.com');
  });

  it('lets the probe set its own User-Agent, and an empty Accept removes it', async () => {
    const server = await serve((_request, response) => response.end('ok'));
    const probe = Probe.parse({
      httpGet: {
        port: server.port,
        httpHeaders: [
          { name: 'User-Agent', value: 'mine' },
          { name: 'Accept', value: '' },
        ],
      },
    });
    expect((await runProbe(probe, targetOf())).result).toBe('success');
    expect(server.requests[0].headers['user-agent']).toBe('mine');
    expect(server.requests[0].headers.accept).toBeUndefined();
  });

  it('fails on 400 and above with the kubelet’s message', async () => {
    const server = await serve((_request, response) => response.writeHead(503).end('down'));
    expect(await runProbe(Probe.parse({ httpGet: { port: server.port } }), targetOf())).toEqual({
      result: 'failure',
      message: 'HTTP probe failed with statuscode: 503',
    });
  });

  it('follows redirects on the same host, and stops after 10', async () => {
    const server = await serve((request, response) => {
      const hop = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('hop') ?? 0);
      if (request.url?.startsWith('/loop'))
        return response.writeHead(302, { location: `/loop?hop=${hop + 1}` }).end();
      if (hop < 3) return response.writeHead(301, { location: `/?hop=${hop + 1}` }).end();
      return response.writeHead(200).end();
    });
    expect((await runProbe(Probe.parse({ httpGet: { port: server.port } }), targetOf())).result).toBe(
      'success',
    );
    expect(server.requests.map((request) => request.url)).toEqual(['/', '/?hop=1', '/?hop=2', '/?hop=3']);
    expect(
      await runProbe(Probe.parse({ httpGet: { port: server.port, path: '/loop' } }), targetOf()),
    ).toEqual({
      result: 'failure',
      message: `Get "http://127.0.0.1:${server.port}/loop?hop=10": stopped after 10 redirects`,
    });
  });

  it('does not follow a redirect to another host: success, with the kubelet’s warning', async () => {
    const server = await serve((_request, response) =>
      response.writeHead(302, { location: 'http://elsewhere.invalid/' }).end('moved'),
    );
    expect(await runProbe(Probe.parse({ httpGet: { port: server.port } }), targetOf())).toEqual({
      result: 'success',
      message: 'Probe terminated redirects, Response body: moved',
    });
    expect(server.requests).toHaveLength(1);
  });

  it('fails with Go’s timeout message when no answer comes within timeoutSeconds', async () => {
    const server = await serve(() => undefined);
    const started = Date.now();
    const outcome = await runProbe(
      Probe.parse({ httpGet: { port: server.port }, timeoutSeconds: 1 }),
      targetOf(),
    );
    expect(outcome).toEqual({
      result: 'failure',
      message: `Get "http://127.0.0.1:${server.port}/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('fails with the dial error when nothing listens', async () => {
    const port = await aClosedPort();
    expect(await runProbe(Probe.parse({ httpGet: { port } }), targetOf())).toEqual({
      result: 'failure',
      message: `Get "http://127.0.0.1:${port}/": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    });
  });

  it('probes HTTPS without checking the certificate', async () => {
    const server = await serve((_request, response) => response.end('ok'), { tls: true });
    const probe = Probe.parse({ httpGet: { port: server.port, scheme: 'HTTPS' } });
    expect((await runProbe(probe, targetOf())).result).toBe('success');
  });

  it('cannot run with a port name the container does not have, nor without a pod IP', async () => {
    await expect(runProbe(Probe.parse({ httpGet: { port: 'metrics' } }), targetOf())).rejects.toThrow(
      new ProbeError('port "metrics" not found'),
    );
    const noIP = { ...targetOf(), podIP: undefined };
    await expect(runProbe(Probe.parse({ httpGet: { port: 80 } }), noIP)).rejects.toThrow(ProbeError);
  });
});

describe('a tcpSocket probe against a real listener', () => {
  it('succeeds when the port accepts a connection and fails with the dial error when it does not', async () => {
    const listener = await aTcpListener();
    try {
      expect(await runProbe(Probe.parse({ tcpSocket: { port: listener.port } }), targetOf())).toEqual({
        result: 'success',
      });
    } finally {
      await listener.close();
    }
    expect(await runProbe(Probe.parse({ tcpSocket: { port: listener.port } }), targetOf())).toEqual({
      result: 'failure',
      message: `dial tcp 127.0.0.1:${listener.port}: connect: connection refused`,
    });
  });

  it('connects to the probe’s own host when it names one', async () => {
    const listener = await aTcpListener();
    try {
      const probe = Probe.parse({ tcpSocket: { port: listener.port, host: '127.0.0.1' } });
      expect((await runProbe(probe, { ...targetOf(), podIP: '127.1.99.99' })).result).toBe('success');
    } finally {
      await listener.close();
    }
  });
});

describe('an exec probe in a process runtime container', () => {
  let harness: ReturnType<typeof aProcessRuntime>;
  beforeEach(async () => {
    harness = aProcessRuntime();
    await harness.runtime.start({
      ...ref,
      attempt: 0,
      command: [NODE, '-e', 'setInterval(() => {}, 1000)'],
      env: {},
    });
  });
  afterEach(() => harness.cleanUp());
  const target = () => ({ ...targetOf(), runtime: harness.runtime });

  it('succeeds on exit 0 and fails otherwise with the command’s output', async () => {
    expect((await runProbe(Probe.parse({ exec: { command: [NODE, '-e', ''] } }), target())).result).toBe(
      'success',
    );
    const failing = Probe.parse({
      exec: { command: [NODE, '-e', "console.log('not ready'); process.exit(1)"] },
    });
    expect(await runProbe(failing, target())).toEqual({ result: 'failure', message: 'not ready\n' });
  });

  it('fails with the kubelet’s message when the command outlives timeoutSeconds', async () => {
    const command = [NODE, '-e', 'setInterval(() => {}, 1000)'];
    expect(await runProbe(Probe.parse({ exec: { command }, timeoutSeconds: 1 }), target())).toEqual({
      result: 'failure',
      message: `command "${command.join(' ')}" timed out`,
    });
  });

  it('cannot run in a container that is not running', async () => {
    await harness.runtime.stop(ref, 0);
    await expect(runProbe(Probe.parse({ exec: { command: [NODE, '-e', ''] } }), target())).rejects.toThrow(
      ProbeError,
    );
  });
});
