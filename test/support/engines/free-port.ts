import { createServer } from 'node:net';

/**
 * A TCP port on 127.0.0.1 that is free right now, for servers that cannot be told to pick one
 * themselves (DynamoDB Local, moto). Another process may take it before ours binds; callers retry.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port was assigned'))));
    });
  });
}
