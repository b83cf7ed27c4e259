import type { Controller } from '../controllers/controller';
import { dispatch, type DispatchOptions } from '../controllers/dispatcher';
import { storeReconcileContext } from '../controllers/events/store-event-recorders';
import { CONTROLLERS } from '../controllers/registry';
import {
  nodeLifecycleController,
  type NodeLifecycleOptions,
} from '../controllers/node-lifecycle/node-lifecycle-controller';
import { DEFAULT_RESYNC, resync, type ResyncSchedule } from '../controllers/resync';
import { createObjectTable } from '../store/create-object-table';
import { DynamoObjectStore, type ItemChange } from '../store/dynamo-object-store';
import { TableMirror } from '../store/table-mirror';
import {
  LocalChangeLog,
  type LocalChangeLogOptions,
  type StoredObject,
} from '../store/change-log/local-change-log';
import { KINDS } from '../kinds/registry';
import type { KindInfo } from '../kinds/kind-info';
import { fromItem, kindKeyOf, refOfItem } from '../store/object-item';
import { TABLE } from '../store/table-schema';
import { startEmbeddedDynamo } from './embedded-dynamo';
import { LocalRequeue, LocalStream, type LocalStreamRecord } from './local-stream';
import { startStartupSync, type StartupSync } from './startup-sync';
import { TtlSweeper } from './ttl-sweeper';
import { localCapacity } from './local-capacity';
import type { LocalAgentsOptions } from './local-agents';
import type { RunningAgent } from '../agent/agent';
import { ensureSystemNamespaces } from '../api/system-namespaces';
import { ensureDefaultNodePool, type DefaultPoolOptions } from './default-node-pool';
import { LocalScheduler, type LocalSchedulerOptions } from './local-scheduler';
import { LOCAL_ZONE, type LocalNodeProviderOptions } from '../cloud/local/local-node-provider';

/** The table name the embedded engine uses. */
export const LOCAL_TABLE_NAME = 'skiff-objects';

export interface LocalRuntimeOptions {
  /** LevelDB folder for the objects; in memory when absent. */
  dataDir?: string;
  /** The control loops to run (default: every registered controller; none for the store alone). */
  controllers?: readonly Controller[];
  /** The node lifecycle controller's timings (default kube's: 40 s grace, 300 s toleration). */
  nodeLifecycle?: NodeLifecycleOptions;
  /** When objects are reconciled again without a change (default: 5-minute interval, 1-minute tick). */
  resync?: ResyncSchedule;
  /** How expired items (Events) are deleted, as DynamoDB's TTL does on AWS (default: every minute, by the wall clock). */
  ttl?: { sweepIntervalSeconds?: number; now?: () => Date };
  /** How long and how much the change log keeps (default: 24 hours, 200,000 records). */
  changeLog?: Pick<LocalChangeLogOptions, 'retentionSeconds' | 'maxRecords' | 'now' | 'afterObjectWritten'>;
  /**
   * The scheduler and the local capacity provider (`npm start` turns them on). Off when absent, so
   * the store and controller tests run without a scheduler writing pod conditions and Events.
   */
  capacity?: LocalCapacityOptions;
  /** Told of every accepted write, after the stream (benchmarks count writes here). */
  onWrite?: (change: ItemChange) => void;
  /**
   * Controllers that come and go while it runs (operators, custom kinds' garbage collectors; see
   * lib/local/custom-controllers.ts), asked for at each dispatch. It must answer the same array
   * until they change.
   */
  moreControllers?: () => readonly Controller[];
  /** The custom kinds served now, which the garbage collector also searches for dependents. */
  customKinds?: () => readonly KindInfo[];
  /** Where failed reconciles are reported (they are retried); default console.error. */
  logError?: (message: string, error: unknown) => void;
}

export interface LocalCapacityOptions extends Pick<
  LocalSchedulerOptions,
  'batch' | 'tickSeconds' | 'onRound' | 'now'
> {
  /** What the local provider can launch and how many of each (LocalNodeProvider's options). */
  instanceTypes?: LocalNodeProviderOptions['instanceTypes'];
  instanceLimits?: LocalNodeProviderOptions['capacity'];
  /** Tags every local instance (default `local`). */
  clusterName?: string;
  /** Makes the `local` NodePool when no pool exists (default-node-pool.ts); none when absent. */
  defaultPool?: DefaultPoolOptions;
  /** The node agents that run the local instances' pods (local-agents.ts). */
  nodes: Pick<LocalAgentsOptions, 'apiUrl' | 'nodesDir' | 'containerEngine' | 'leaseRenewSeconds'> & {
    /** Keeps the local instances between runs (with a persistent store), so their pods carry on. */
    instancesFile?: string;
  };
}

