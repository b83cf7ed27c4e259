import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { parse } from 'yaml';
import { addStaticSiteOperator } from '../examples/operators/static-site/cdk';
import { Operator } from '../infra/constructs/operator';
import { SkiffStack } from '../infra/skiff-stack';
import { KubeClient } from '../lib/client/kube-client';
import { costFigures } from '../lib/cost/report';
import { inventoryOf, type CfnTemplate } from '../lib/cost/stack-inventory';
import { startLocalControlPlane } from '../lib/local/local-control-plane';
import type { ItemChange } from '../lib/store/dynamo-object-store';
import { TABLE } from '../lib/store/table-schema';
import { percentile } from './support/load';

/**
 * `npm run bench:operators`: the example StaticSite operator loaded by the local control plane
 * (in process, embedded engine, as `npm start -- --operators` runs it), and the cost model over a
 * stack with 100 Operators. Figures beside their targets with the ratio measured/target.
 *
 * 1. Create to children: a StaticSite is POSTed through the API; the clock stops at the write that
 *    stores the last of its three children (ConfigMap, Deployment, Service). One site at a time,
 *    after a warm-up, so each figure is one sync's path: stream record, reconcile, hook, API writes.
 * 2. 100 idle operators on AWS: the idle monthly cost of the stack with them minus without.
 */
const QUICK = process.argv.includes('--quick');
const SITES = QUICK ? 20 : 200;
const WARM_UP = QUICK ? 3 : 20;
const TARGET_P99_MS = 200;
const TARGET_IDLE_USD = 0;
const ROOT = path.resolve(__dirname, '..');

/** Resolves when the three children of `site` in `namespace` are all stored. */
class ChildWrites {
  private readonly waiting = new Map<string, { left: Set<string>; done: () => void }>();

  observe = (change: ItemChange): void => {
    const item = change.newItem;
    if (!item || change.oldItem) return; // creates only
    const key = `${item[TABLE.partitionKey]?.S ?? ''}|${item[TABLE.sortKey]?.S ?? ''}`;
    for (const [site, wait] of this.waiting)
      if (wait.left.delete(key) && wait.left.size === 0) {
        this.waiting.delete(site);
        wait.done();
      }
  };

  until(namespace: string, site: string): Promise<void> {
    return new Promise((done) =>
      this.waiting.set(`${namespace}/${site}`, {
        left: new Set([
          `core/ConfigMap#${namespace}|${site}-files`,
          `apps/Deployment#${namespace}|${site}`,
          `core/Service#${namespace}|${site}`,
        ]),
        done,
      }),
    );
  }
}

async function createToChildren(): Promise<number[]> {
  const children = new ChildWrites();
  const plane = await startLocalControlPlane({
    port: 0,
    operatorsPath: path.join(ROOT, 'examples/operators/static-site'),
    onWrite: children.observe,
  });
  try {
    const client = new KubeClient({ server: plane.url });
    const crd = parse(
      readFileSync(path.join(ROOT, 'examples/customresourcedefinition.yaml'), 'utf8'),
    ) as object;
    await client.create({ apiVersion: 'apiextensions.k8s.io/v1', plural: 'customresourcedefinitions' }, crd);
    await client.create({ apiVersion: 'v1', plural: 'namespaces' }, { metadata: { name: 'bench' } });
    const sites = { apiVersion: 'web.skiff.dev/v1alpha1', plural: 'staticsites', namespace: 'bench' };
    const latencies: number[] = [];
    for (let i = 0; i < WARM_UP + SITES; i++) {
      const name = `site-${i}`;
      const stored = children.until('bench', name);
      const started = performance.now();
      await client.create(sites, {
        apiVersion: 'web.skiff.dev/v1alpha1',
        kind: 'StaticSite',
        metadata: { name },
        spec: { replicas: 1, files: { 'index.html': `<h1>${name}</h1>` } },
      });
      await withDeadline(stored, 10_000, `the children of ${name}`);
      if (i >= WARM_UP) latencies.push(performance.now() - started);
    }
    return latencies.sort((a, b) => a - b);
  } finally {
    await plane.stop();
  }
}

/** The idle monthly cost the cost model gives a stack with `operators` Operators (functions not bundled). */
function idleWith(operators: number): number {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new SkiffStack(app, 'Skiff');
  if (operators > 0) addStaticSiteOperator(stack, stack);
  for (let i = 1; i < operators; i++)
    new Operator(stack, `Extra${i}`, {
      skiff: stack,
      crd: {
        metadata: { name: `things${i}.bench.dev` },
        spec: {
          group: 'bench.dev',
          scope: 'Namespaced',
          names: { plural: `things${i}`, kind: `Thing${i}` },
          versions: [{ name: 'v1', served: true, storage: true }],
        },
      },
      handler: path.join(ROOT, 'examples/operators/static-site/operator.ts'),
      childKinds: [{ apiVersion: 'batch/v1', kind: 'CronJob' }],
    });
  const template = app.synth().getStackArtifact(stack.artifactId).template as CfnTemplate;
  return costFigures(inventoryOf(template)).idle;
}

function withDeadline(promise: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} were not stored within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const ratio = (value: number, target: number) =>
  target === 0 ? (value === 0 ? 'meets' : 'MISSES') : `${(value / target).toFixed(2)}x`;

async function main(): Promise<void> {
  console.log(`bench:operators${QUICK ? ' (quick)' : ''}: ${SITES} StaticSites after ${WARM_UP} to warm up`);
  const latencies = await createToChildren();
  const p50 = percentile(latencies, 0.5);
  const p99 = percentile(latencies, 0.99);
  console.log(
    `create to children stored: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms`,
  );
  console.log(`  p99 target <= ${TARGET_P99_MS} ms: ${ratio(p99, TARGET_P99_MS)}`);
  const none = idleWith(0);
  const hundred = idleWith(100);
  const added = Math.max(0, hundred - none);
  console.log(
    `idle cost, no operators: $${none.toFixed(4)}/month; with 100 operators: $${hundred.toFixed(4)}/month`,
  );
  console.log(
    `  100 idle operators add $${added.toFixed(4)}/month (target $${TARGET_IDLE_USD}): ${ratio(added, TARGET_IDLE_USD)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
