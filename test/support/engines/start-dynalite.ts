import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import type { RunningEngine } from './running-engine';

/**
 * Starts dynalite (the engine behind `npm start`) in this process on 127.0.0.1. Table changes take
 * no simulated time, so tests never wait on CREATING.
 */
export async function startDynalite(): Promise<RunningEngine> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    name: 'dynalite',
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error?: Error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from test clients would hold close() open.
        server.closeAllConnections();
      }),
  };
}
