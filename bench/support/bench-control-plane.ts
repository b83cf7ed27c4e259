import { dispatch, type DispatchOptions } from '../../lib/controllers/dispatcher';
import { storeReconcileContext } from '../../lib/controllers/events/store-event-recorders';
import { CONTROLLERS } from '../../lib/controllers/registry';
import { ensureSystemNamespaces } from '../../lib/api/system-namespaces';
import { decodeObject } from '../../lib/kinds/decode';
import { NamespaceKind } from '../../lib/kinds/namespace';
import { startEmbeddedDynamo } from '../../lib/local/embedded-dynamo';
import { LOCAL_TABLE_NAME } from '../../lib/local/local-control-plane';
import { LocalRequeue, LocalStream, type LocalStreamRecord } from '../../lib/local/local-stream';
import { createObjectTable } from '../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../lib/store/dynamo-object-store';
import { TableMirror } from '../../lib/store/table-mirror';
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
 * Builds the control plane as startLocalControlPlane does (embedded dynalite in memory, the object
 * table, a TableMirror, a LocalStream fed by the store's writes, every registered controller, Events
 * in the store, LocalRequeue) minus the HTTP server, with two taps: every accepted write also goes
 * to a WriteLog, and each controller is wrapped to count its reconciles.
 */
export async function startBenchControlPlane(): Promise<BenchControlPlane> {
  const dynamo = await startEmbeddedDynamo();
  await createObjectTable(dynamo.client, LOCAL_TABLE_NAME);
  const mirror = await TableMirror.load(dynamo.client, LOCAL_TABLE_NAME);
  const writes = new WriteLog();
  const reconciles = new CountedControllers(CONTROLLERS);
  const failures = new Map<string, number>();
  const stream = new LocalStream({ consumer: (records) => reconcile(records) });
  const store = new DynamoObjectStore({
    client: dynamo.client,
    tableName: LOCAL_TABLE_NAME,
    mirror,
    onChange: (change) => {
      writes.record(change);
      stream.push(change);
    },
  });
  const dispatchOptions: DispatchOptions = {
    controllers: reconciles.controllers,
    context: storeReconcileContext(store),
    logError: (message, error) => {
      const key = `${message.replace(/ of .* failed$/, '')}: ${error instanceof Error ? error.constructor.name : String(error)}`;
      failures.set(key, (failures.get(key) ?? 0) + 1);
    },
  };
  const requeue = new LocalRequeue(dispatchOptions);
  const reconcile = async (records: LocalStreamRecord[]) => {
    const result = await dispatch(records, dispatchOptions);
    requeue.add(result.requeues);
    return result;
  };
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
        await stream.idle(60_000);
        const before = writes.count;
        await new Promise((resolve) => setTimeout(resolve, quietMs));
        if (writes.count === before) return;
      }
    },
    stop: async () => {
      await requeue.stop();
      await stream.stop();
      await dynamo.stop();
    },
  };
}
