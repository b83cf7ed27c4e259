import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiHandler } from '../api/api-handler';
import { createObjectTable } from '../store/create-object-table';
import { DynamoObjectStore } from '../store/dynamo-object-store';
import { TableMirror } from '../store/table-mirror';
import { startEmbeddedDynamo } from './embedded-dynamo';
import { httpListener } from './http-adapter';

export interface LocalControlPlaneOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** LevelDB folder for the objects; in memory when absent. */
  dataDir?: string;
}

export interface LocalControlPlane {
  url: string;
  /** Stops accepting requests, finishes those in flight, then closes the engine. */
  stop(): Promise<void>;
}

/** The table name the embedded engine uses. */
export const LOCAL_TABLE_NAME = 'skiff-objects';

/**
 * The whole control plane in this process: the embedded engine, the object table, and the same API
 * handler the Lambda runs, served over HTTP on loopback only.
 */
export async function startLocalControlPlane(options: LocalControlPlaneOptions): Promise<LocalControlPlane> {
  const dynamo = await startEmbeddedDynamo({ dataDir: options.dataDir });
  try {
    await createObjectTable(dynamo.client, LOCAL_TABLE_NAME);
    // This process is the embedded table's only writer, so its reads can come from a mirror.
    const mirror = await TableMirror.load(dynamo.client, LOCAL_TABLE_NAME);
    const store = new DynamoObjectStore({ client: dynamo.client, tableName: LOCAL_TABLE_NAME, mirror });
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
        await dynamo.stop();
      },
    };
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}
