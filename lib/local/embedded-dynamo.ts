import { mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { withoutResponseLogging } from '../store/dynamo-client-tuning';

/** A DynamoDB engine running inside this process: dynalite on loopback, on its own thread. */
export interface EmbeddedDynamo {
  endpoint: string;
  client: DynamoDBClient;
  /** Stops serving and closes the LevelDB store, flushing every acknowledged write. */
  stop(): Promise<void>;
}

/**
 * dynalite runs in a worker thread: the engine's work (its HTTP server, LevelDB, checksums) then
 * uses the machine's second core instead of queueing behind the API on the main event loop,
 * which halves request latency under load. Plain JavaScript, evaluated in the worker, so it needs
 * no TypeScript loader there.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const dynalite = require(workerData.modulePath);
const server = dynalite(workerData.options);
server.on('error', (error) => parentPort.postMessage({ error: String(error) }));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (message) => {
  if (message === 'stop') server.close((error) => parentPort.postMessage({ stopped: true, error: error ? String(error) : undefined }));
});
`;

type WorkerMessage = { port?: number; error?: string; stopped?: boolean };

/**
 * Starts dynalite on 127.0.0.1 (a free port). With `dataDir` the tables live in LevelDB there and
 * survive restarts; without it they live in memory.
 */
export async function startEmbeddedDynamo(options: { dataDir?: string } = {}): Promise<EmbeddedDynamo> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      modulePath: require.resolve('dynalite'),
      options: { path: options.dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 },
    },
  });
  const next = () =>
    new Promise<WorkerMessage>((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`the dynalite worker exited with code ${code}`));
      worker.once('exit', onExit);
      worker.once('error', reject);
      worker.once('message', (message: WorkerMessage) => {
        worker.off('exit', onExit);
        worker.off('error', reject);
        resolve(message);
      });
    });
  const started = await next();
  if (started.port === undefined) {
    await worker.terminate();
    throw new Error(`dynalite did not start: ${started.error}`);
  }
  const endpoint = `http://127.0.0.1:${started.port}`;
  const client = withoutResponseLogging(
    new DynamoDBClient({
      endpoint,
      region: 'local',
      // dynalite checks that credentials are present, not what they are.
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 3,
    }),
  );
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      const stopped = next();
      worker.postMessage('stop');
      const answer = await stopped;
      await worker.terminate();
      if (answer.error) throw new Error(`dynalite did not close cleanly: ${answer.error}`);
    },
  };
}
