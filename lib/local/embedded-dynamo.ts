import { mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { withoutResponseLogging } from '../store/dynamo-client-tuning';

/** A DynamoDB engine running inside this process: dynalite, on its own thread. */
export interface EmbeddedDynamo {
  client: DynamoDBClient;
  /** Closes the LevelDB store, flushing every acknowledged write. */
  stop(): Promise<void>;
}

/**
 * dynalite runs in a worker thread, so the engine's work (LevelDB, checksums, validation) uses
 * the machine's second core instead of queueing behind the API. The SDK client reaches it over a
 * MessagePort rather than loopback HTTP: each call is handed to dynalite's own request handler as
 * the same headers and JSON body, without sockets or HTTP parsing on either thread. The worker's
 * source is plain JavaScript, evaluated in the worker, so it needs no TypeScript loader there.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { EventEmitter } = require('node:events');
// dynalite builds its store inside dynalite() and closes it only from server.close(), which needs
// a listening server. Catching the store as it is created lets the worker close it directly, so
// the engine never opens a socket that another local process could reach.
const storeModule = require(workerData.storeModulePath);
const createStore = storeModule.create;
let store;
storeModule.create = (options) => (store = createStore(options));
const dynalite = require(workerData.modulePath);
const server = dynalite(workerData.options);
const handle = server.listeners('request')[0];
const closeStore = (done) =>
  store.lifecycleManager ? store.lifecycleManager.gracefulClose(done) : store.db.close(done);
parentPort.on('message', (message) => {
  if (message === 'stop') {
    closeStore((error) => parentPort.postMessage({ stopped: true, error: error ? String(error) : undefined }));
    return;
  }
  const req = new EventEmitter();
  Object.assign(req, { method: 'POST', url: '/', headers: message.headers });
  const res = {
    statusCode: 200,
    headers: {},
    setHeader(name, value) { this.headers[name.toLowerCase()] = String(value); },
    end(body) {
      parentPort.postMessage({ id: message.id, statusCode: this.statusCode, headers: this.headers, body: body === undefined ? '' : String(body) });
    },
  };
  handle(req, res);
  req.emit('data', Buffer.from(message.body));
  req.emit('end');
});
parentPort.postMessage({ ready: true });
`;

interface WorkerAnswer {
  id?: number;
  statusCode?: number;
  headers?: Record<string, string>;
  body?: string;
  ready?: boolean;
  stopped?: boolean;
  error?: string;
}

type AuthScheme = NonNullable<DynamoDBClientConfig['httpAuthSchemes']>[number];
type RequestHandler = NonNullable<DynamoDBClientConfig['requestHandler']>;
/** The part of the SDK's HttpRequest the engine needs. */
interface SdkRequest {
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * dynalite checks that a request carries a SigV4-shaped Authorization header, never its signature.
 * Both ends are threads of this process, so the embedded client stamps a fixed header instead of
 * signing: SigV4's hashing was a twentieth of the API thread's time on every call.
 */
const UNSIGNED_LOCAL_AUTH: AuthScheme = {
  schemeId: 'aws.auth#sigv4',
  identityProvider: (config) => config.getIdentityProvider('aws.auth#sigv4'),
  signer: {
    sign: async (request) => {
      request.headers['x-amz-date'] = '20260101T000000Z';
      request.headers.authorization =
        'AWS4-HMAC-SHA256 Credential=local/20260101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=unsigned';
      return request;
    },
  },
};

/** The SDK's request handler, carrying each call to the worker and its answer back. */
class WorkerRequestHandler {
  private nextId = 1;
  private readonly pending = new Map<number, (answer: WorkerAnswer) => void>();

  constructor(private readonly worker: Worker) {
    worker.on('message', (answer: WorkerAnswer) => {
      if (answer.id === undefined) return;
      this.pending.get(answer.id)?.(answer);
      this.pending.delete(answer.id);
    });
  }

  handle(request: SdkRequest): Promise<{ response: unknown }> {
    const id = this.nextId++;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
    // The SDK serializes to bytes, often a view into a shared pool: decoding exactly those bytes
    // to a string means only they cross to the worker (a cloned view would carry its whole buffer).
    const bytes = request.body as Uint8Array | string | undefined;
    const body =
      bytes === undefined || typeof bytes === 'string'
        ? (bytes ?? '')
        : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    return new Promise((resolve) => {
      this.pending.set(id, (answer) =>
        resolve({
          response: {
            statusCode: answer.statusCode ?? 500,
            headers: answer.headers ?? {},
            body: Buffer.from(answer.body ?? ''),
          },
        }),
      );
      this.worker.postMessage({ id, headers, body });
    });
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}

/**
 * Starts dynalite in a worker thread. With `dataDir` the tables live in LevelDB there and survive
 * restarts; without it they live in memory.
 */
export async function startEmbeddedDynamo(options: { dataDir?: string } = {}): Promise<EmbeddedDynamo> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      modulePath: require.resolve('dynalite'),
      storeModulePath: require.resolve('dynalite/db'),
      options: { path: options.dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 },
    },
  });
  const lifecycle = () =>
    new Promise<WorkerAnswer>((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`the dynalite worker exited with code ${code}`));
      const onMessage = (answer: WorkerAnswer) => {
        if (answer.id !== undefined) return;
        worker.off('exit', onExit).off('error', reject).off('message', onMessage);
        resolve(answer);
      };
      worker.once('exit', onExit).once('error', reject).on('message', onMessage);
    });
  await lifecycle();
  const client = withoutResponseLogging(
    new DynamoDBClient({
      // Never contacted: requests travel over the worker's MessagePort.
      endpoint: 'http://dynalite.embedded',
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      httpAuthSchemes: [UNSIGNED_LOCAL_AUTH],
      // The handler implements the SDK's HttpHandler contract structurally.
      requestHandler: new WorkerRequestHandler(worker) as unknown as RequestHandler,
      maxAttempts: 3,
    }),
  );
  return {
    client,
    stop: async () => {
      client.destroy();
      const stopped = lifecycle();
      worker.postMessage('stop');
      const answer = await stopped;
      await worker.terminate();
      if (answer.error) throw new Error(`dynalite did not close cleanly: ${answer.error}`);
    },
  };
}
