import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnLocalServer, type LocalServerProcess } from '../support/spawn-local-server';
import { ApiWriter, type Write } from './watch-clients/api-writer';
import { SpawnedClient } from './watch-clients/spawned-client';
import {
  ensureInformer,
  ensureKubernetesPython,
  INFORMER,
  KUBECTL,
  kubectlUnavailable,
  KUBERNETES_PYTHON,
  PYTHON_WATCH_SCRIPT,
  watchClientSkippedBanner,
  writeKubeconfig,
} from './watch-clients/watch-client-tools';

/**
 * Watch (`?watch=true`) through the clients people point at kube-apiserver: kubectl, the official
 * Python client and a client-go informer, each in its own process, against `npm start` (one
 * server for the file). Another client writes over HTTP; each test reads what the watching client
 * printed: every change, in order, with the resourceVersions the writes answered, and soon after
 * the write. Without a client, its tests are skipped under a banner, except with CI=true.
 */

/** kubectl must print a change, and `kubectl wait` return, this soon after the write's answer. */
const KUBECTL_LATENCY_MS = 1000;
/** The informer's 99th percentile of write answer to event received. */
const INFORMER_P99_LAG_MS = 200;
/** The informer test: 20 ConfigMaps, each created, updated 48 times and deleted (1,000 changes), by 4 writers. */
const INFORMER_OBJECTS = 20;
const CHANGES_PER_OBJECT = 50;
const INFORMER_WRITERS = 4;
/** An informer syncs in well under a second; client-go warns of a missing bookmark after 10 s. */
const INFORMER_SYNC_MS = 15_000;
/**
 * The two ways a client-go informer fills its cache: a list then a watch from the list's
 * resourceVersion (client-go before 1.35, or WatchListClient off), and a streaming list, one watch
 * with sendInitialEvents=true whose initial events end with a BOOKMARK annotated
 * k8s.io/initial-events-end (client-go's default since 1.35). KUBE_FEATURE_* sets client-go's gates.
 */
const INFORMER_MODES = [
  {
    how: 'listing, then watching from the list',
    namespace: 'informer-list-watch',
    env: { KUBE_FEATURE_WatchListClient: 'false' },
    syncs: 'the informer synced (a list, then a watch from its resourceVersion)',
  },
  {
    how: 'with a streaming list (sendInitialEvents, its default)',
    namespace: 'informer-watch-list',
    env: { KUBE_FEATURE_WatchListClient: 'true' },
    syncs:
      'the informer synced: its watch with sendInitialEvents=true must end the initial events with a ' +
      'BOOKMARK annotated k8s.io/initial-events-end: "true" (a server without it must refuse ' +
      'sendInitialEvents, 422 Invalid, so that client-go falls back to a list)',
  },
];

const required = process.env.CI === 'true';
const missing = {
  kubectl: kubectlUnavailable(),
  'the Python client': ensureKubernetesPython(),
  'the client-go informer': ensureInformer(),
};
const remedies: Record<keyof typeof missing, string> = {
  kubectl: 'Put kubectl on PATH, or name it in SKIFF_KUBECTL.',
  'the Python client': 'npm run engines:fetch installs it (it needs python3 with venv).',
  'the client-go informer': 'npm run engines:fetch builds it (it needs Go 1.26 and the Go module proxy).',
};
for (const [client, reason] of Object.entries(missing) as [keyof typeof missing, string | undefined][])
  if (reason && !required) process.stderr.write(watchClientSkippedBanner(client, remedies[client], reason));
const itWith = (client: keyof typeof missing) => (missing[client] && !required ? it.skip : it);
function requireClient(client: keyof typeof missing): void {
  if (missing[client]) throw new Error(`${client} is required in CI: ${missing[client]}`);
}

/** kubectl -v=6 logs each request once its answer's head arrives: a watch is open once this appears. */
const WATCH_ANSWERED = /GET (\S*[?&]watch=true\S*) 200 OK/;

