import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureBundles } from './bundles';
import { startServerProcess } from './support/local-server-process';
import { httpClient, runLoad, type LoadResult } from './support/load';

/**
 * `npm run bench:api`: the local HTTP API on the embedded engine (dynalite persisting to LevelDB,
 * as `npm start` runs it, in its own process) at concurrency 16, plus the Lambda bundles. Each
 * figure is printed beside the target with the ratio measured/target (<= 1.00 meets it).
 */
const CONCURRENCY = 16;
const LIST_SIZE = 1000;

const DEPLOYMENTS = (ns: string) => `/apis/apps/v1/namespaces/${ns}/deployments`;

function deployment(name: string, replicas = 1) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name, bench: 'api' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.27',
              ports: [{ containerPort: 80 }],
              resources: { requests: { cpu: '250m', memory: '128Mi' }, limits: { memory: '256Mi' } },
            },
          ],
        },
      },
    },
  };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-bench-'));
  const server = await startServerProcess(['--data-dir', dataDir]);
  const { send, close } = httpClient(server.url, CONCURRENCY);
  const results: [string, LoadResult, number][] = [];
  try {
    for (const ns of ['bench-list', 'bench-create'])
      await send({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: ns } } });
    await send({ method: 'POST', path: DEPLOYMENTS('default'), body: deployment('bench-get') });
    await runLoad(
      send,
      LIST_SIZE,
      CONCURRENCY,
      (i) => ({ method: 'POST', path: DEPLOYMENTS('bench-list'), body: deployment(`item-${i}`) }),
      201,
    );

    // Warm-up so the JIT has compiled the hot paths before anything is timed.
    await runLoad(
      send,
      300,
      CONCURRENCY,
      () => ({ method: 'GET', path: `${DEPLOYMENTS('default')}/bench-get` }),
      200,
    );

    const get = await runLoad(
      send,
      3000,
      CONCURRENCY,
      () => ({ method: 'GET', path: `${DEPLOYMENTS('default')}/bench-get` }),
      200,
    );
    results.push(['get', get, 20]);

    const list = await runLoad(
      send,
      160,
      CONCURRENCY,
      () => ({ method: 'GET', path: DEPLOYMENTS('bench-list') }),
      200,
    );
    results.push([`list (${LIST_SIZE} objects)`, list, 250]);

    const create = await runLoad(
      send,
      2000,
      CONCURRENCY,
      (i) => ({ method: 'POST', path: DEPLOYMENTS('bench-create'), body: deployment(`created-${i}`) }),
      201,
    );
    results.push(['create', create, 40]);

    // Each worker updates its own objects in turn, replica count changing every time: no conflicts, every write real.
    const update = await runLoad(
      send,
      2000,
      CONCURRENCY,
      (i, worker) => ({
        method: 'PUT',
        path: `${DEPLOYMENTS('bench-create')}/created-${worker * 100 + (i % 100)}`,
        body: deployment(`created-${worker * 100 + (i % 100)}`, 2 + (i % 50)),
      }),
      200,
    );
    results.push(['update', update, 40]);
  } finally {
    close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  console.log(`\nLocal HTTP API, embedded engine (dynalite + LevelDB), concurrency ${CONCURRENCY}`);
  console.log('operation              requests  req/s    p50 ms   p99 ms   p99 target  ratio');
  for (const [name, r, target] of results)
    console.log(
      `${name.padEnd(22)} ${String(r.requests).padStart(8)}  ${r.throughput.toFixed(0).padStart(6)}  ${r.p50.toFixed(1).padStart(7)}  ${r.p99.toFixed(1).padStart(7)}  ${String(target).padStart(10)}  ${(r.p99 / target).toFixed(2)}`,
    );

  console.log('\nLambda bundles (minified, as infra/bundle-options.ts builds them)');
  console.log('function   bytes     target     ratio  cold import ms  target  ratio');
  for (const b of await measureBundles())
    console.log(
      `${b.name.padEnd(10)} ${String(b.bytes).padStart(8)}  ${String(500_000).padStart(8)}  ${(b.bytes / 500_000).toFixed(2).padStart(6)}  ${b.coldImportMs.toFixed(0).padStart(14)}  ${'300'.padStart(6)}  ${(b.coldImportMs / 300).toFixed(2)}`,
    );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
