import { createApiHandler } from '../api/api-handler';
import { serveOnLoopback } from './http/loopback-server';
import { startLocalRuntime, type LocalRuntimeOptions } from './local-runtime';

export interface LocalControlPlaneOptions extends Pick<
  LocalRuntimeOptions,
  'dataDir' | 'controllers' | 'resync' | 'changeLog' | 'capacity'
> {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** How often watches that allow them get a BOOKMARK (default: every minute, as kube-apiserver). */
  bookmarkSeconds?: number;
}

export interface LocalControlPlane {
  url: string;
  /**
   * Stops accepting requests, finishes those in flight (streamed responses end), delivers the
   * stream's records, then closes the engine.
   */
  stop(): Promise<void>;
  /** Drops change-log records past retention now (as the minute timer does); answers how many. */
  expireChanges(): Promise<number>;
}

/**
 * The whole control plane in this process: the local runtime (engine, store, controllers; see
 * local-runtime.ts) and the same API handler the Lambda runs, served over HTTP on loopback only
 * (http/loopback-server.ts).
 */
export async function startLocalControlPlane(options: LocalControlPlaneOptions): Promise<LocalControlPlane> {
  const runtime = await startLocalRuntime(options);
  try {
    const api = createApiHandler({
      store: runtime.store,
      watch: { feed: runtime.changes, bookmarkSeconds: options.bookmarkSeconds },
      ...(runtime.scheduler ? { plan: runtime.scheduler.dryRun } : {}),
    });
    const server = await serveOnLoopback(api, options.port);
    return {
      url: `http://127.0.0.1:${server.port}`,
      expireChanges: () => runtime.changes.expire(),
      stop: async () => {
        await server.stop();
        await runtime.stop();
      },
    };
  } catch (error) {
    await runtime.stop();
    throw error;
  }
}