/** One line of watch_configmaps.py or of the informer. */
interface SeenEvent {
  type: string;
  kind?: string;
  apiVersion?: string;
  name?: string;
  resourceVersion?: string;
  seq?: string;
  receivedUnixNano: number;
  inInitialList?: boolean;
  tombstone?: boolean;
  elapsedMs?: number;
}

function parseEvent(text: string): SeenEvent {
  try {
    return JSON.parse(text) as SeenEvent;
  } catch {
    throw new Error(`not a JSON line: ${text}`);
  }
}

/** An event as the tests compare it: type, name, data.seq and resourceVersion. */
const summary = (event: SeenEvent) =>
  `${event.type} ${event.name} seq=${event.seq} rv=${event.resourceVersion ?? '?'}`;
const expected = (type: string, write: Write) =>
  `${type} ${write.object.metadata.name} seq=${write.object.data?.seq} rv=${write.object.metadata.resourceVersion}`;

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)];
}

/** The figures each test measured, printed so that a CI log shows them. */
function report(line: string): void {
  process.stderr.write(`watch-clients: ${line}\n`);
}

describe('watch, through real clients', () => {
  let server: LocalServerProcess;
  let workDir: string;
  let kubeconfig: string;
  let writer: ApiWriter;
  const clients: SpawnedClient[] = [];

  const start = (command: string, args: string[], env: Record<string, string> = {}) => {
    const client = SpawnedClient.start(command, args, env);
    clients.push(client);
    return client;
  };
  const kubectl = (namespace: string, args: string[]) =>
    start(KUBECTL, [
      '--kubeconfig',
      kubeconfig,
      '--cache-dir',
      join(workDir, 'kubectl-cache'),
      '--namespace',
      namespace,
      ...args,
    ]);
  const pythonWatch = (namespace: string, options: string[] = []) =>
    start(KUBERNETES_PYTHON, [
      PYTHON_WATCH_SCRIPT,
      '--kubeconfig',
      kubeconfig,
      '--namespace',
      namespace,
      ...options,
    ]);

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'skiff-watch-clients-'));
    server = await spawnLocalServer();
    kubeconfig = writeKubeconfig(workDir, server.url);
    writer = new ApiWriter(server.url);
  }, 90_000);
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.stop()));
    expect(server.exited()).toBeUndefined();
  });
  afterAll(async () => {
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  describe('kubectl', () => {
    itWith('kubectl')(
      `kubectl get configmaps -w prints each change another client makes, within ${KUBECTL_LATENCY_MS} ms of its answer`,
      async () => {
        requireClient('kubectl');
        const namespace = 'kubectl-get-w';
        await writer.createNamespace(namespace);
        await writer.createConfigMap(namespace, 'before', 0);
        const watcher = kubectl(namespace, ['get', 'configmaps', '-w', '--output-watch-events', '-v=6']);
        // The list comes first, then the watch from the list's resourceVersion.
        await watcher.waitForLine('the ConfigMap listed before the watch', (text) =>
          /^ADDED\s+before\s+1\s/.test(text) ? true : undefined,
        );
        await watcher.waitForStderr('the watch request answered 200', WATCH_ANSWERED);

        const latencies: number[] = [];
        let from = 0;
        const expectPrinted = async (write: Write, row: RegExp) => {
          const { line, index } = await watcher.waitForLine(
            `the row ${row}`,
            (text) => (row.test(text) ? true : undefined),
            10_000,
            from,
          );
          from = index + 1;
          latencies.push(line.at - write.respondedAt);
        };
        // The DATA column counts the keys: `seq`, then `seq` and `color`.
        await expectPrinted(await writer.createConfigMap(namespace, 'x', 1), /^ADDED\s+x\s+1\s/);
        await expectPrinted(
          await writer.updateConfigMap(namespace, 'x', 2, { color: 'blue' }),
          /^MODIFIED\s+x\s+2\s/,
        );
        await expectPrinted(await writer.deleteConfigMap(namespace, 'x'), /^DELETED\s+x\s+2\s/);

        report(
          `kubectl get configmaps -w: printed create, update, delete ${latencies.map((ms) => ms.toFixed(1)).join(', ')} ms after the answer`,
        );
        for (const latency of latencies) expect(latency).toBeLessThan(KUBECTL_LATENCY_MS);
        expect(watcher.exitStatus).toBeUndefined();
      },
    );

    itWith('kubectl')(
      'kubectl get deployment x -w prints each update of that Deployment, and nothing of another',
      async () => {
        requireClient('kubectl');
        const namespace = 'kubectl-get-one';
        await writer.createNamespace(namespace);
        await writer.createDeployment(namespace, 'x', 1);
        await writer.createDeployment(namespace, 'y', 1);
        const watcher = kubectl(namespace, ['get', 'deployment', 'x', '-w', '-v=6']);
        await watcher.waitForLine('x as it was before the watch', (text) =>
          /^x\s+0\/1\s/.test(text) ? true : undefined,
        );
        await watcher.waitForStderr('the watch request answered 200', WATCH_ANSWERED);

        // READY is readyReplicas/replicas: no controller runs, so 0 of each new count.
        const scaled = await writer.scaleDeployment(namespace, 'x', 2);
        await writer.scaleDeployment(namespace, 'y', 5);
        const scaledAgain = await writer.scaleDeployment(namespace, 'x', 3);
        const two = await watcher.waitForLine('x scaled to 2', (text) =>
          /^x\s+0\/2\s/.test(text) ? true : undefined,
        );
        const three = await watcher.waitForLine('x scaled to 3', (text) =>
          /^x\s+0\/3\s/.test(text) ? true : undefined,
        );
        expect(three.index).toBeGreaterThan(two.index);
        // y's change was written between x's two; a watch delivers in order, so it would be here by now.
        expect(watcher.lines.map((line) => line.text).filter((text) => /^y\s/.test(text))).toEqual([]);
        report(
          `kubectl get deployment x -w: printed the updates ${(two.line.at - scaled.respondedAt).toFixed(1)} and ${(three.line.at - scaledAgain.respondedAt).toFixed(1)} ms after the answer`,
        );
        expect(three.line.at - scaledAgain.respondedAt).toBeLessThan(KUBECTL_LATENCY_MS);
      },
    );

    itWith('kubectl')(
      `kubectl wait --for=delete returns within ${KUBECTL_LATENCY_MS} ms of the delete`,
      async () => {
        requireClient('kubectl');
        const namespace = 'kubectl-wait';
        await writer.createNamespace(namespace);
        await writer.createConfigMap(namespace, 'x', 0);
        const waiter = kubectl(namespace, ['wait', '--for=delete', 'configmap/x', '--timeout=30s', '-v=6']);
        // Deleting before the watch is open would let kubectl find x gone without watching.
        await waiter.waitForStderr('the watch request answered 200', WATCH_ANSWERED);
        expect(waiter.exitStatus).toBeUndefined();

        const deleted = await writer.deleteConfigMap(namespace, 'x');
        const exit = await waiter.waitForExit(10_000);
        const latency = exit.at - deleted.respondedAt;
        report(`kubectl wait --for=delete: exited ${latency.toFixed(1)} ms after the delete's answer`);
        expect({ code: exit.code, stdout: waiter.lines.map((line) => line.text) }).toEqual({
          code: 0,
          stdout: ['configmap/x condition met'],
        });
        expect(latency).toBeLessThan(KUBECTL_LATENCY_MS);
      },
    );
  });

  describe('the Python kubernetes client', () => {
    itWith('the Python client')(
      'watch.Watch().stream(list_namespaced_config_map) gets the ConfigMaps already there, then ADDED, MODIFIED and DELETED in order',
      async () => {
        requireClient('the Python client');
        const namespace = 'python-stream';
        await writer.createNamespace(namespace);
        const before = await writer.createConfigMap(namespace, 'before', 0);
        const watcher = pythonWatch(namespace, ['--until-deleted', 'x']);
        // Without a resourceVersion, a watch starts with the current state as ADDED events.
        await watcher.waitForLine('the ConfigMap already there', (text) =>
          parseEvent(text).name === 'before' ? true : undefined,
        );

        const created = await writer.createConfigMap(namespace, 'x', 0);
        const updated = await writer.updateConfigMap(namespace, 'x', 1);
        const updatedAgain = await writer.updateConfigMap(namespace, 'x', 2);
        await writer.deleteConfigMap(namespace, 'x');
        await watcher.waitForSuccess(15_000);

        const events = watcher.lines.filter((line) => line.text !== '').map((line) => parseEvent(line.text));
        expect(events.at(-1)?.type).toBe('END');
        const changes = events.slice(0, -1);
        expect(changes.map(summary)).toEqual([
          expected('ADDED', before),
          expected('ADDED', created),
          expected('MODIFIED', updated),
          expected('MODIFIED', updatedAgain),
          // A delete's event carries the object's last state, at the delete's own resourceVersion.
          expect.stringMatching(/^DELETED x seq=2 rv=\S+$/),
        ]);
        for (const event of changes)
          expect({ kind: event.kind, apiVersion: event.apiVersion }).toEqual({
            kind: 'ConfigMap',
            apiVersion: 'v1',
          });
        expect(changes.at(-1)?.resourceVersion).not.toBe(updatedAgain.object.metadata.resourceVersion);
      },
    );

    itWith('the Python client')(
      'a watch from a resourceVersion gets only the changes after it, then ends after timeoutSeconds',
      async () => {
        requireClient('the Python client');
        const namespace = 'python-resume';
        const timeoutSeconds = 2;
        await writer.createNamespace(namespace);
        const created = await writer.createConfigMap(namespace, 'x', 0);
        const updated = await writer.updateConfigMap(namespace, 'x', 1);
        const other = await writer.createConfigMap(namespace, 'y', 0);
        const updatedAgain = await writer.updateConfigMap(namespace, 'x', 2);
        await writer.deleteConfigMap(namespace, 'x');

        const watcher = pythonWatch(namespace, [
          '--resource-version',
          created.object.metadata.resourceVersion,
          '--timeout-seconds',
          String(timeoutSeconds),
          '--allow-watch-bookmarks',
        ]);
        await watcher.waitForSuccess(timeoutSeconds * 1000 + 15_000);
        const events = watcher.lines.filter((line) => line.text !== '').map((line) => parseEvent(line.text));
        const end = events.at(-1);
        expect(end?.type).toBe('END');

        // The server may send bookmarks; each carries only the kind and a resourceVersion.
        const bookmarks = events.filter((event) => event.type === 'BOOKMARK');
        for (const bookmark of bookmarks)
          expect(bookmark).toMatchObject({
            kind: 'ConfigMap',
            apiVersion: 'v1',
            name: null,
            resourceVersion: expect.stringMatching(/\S/),
          });
        const changes = events.filter((event) => event.type !== 'BOOKMARK' && event.type !== 'END');
        expect(changes.map(summary)).toEqual([
          expected('MODIFIED', updated),
          expected('ADDED', other),
          expected('MODIFIED', updatedAgain),
          expect.stringMatching(/^DELETED x seq=2 rv=\S+$/),
        ]);
        report(
          `the Python client: a watch with timeoutSeconds=${timeoutSeconds} ended after ${end?.elapsedMs?.toFixed(0)} ms, ${bookmarks.length} bookmarks`,
        );
        // The stream ends at the server's timeout: not before it, and not long after.
        expect(end?.elapsedMs).toBeGreaterThanOrEqual(timeoutSeconds * 1000 - 100);
        expect(end?.elapsedMs).toBeLessThan(timeoutSeconds * 1000 + 2000);
      },
      30_000,
    );
  });

  describe.each(INFORMER_MODES)('a client-go SharedInformer, $how', ({ namespace, env, syncs }) => {
    itWith('the client-go informer')(
      `sees each of ${INFORMER_OBJECTS * CHANGES_PER_OBJECT} changes, in order per object, with a p99 lag under ${INFORMER_P99_LAG_MS} ms`,
      async () => {
        requireClient('the client-go informer');
        await writer.createNamespace(namespace);
        const before = await writer.createConfigMap(namespace, 'before', 0);
        // -v=6: client-go logs its requests, for the transcript of a failure.
        const informer = start(INFORMER, ['-kubeconfig', kubeconfig, '-namespace', namespace, '-v=6'], env);
        const synced = await informer.waitForLine(
          syncs,
          (text) => (parseEvent(text).type === 'SYNCED' ? true : undefined),
          INFORMER_SYNC_MS,
        );
        // The ConfigMap already there is in the informer's initial state, and nothing else is.
        expect(informer.lines.slice(0, synced.index).map((line) => summary(parseEvent(line.text)))).toEqual([
          expected('ADDED', before),
        ]);
        expect(parseEvent(informer.lines[0].text).inInitialList).toBe(true);

        const names = Array.from(
          { length: INFORMER_OBJECTS },
          (_, index) => `cm-${String(index).padStart(2, '0')}`,
        );
        const writes = new Map<string, { type: string; write: Write }[]>(names.map((name) => [name, []]));
        const last = CHANGES_PER_OBJECT - 1;
        // Each writer owns some objects and goes round them, so that objects' changes interleave.
        await Promise.all(
          Array.from({ length: INFORMER_WRITERS }, async (_, writerIndex) => {
            const mine = names.filter((_, index) => index % INFORMER_WRITERS === writerIndex);
            for (let step = 0; step < CHANGES_PER_OBJECT; step += 1)
              for (const name of mine) {
                const made =
                  step === 0
                    ? { type: 'ADDED', write: await writer.createConfigMap(namespace, name, 0) }
                    : step === last
                      ? { type: 'DELETED', write: await writer.deleteConfigMap(namespace, name) }
                      : { type: 'MODIFIED', write: await writer.updateConfigMap(namespace, name, step) };
                writes.get(name)!.push(made);
              }
          }),
        );
        await informer.waitFor(
          'a DELETED event for every ConfigMap',
          () =>
            informer.lines.filter((line) => line.text.includes('"type":"DELETED"')).length >= INFORMER_OBJECTS
              ? true
              : undefined,
          30_000,
        );

        const seen = new Map<string, SeenEvent[]>(names.map((name) => [name, []]));
        for (const line of informer.lines) {
          if (line.text === '') continue;
          const event = parseEvent(line.text);
          if (event.type !== 'SYNCED') seen.get(event.name ?? '')?.push(event);
        }
        const described = (events: SeenEvent[]) =>
          events.map(
            (event) =>
              `${summary(event)}${event.tombstone ? ' (tombstone)' : ''}${event.inInitialList ? ' (initial list)' : ''}`,
          );
        const wanted = (name: string) =>
          writes
            .get(name)!
            .map(({ type, write }) =>
              type === 'DELETED'
                ? expect.stringMatching(new RegExp(`^DELETED ${name} seq=${last - 1} rv=\\S+$`))
                : expected(type, write),
            );
        for (const name of names)
          expect({ name, events: described(seen.get(name)!) }).toEqual({ name, events: wanted(name) });

        const lags = names.flatMap((name) =>
          seen
            .get(name)!
            .map(
              (event, index) =>
                event.receivedUnixNano / 1e6 - writes.get(name)![index].write.respondedAtUnixMs,
            ),
        );
        expect(lags).toHaveLength(INFORMER_OBJECTS * CHANGES_PER_OBJECT);
        const p99 = percentile(lags, 0.99);
        report(
          `client-go informer ${namespace}: ${lags.length} events, lag p50 ${percentile(lags, 0.5).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...lags).toFixed(1)} ms`,
        );
        expect(p99).toBeLessThan(INFORMER_P99_LAG_MS);
      },
      90_000,
    );
  });
});
