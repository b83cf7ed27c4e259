import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';

/** A DynamoDB engine running inside this process: dynalite on loopback. */
export interface EmbeddedDynamo {
  endpoint: string;
  client: DynamoDBClient;
  /** Stops serving and closes the LevelDB store, flushing every acknowledged write. */
  stop(): Promise<void>;
}

/**
 * Starts dynalite on 127.0.0.1 (a free port). With `dataDir` the tables live in LevelDB there and
 * survive restarts; without it they live in memory.
 */
export async function startEmbeddedDynamo(options: { dataDir?: string } = {}): Promise<EmbeddedDynamo> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const server = dynalite({
    path: options.dataDir,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    // dynalite checks that credentials are present, not what they are.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
  return {
    endpoint,
    client,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        client.destroy();
        server.close((error?: Error) => (error ? reject(error) : resolve()));
      }),
  };
}