export interface LocalRuntime {
  store: DynamoObjectStore;
  /** The scheduler, when `capacity` was given. */
  scheduler?: LocalScheduler;
  /** The change log every write commits through; watches follow it. */
  changes: LocalChangeLog;
  /** Resolves once the startup sync is done and the stream holds and runs nothing (throws after `timeoutMs`). */
  idle(timeoutMs: number): Promise<void>;
  /** Runs one TTL sweep now; answers how many expired items it deleted. */
  sweepExpired(): Promise<number>;
  /** The local nodes' agents now running (tests and benchmarks stop one to fail its node). */
  agents(): Promise<RunningAgent[]>;
  /** Reconciles every stored object of these controllers' kinds once, as the startup sync does (a new operator's parents). */
  reconcileEvery(controllers: readonly Controller[]): Promise<void>;
  /** Stops the local nodes' agents and every pod process they run (idempotent; `stop` does it too). */
  stopNodes(): Promise<void>;
  /** Stops the sweeps and timers, delivers what the stream holds, then closes the engine. */
  stop(): Promise<void>;
}

/**
 * The local control plane without its HTTP server: the embedded engine, the object table, a store
 * reading through a TableMirror (this process is the table's only writer), and the controllers
 * woken as on AWS: by stream records (a LocalStream fed by the store's writes), by requeues
 * (LocalRequeue timers) and by the resync sweep. What AWS keeps durable and this process keeps in
 * memory (undelivered records, requeue timers) is made up at start by reconciling every object
 * once (startup-sync.ts). A TtlSweeper stands in for DynamoDB's TTL. `npm start` serves the API
 * over this; the controller benchmark drives it directly, so it measures exactly what runs.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const dynamo = await startEmbeddedDynamo({ dataDir: options.dataDir });
  try {
    await createObjectTable(dynamo.client, LOCAL_TABLE_NAME);
    const mirror = await TableMirror.load(dynamo.client, LOCAL_TABLE_NAME);
    const changes = await LocalChangeLog.open(
      { ...options.changeLog, client: dynamo.client, tableName: LOCAL_TABLE_NAME },
      storedObjects(mirror),
    );
    const capacity = options.capacity
      ? localCapacity(options.capacity, () => store, options.logError)
      : undefined;
    const fixed = [
      ...withNodeLifecycle(options.controllers ?? CONTROLLERS, options.nodeLifecycle),
      ...(capacity?.controllers ?? []),
    ];
    const controllers = withMore(fixed, options.moreControllers);
    // The stream's consumer and the TTL sweeper need the store, and the store feeds both: they are
    // bound below, before the first write can produce a record.
    const stream = new LocalStream({ consumer: (records) => reconcile(records) });
    // No controllers, nobody to feed.
    const feed = fixed.length > 0 || options.moreControllers ? stream.push : undefined;
    const onWrite = options.onWrite;
    const store = new DynamoObjectStore({
      client: dynamo.client,
      tableName: LOCAL_TABLE_NAME,
      mirror,
      changes,
      onChange: (change: ItemChange) => {
        // The sweeper indexes expiring items, and marks its own removals as DynamoDB's TTL does.
        const recorded = ttl.observe(change);
        feed?.(recorded);
        scheduler?.observe(change);
        onWrite?.(change);
      },
    });
    const scheduler = capacity
      ? new LocalScheduler({
          ...options.capacity,
          client: dynamo.client,
          tableName: LOCAL_TABLE_NAME,
          store,
          provider: capacity.provider,
          zones: [LOCAL_ZONE],
          onTick: capacity.onTick,
          logError: options.logError,
        })
      : undefined;
    const ttl = new TtlSweeper({
      store,
      intervalSeconds: options.ttl?.sweepIntervalSeconds,
      now: options.ttl?.now,
      logError: options.logError,
    });
    for (const kind of ttl.expiringKinds)
      ttl.seed(mirror.query(TABLE.kindKey, kindKeyOf(kind), TABLE.namespacedName));
    const dispatchOptions: DispatchOptions = {
      get controllers() {
        return controllers();
      },
      // Controllers record their Events in the store, each under its own name, as on AWS.
      context: {
        ...storeReconcileContext(store),
        ...(options.customKinds ? { customKinds: options.customKinds } : {}),
      },
      logError: options.logError,
    };
    const requeue = new LocalRequeue(dispatchOptions);
    const reconcile = async (records: LocalStreamRecord[]) => {
      const result = await dispatch(records, dispatchOptions);
      requeue.add(result.requeues);
      return result;
    };
    if (options.capacity?.defaultPool) {
      // The pool's first launch records Events in `default`: the system namespaces come first.
      await ensureSystemNamespaces(store);
      await ensureDefaultNodePool(store, options.capacity.defaultPool);
    }
    // The last run's nodes start their agents again, which take over the pods bound to them.
    capacity?.provider.resume();
    const startupSync = startStartupSync(dispatchOptions, requeue);
    const sweeps = new Set<StartupSync>();
    const resyncTimer = startResync(dispatchOptions, options.resync ?? DEFAULT_RESYNC, requeue);
    ttl.start();
    const expiry = setInterval(() => {
      changes.expire().catch((error: unknown) => console.error('change log expiry failed', error));
    }, LOG_EXPIRY_INTERVAL_MS);
    expiry.unref();
    return {
      store,
      changes,
      ...(scheduler ? { scheduler } : {}),
      idle: async (timeoutMs) => {
        const deadline = Date.now() + timeoutMs;
        await withDeadline(startupSync.done, timeoutMs, 'the startup sync');
        await stream.idle(Math.max(0, deadline - Date.now()));
      },
      sweepExpired: () => ttl.sweep(),
      reconcileEvery: async (some) => {
        const sync = startStartupSync({ ...dispatchOptions, controllers: some }, requeue);
        sweeps.add(sync);
        await sync.done.finally(() => sweeps.delete(sync));
      },
      agents: async () => (capacity ? capacity.agents.running() : []),
      stopNodes: async () => {
        await capacity?.agents.stop();
      },
      stop: async () => {
        // Sweeps and timers first, then what the stream holds (reconciles it runs may still
        // write), then the engine.
        clearInterval(expiry);
        await scheduler?.stop();
        // No pod process may outlive the control plane (Ctrl-C): every agent stops its pods.
        await capacity?.agents.stop();
        await startupSync.stop();
        for (const sweep of sweeps) await sweep.stop();
        await ttl.stop();
        await resyncTimer.stop();
        await requeue.stop();
        await stream.stop();
        await dynamo.stop();
      },
    };
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
}

/** The controllers with the node lifecycle controller built with these timings, when given. */
function withNodeLifecycle(
  controllers: readonly Controller[],
  timings: NodeLifecycleOptions | undefined,
): readonly Controller[] {
  if (!timings) return controllers;
  const configured = nodeLifecycleController(timings);
  return controllers.map((controller) => (controller.name === configured.name ? configured : controller));
}

