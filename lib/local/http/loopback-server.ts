import { createServer, type Server, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiRequest, ApiResponse } from '../../api/http';
import { clientErrorListener, connectListener, httpListener } from './http-adapter';
import { setMaxListeners } from 'node:events';

/** The server's timeouts; `connectionsCheckingInterval` says how often node enforces the first two. */
export type LoopbackServerTimeouts = Pick<
  ServerOptions,
  'headersTimeout' | 'requestTimeout' | 'keepAliveTimeout' | 'connectionsCheckingInterval'
>;

/**
 * A client gets 60 s to send its headers and its whole request (node's defaults are 60 s and
 * 300 s); a slow sender cannot hold a connection longer. Neither bounds the response: node stops
 * timing a request once it has been read, so a streamed response (a watch) lasts as long as it
 * needs. An idle keep-alive connection is closed after 5 s.
 */
export const LOOPBACK_SERVER_TIMEOUTS: LoopbackServerTimeouts = {
  keepAliveTimeout: 5000,
  headersTimeout: 60_000,
  requestTimeout: 60_000,
};

export interface LoopbackServer {
  port: number;
  /**
   * Stops accepting connections, ends streamed responses (their producers are told through the
   * request's signal), lets buffered ones finish, and resolves once every connection is closed.
   */
  stop(): Promise<void>;
}

/**
 * Serves the API over HTTP on 127.0.0.1 only (the local server has no authentication), through the
 * node:http adapter. Port 0 picks a free one.
 */
export async function serveOnLoopback(
  handle: (request: ApiRequest) => Promise<ApiResponse>,
  port: number,
  timeouts: LoopbackServerTimeouts = LOOPBACK_SERVER_TIMEOUTS,
): Promise<LoopbackServer> {
  const shutdown = new AbortController();
  // Every request in flight listens on it (and stops listening when it ends): no fixed bound fits.
  setMaxListeners(0, shutdown.signal);
  const server = createServer(timeouts, httpListener(handle, { shutdown: shutdown.signal }))
    .on('clientError', clientErrorListener)
    .on('connect', connectListener);
  await listen(server, port);
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        shutdown.abort();
        server.closeIdleConnections();
      }),
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
