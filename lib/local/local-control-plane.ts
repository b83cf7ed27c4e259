import { StoredCustomKinds } from '../crd/stored-custom-kinds';
import { createApiHandler } from '../api/api-handler';
import type { RunningAgent } from '../agent/agent';
import { serveOnLoopback } from './http/loopback-server';
import type { CustomControllers } from './custom-controllers';
import { startLocalOperators } from './local-operators';
import { startLocalRuntime, type LocalCapacityOptions, type LocalRuntimeOptions } from './local-runtime';

export interface LocalControlPlaneOptions extends Pick<
  LocalRuntimeOptions,
  'dataDir' | 'controllers' | 'resync' | 'changeLog' | 'nodeLifecycle' | 'onWrite'
> {
  /** The scheduler and local nodes with their agents, which talk to this plane's own URL. */
  capacity?: Omit<LocalCapacityOptions, 'nodes'> & { nodes: Omit<LocalCapacityOptions['nodes'], 'apiUrl'> };
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** How often watches that allow them get a BOOKMARK (default: every minute, as kube-apiserver). */
  bookmarkSeconds?: number;
  /**
   * A module, YAML file or folder of operators to run (lib/operators/load-operators.ts), loaded
   * again whenever something under it changes. Needs the controllers (not `controllers: []`).
   */
  operatorsPath?: string;
}

export interface LocalControlPlane {
  url: string;
  /** The local nodes' agents now running (see LocalRuntime.agents). */
  agents(): Promise<RunningAgent[]>;
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
  // Local nodes start their agents as the scheduler launches them, which may be before the
  // server listens (nodes kept from the last run): they wait for its URL.
  let listening!: (url: string) => void;
  let failed!: (error: Error) => void;
  const url = new Promise<string>((resolve, reject) => ((listening = resolve), (failed = reject)));
  url.catch(() => undefined);
  // Custom kinds' garbage collectors and operators join the controllers once the API serves their kinds.
  let custom: CustomControllers | undefined;
  let customKinds: StoredCustomKinds | undefined;
  const runtime = await startLocalRuntime({
    ...options,
    moreControllers: () => custom?.current() ?? [],
    customKinds: () => customKinds?.registry.storedCustomKinds ?? [],
    capacity: options.capacity && {
      ...options.capacity,
      nodes: { ...options.capacity.nodes, apiUrl: () => url },
    },
  });
  try {
    // One process sees every CRD write: its kinds follow them (docs/custom-resources.md).
    customKinds = new StoredCustomKinds(runtime.store);
    const api = createApiHandler({
      store: runtime.store,
      watch: { feed: runtime.changes, bookmarkSeconds: options.bookmarkSeconds },
      ...(runtime.scheduler ? { plan: runtime.scheduler.dryRun } : {}),
      customKinds,
    });
    const server = await serveOnLoopback(api, options.port);
    const planeUrl = `http://127.0.0.1:${server.port}`;
    listening(planeUrl);
    await customKinds.refresh();
    const operators =
      options.controllers?.length === 0
        ? undefined
        : await startLocalOperators({
            url: planeUrl,
            registry: customKinds.registry,
            runtime,
            path: options.operatorsPath,
            use: (controllers) => (custom = controllers),
          });
    return {
      url: `http://127.0.0.1:${server.port}`,
      expireChanges: () => runtime.changes.expire(),
      agents: () => runtime.agents(),
      stop: async () => {
        // Pods first, while their agents can still reach the API; then requests, then the engine.
        await runtime.stopNodes();
        operators?.stop();
        await server.stop();
        await runtime.stop();
      },
    };
  } catch (error) {
    failed(error as Error);
    await runtime.stop();
    throw error;
  }
}
