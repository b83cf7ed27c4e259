import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiHandler } from '../api/api-handler';
import { clientErrorListener, connectListener, httpListener } from './http/http-adapter';
import { startLocalRuntime, type LocalRuntimeOptions } from './local-runtime';

export interface LocalControlPlaneOptions extends Pick<
  LocalRuntimeOptions,
  'dataDir' | 'controllers' | 'resync'
> {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
}

export interface LocalControlPlane {
  url: string;
  /** Stops accepting requests, finishes those in flight, delivers the stream's records, then closes the engine. */
  stop(): Promise<void>;
}

/**
 * The whole control plane in this process: the local runtime (engine, store, controllers; see
 * local-runtime.ts) and the same API handler the Lambda runs, served over HTTP on loopback only.
 */
export async function startLocalControlPlane(options: LocalControlPlaneOptions): Promise<LocalControlPlane> {
  const runtime = await startLocalRuntime(options);
  try {
    const listener = httpListener(createApiHandler({ store: runtime.store }));
    // A client gets 60 s to send its headers and its whole request (node's defaults are 60 s and
    // 300 s); a slow sender cannot hold a connection longer.
    const server = createServer(
      { keepAliveTimeout: 5000, headersTimeout: 60_000, requestTimeout: 60_000 },
      listener,
    )
      .on('clientError', clientErrorListener)
      .on('connect', connectListener);
    await listen(server, options.port);
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      stop: async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await runtime.stop();
      },
    };
  } catch (error) {
    await runtime.stop();
    throw error;
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}
