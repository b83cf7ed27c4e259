import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureBundles } from './bundles';
import { measureListScaling, printListScaling } from './support/list-scaling';
import { benchDeployment } from './support/bench-deployment';
import { spawnLocalServer } from '../test/support/spawn-local-server';
import { httpClient, runLoad, type LoadResult } from './support/load';

/**
 * `npm run bench:api`: the local HTTP API on the embedded engine (dynalite persisting to LevelDB,
 * as `npm start` runs it, in its own process) at concurrency 16, plus the Lambda bundles. Each
 * figure is printed beside the target with the ratio measured/target (<= 1.00 meets it).
 * `--quick` (as CI runs it) takes one round of a tenth of the requests: it proves the benchmark
 * still runs, and its figures are rougher.
 */
const QUICK = process.argv.includes('--quick');
const CONCURRENCY = 16;
const LIST_SIZE = QUICK ? 100 : 1000;
/** Each operation runs this many rounds; the round with the median p99 is reported. */
const ROUNDS = QUICK ? 1 : 3;
/** Requests per round scale down by this in quick mode. */
const SCALE = QUICK ? 10 : 1;
/** Objects each update worker owns and updates in turn. */
const OWNED = 100 / SCALE;

const DEPLOYMENTS = (ns: string) => `/apis/apps/v1/namespaces/${ns}/deployments`;

const deployment = (name: string, namespace: string, replicas = 1) =>
  benchDeployment({ name, namespace, replicas, bench: 'api' });

/** Runs `measure` ROUNDS times and keeps the round whose p99 is the median: one slow round (a LevelDB compaction, say) neither hides nor dominates. */
async function medianRound(
  measure: () => Promise<LoadResult>,
): Promise<LoadResult & { roundP99s: number[] }> {
  const rounds: LoadResult[] = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await measure());
  const roundP99s = rounds.map((r) => r.p99);
  rounds.sort((a, b) => a.p99 - b.p99);
  return { ...rounds[Math.floor(ROUNDS / 2)], roundP99s };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-bench-'));
  // The API alone: with controllers on, every Deployment created here would also set off its
  // ReplicaSet, pod and Events, and the figures would measure that cascade, not the API.
  const server = await spawnLocalServer({ args: ['--data-dir', dataDir, '--api-only'] });
  const { send, close } = httpClient(server.url, CONCURRENCY);
  const results: [string, LoadResult & { roundP99s: number[] }, number][] = [];
  try {
    for (const ns of ['bench-list', 'bench-create'])
      await send({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: ns } } });
    await send({ method: 'POST', path: DEPLOYMENTS('default'), body: deployment('bench-get', 'default') });
    await runLoad(
      send,
      LIST_SIZE,
      CONCURRENCY,
      (i) => ({
        method: 'POST',
        path: DEPLOYMENTS('bench-list'),
        body: deployment(`item-${i}`, 'bench-list'),
      }),
      201,
    );

    // Warm-up so the JIT has compiled the hot paths before anything is timed.
    await runLoad(
      send,
      300 / SCALE,
      CONCURRENCY,
      () => ({ method: 'GET', path: `${DEPLOYMENTS('default')}/bench-get` }),
      200,
    );

    const getPath = `${DEPLOYMENTS('default')}/bench-get`;
    const get = await medianRound(() =>
      runLoad(send, 3000 / SCALE, CONCURRENCY, () => ({ method: 'GET', path: getPath }), 200),
    );
    results.push(['get', get, 20]);

    const list = await medianRound(() =>
      runLoad(
        send,
        160 / SCALE,
        CONCURRENCY,
        () => ({ method: 'GET', path: DEPLOYMENTS('bench-list') }),
        200,
      ),
    );
    results.push([`list (${LIST_SIZE} objects)`, list, 250]);

    let round = 0;
    const created = (r: number, i: number) => `created-${r}-${i}`;
    const create = await medianRound(() => {
      round++;
      return runLoad(
        send,
        2000 / SCALE,
        CONCURRENCY,
        (i) => ({
          method: 'POST',
          path: DEPLOYMENTS('bench-create'),
          body: deployment(created(round, i), 'bench-create'),
        }),
        201,
      );
    });
    results.push(['create', create, 40]);

    // Each worker updates its own objects in turn, and every PUT raises that object's replica
    // count: no conflicts, and every write changes the stored object (checked below).
    const updates = new Map<string, number>();
    const update = await medianRound(() =>
      runLoad(
        send,
        2000 / SCALE,
        CONCURRENCY,
        (i, worker) => {
          const name = created(1, worker * OWNED + (i % OWNED));
          const count = (updates.get(name) ?? 0) + 1;
          updates.set(name, count);
          return {
            method: 'PUT',
            path: `${DEPLOYMENTS('bench-create')}/${name}`,
            body: deployment(name, 'bench-create', 1 + count),
          };
        },
        200,
      ),
    );
    await expectEveryUpdateChanged(send, updates);
    results.push(['update', update, 40]);
  } finally {
    close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  console.log(
    `\nLocal HTTP API (npm start --api-only), embedded engine (dynalite + LevelDB), concurrency ${CONCURRENCY}, median of ${ROUNDS} rounds`,
  );
  console.log(
    'operation              requests  req/s    p50 ms   p99 ms   p99 target  ratio  p99 of each round',
  );
  for (const [name, r, target] of results)
    console.log(
      `${name.padEnd(22)} ${String(r.requests).padStart(8)}  ${r.throughput.toFixed(0).padStart(6)}  ${r.p50.toFixed(1).padStart(7)}  ${r.p99.toFixed(1).padStart(7)}  ${String(target).padStart(10)}  ${(r.p99 / target).toFixed(2)}   ${r.roundP99s.map((p) => p.toFixed(1)).join(' / ')}`,
    );

  // In this process, on a runtime of its own: the figure is CPU time, so the load above is over.
  printListScaling(await measureListScaling(QUICK ? 10_000 : 100_000));

  console.log('\nLambda bundles (minified, as infra/bundle-options.ts builds them)');
  console.log('function   bytes     target     ratio  cold import ms  target  ratio');
  for (const b of await measureBundles())
    console.log(
      `${b.name.padEnd(10)} ${String(b.bytes).padStart(8)}  ${String(500_000).padStart(8)}  ${(b.bytes / 500_000).toFixed(2).padStart(6)}  ${b.coldImportMs.toFixed(0).padStart(14)}  ${'300'.padStart(6)}  ${(b.coldImportMs / 300).toFixed(2)}`,
    );
}

/** generation moves only when the spec changes: one per update means no update was a no-op. */
async function expectEveryUpdateChanged(
  send: ReturnType<typeof httpClient>['send'],
  updates: Map<string, number>,
): Promise<void> {
  for (const [name, count] of updates) {
    const answer = await send({ method: 'GET', path: `${DEPLOYMENTS('bench-create')}/${name}` });
    const generation = (JSON.parse(answer.body) as { metadata: { generation: number } }).metadata.generation;
    if (generation !== 1 + count)
      throw new Error(`${name}: generation ${generation} after ${count} updates: some changed nothing`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
