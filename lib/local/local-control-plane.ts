import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiHandler } from '../api/api-handler';
import { dispatch, type DispatchOptions } from '../controllers/dispatcher';
import { storeReconcileContext } from '../controllers/events/store-event-recorders';
import type { Controller } from '../controllers/controller';
import { CONTROLLERS } from '../controllers/registry';
import { DEFAULT_RESYNC, resync, type ResyncSchedule } from '../controllers/resync';
import { createObjectTable } from '../store/create-object-table';
import { DynamoObjectStore } from '../store/dynamo-object-store';
import { TableMirror } from '../store/table-mirror';
import { startEmbeddedDynamo } from './embedded-dynamo';
import { httpListener } from './http-adapter';
import { LocalRequeue, LocalStream, type LocalStreamRecord } from './local-stream';

export interface LocalControlPlaneOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** LevelDB folder for the objects; in memory when absent. */
  dataDir?: string;
  /** The control loops to run (default: every registered controller; none to serve the API alone). */
  controllers?: readonly Controller[];
  /** When objects are reconciled again without a change (default: 5-minute interval, 1-minute tick). */
  resync?: ResyncSchedule;
}

export interface LocalControlPlane {
  url: string;
  /** Stops accepting requests, finishes those in flight, delivers the stream's records, then closes the engine. */
  stop(): Promise<void>;
}

/** The table name the embedded engine uses. */
export const LOCAL_TABLE_NAME = 'skiff-objects';

/**
 * The whole control plane in this process: the embedded engine, the object table, the same API
 * handler the Lambda runs, served over HTTP on loopback only, and the controllers, woken as on AWS:
 * by stream records (a LocalStream fed by the store's writes) and by requeues (LocalRequeue timers).
 */
export async function startLocalControlPlane(options: LocalControlPlaneOptions): Promise<LocalControlPlane> {
  const dynamo = await startEmbeddedDynamo({ dataDir: options.dataDir });
  try {
    await createObjectTable(dynamo.client, LOCAL_TABLE_NAME);
    // This process is the embedded table's only writer, so its reads can come from a mirror.
    const mirror = await TableMirror.load(dynamo.client, LOCAL_TABLE_NAME);
    // The stream's consumer needs the store and the store feeds the stream: the consumer is bound
    // below, before the first write can produce a record.
    const controllers = options.controllers ?? CONTROLLERS;
    const stream = new LocalStream({ consumer: (records) => reconcile(records) });
    const store = new DynamoObjectStore({
      client: dynamo.client,
      tableName: LOCAL_TABLE_NAME,
      mirror,
      // With no controllers there is nobody to feed: the API runs without a stream.
      ...(controllers.length > 0 ? { onChange: stream.push } : {}),
    });
    const dispatchOptions: DispatchOptions = {
      controllers,
      // Controllers record their Events in the store, each under its own name, as on AWS.
      context: storeReconcileContext(store),
    };
    const requeue = new LocalRequeue(dispatchOptions);
    const reconcile = async (records: LocalStreamRecord[]) => {
      const result = await dispatch(records, dispatchOptions);
      requeue.add(result.requeues);
      return result;
    };
    const resyncTimer = startResync(dispatchOptions, options.resync ?? DEFAULT_RESYNC, requeue);
    const server = createServer({ keepAliveTimeout: 5000 }, httpListener(createApiHandler({ store })));
    await listen(server, options.port);
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      stop: async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        // Timers first, then what the stream holds (reconciles it runs may still write), then the engine.
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

/**
 * The local resync tick (lib/controllers/resync.ts), as the EventBridge rule runs it on AWS: a
 * sweep per tick, never two at once, its requeues handed to the local requeue timers.
 */
function startResync(dispatchOptions: DispatchOptions, schedule: ResyncSchedule, requeue: LocalRequeue) {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = resync(dispatchOptions.controllers, dispatchOptions.context, schedule)
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

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}
