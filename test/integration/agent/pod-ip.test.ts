import { createServer, connect, type Server } from 'node:net';
import { LoopbackIpAllocator } from '../../../lib/agent/runtime/loopback-ip-allocator';

/** Listens on `host` at a free port, answering every connection with `reply`. */
async function serve(host: string, port: number, reply: string): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.end(reply));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
}

function ask(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect({ host, port });
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('pod IPs on loopback', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('let two pods bind the same port, each answering on its own address (Linux routes 127/8 to lo)', async () => {
    const ips = new LoopbackIpAllocator();
    const first = ips.allocate('pod-a');
    const second = ips.allocate('pod-b');
    expect(first).not.toBe(second);

    const a = await serve(first, 0, 'a');
    servers.push(a.server);
    const b = await serve(second, a.port, 'b');
    servers.push(b.server);

    expect(b.port).toBe(a.port);
    expect(await ask(first, a.port)).toBe('a');
    expect(await ask(second, a.port)).toBe('b');
  });
});
