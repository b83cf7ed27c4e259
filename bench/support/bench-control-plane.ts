import { CONTROLLERS } from '../../lib/controllers/registry';
import { ensureSystemNamespaces } from '../../lib/api/system-namespaces';
import { decodeObject } from '../../lib/kinds/decode';
import { NamespaceKind } from '../../lib/kinds/namespace';
import { startLocalRuntime } from '../../lib/local/local-runtime';
import type { DynamoObjectStore } from '../../lib/store/dynamo-object-store';
import { CountedControllers } from './counted-controllers';
import { WriteLog } from './write-log';

/** The local control plane's pieces, open to the benchmark: the store, what it wrote, what ran. */
export interface BenchControlPlane {
  store: DynamoObjectStore;
  writes: WriteLog;
  reconciles: CountedControllers;
  /** Reconcile failures the dispatcher reported (it retries them), by message. */
  failures: Map<string, number>;
  createNamespace(name: string): Promise<void>;
  /** Resolves once the stream has delivered everything and no write came for `quietMs`. */
  settle(quietMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The local runtime `npm start` runs (lib/local/local-runtime.ts: engine in memory, TableMirror,
 * LocalStream, every registered controller, Events in the store, requeues and resync), minus the
 * HTTP server, with two taps: every accepted write also goes to a WriteLog, and each controller is
 * wrapped to count its reconciles.
 */
export async function startBenchControlPlane(): Promise<BenchControlPlane> {
  const writes = new WriteLog();
  const reconciles = new CountedControllers(CONTROLLERS);
  const failures = new Map<string, number>();
  const runtime = await startLocalRuntime({
    controllers: reconciles.controllers,
    onWrite: (change) => writes.record(change),
    logError: (message, error) => {
      const key = `${message.replace(/ of .* failed$/, '')}: ${error instanceof Error ? error.constructor.name : String(error)}`;
      failures.set(key, (failures.get(key) ?? 0) + 1);
    },
  });
  const { store } = runtime;
  await ensureSystemNamespaces(store);

  return {
    store,
    writes,
    reconciles,
    failures,
    createNamespace: async (name) => {
      const { object } = decodeObject(NamespaceKind, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name },
      });
      await store.create(NamespaceKind, { ...object, status: { phase: 'Active' } });
    },
    settle: async (quietMs = 200) => {
      for (;;) {
        await runtime.idle(60_000);
        const before = writes.count;
        await new Promise((resolve) => setTimeout(resolve, quietMs));
        if (writes.count === before) return;
      }
    },
    stop: () => runtime.stop(),
  };
}