/**
 * The controllers to dispatch to now: the fixed ones and, when given, those that come and go. The
 * same array is answered until `more` answers a new one, so what is derived per list is kept.
 */
function withMore(
  fixed: readonly Controller[],
  more: (() => readonly Controller[]) | undefined,
): () => readonly Controller[] {
  if (!more) return () => fixed;
  let last: readonly Controller[] | undefined;
  let all = fixed;
  return () => {
    const now = more();
    if (now !== last) {
      last = now;
      all = [...fixed, ...now];
    }
    return all;
  };
}

/** How often the change log drops records past its retention. */
const LOG_EXPIRY_INTERVAL_MS = 60_000;

/** The objects a mirror holds, for the change log's replay at start (corrupt items left out). */
export function* storedObjects(mirror: TableMirror): Iterable<StoredObject> {
  const kinds = new Map(KINDS.map((kind) => [kindKeyOf(kind), kind]));
  for (const item of mirror.all()) {
    const kindKey = item[TABLE.kindKey]?.S ?? '';
    const kind = kinds.get(kindKey);
    if (!kind) continue;
    try {
      const ref = refOfItem(item, kind);
      yield { kindKey, namespace: ref.namespace ?? '', name: ref.name, object: fromItem(item, kind) };
    } catch {
      // A corrupt item: the store reports it when read; its writes were logged before it broke.
    }
  }
}

/**
 * The local resync tick (lib/controllers/resync.ts), as the EventBridge rule runs it on AWS: a
 * sweep per tick, never two at once, its requeues handed to the local requeue timers.
 */
function startResync(dispatchOptions: DispatchOptions, schedule: ResyncSchedule, requeue: LocalRequeue) {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = resync(dispatchOptions.controllers, dispatchOptions.context, schedule, dispatchOptions.logError)
      .then((result) => requeue.add(result.requeues))
      .catch((error: unknown) => console.error('resync sweep failed', error))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, schedule.tickSeconds * 1000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

/** `promise`, or a failure naming `what` once `timeoutMs` has passed. */
function withDeadline(promise: Promise<void>, timeoutMs: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
