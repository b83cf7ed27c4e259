import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { LAMBDA_NODE_OPTIONS, toEsbuildOptions } from '../infra/bundle-options';
import {
  SKIFF_API_URL,
  SKIFF_CLUSTER_NAME,
  SKIFF_LAUNCH_TEMPLATE_ID,
  SKIFF_REQUEUE_QUEUE_URL,
  SKIFF_TABLE_NAME,
} from '../lib/config/env-names';
import { SKIFF_OPERATOR_ROUTES } from '../lib/operators/operator-fan-out';
import { SKIFF_OPERATOR_PARENT } from '../lib/operators/operator-function';

const FUNCTIONS_DIR = path.resolve(__dirname, '../functions');
const SPAWNS = 5;

/**
 * What a cold start sees: the environment a deployed function gets (config it parses at module
 * scope, the same NODE_OPTIONS), and nothing inherited from the shell running the bench.
 */
const COLD_START_ENV = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'us-east-1',
  NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
  [SKIFF_TABLE_NAME]: 'skiff-bench',
  // The reconciler functions also need their queue (never contacted: only the import is timed).
  [SKIFF_REQUEUE_QUEUE_URL]: 'https://sqs.us-east-1.amazonaws.com/123456789012/skiff-bench-requeue',
  // The schedule function's cluster and launch template (never contacted either).
  [SKIFF_CLUSTER_NAME]: 'skiff-bench',
  [SKIFF_LAUNCH_TEMPLATE_ID]: 'lt-0123456789abcdef0',
  // An operator's function (the example's) and the operators' fan-out, as an Operator configures them.
  [SKIFF_API_URL]: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/',
  [SKIFF_OPERATOR_PARENT]: JSON.stringify({
    group: 'web.skiff.dev',
    version: 'v1alpha1',
    kind: 'StaticSite',
    plural: 'staticsites',
    namespaced: true,
    hasStatus: true,
  }),
  [SKIFF_OPERATOR_ROUTES]: '[]',
};

/** What a function's bundle resolves elsewhere, as the stack gives it (the operator function bundles the example). */
const ALIASES: Record<string, Record<string, string>> = {
  operator: {
    'skiff-operator-module': path.resolve(__dirname, '../examples/operators/static-site/operator.ts'),
  },
};

export interface BundleMeasurement {
  /** The function's folder under functions/, e.g. `api`. */
  name: string;
  /** Size of the minified bundle (without its source map). */
  bytes: number;
  /** Median over fresh `node` processes of the time to require the bundle. */
  coldImportMs: number;
}

/**
 * Bundles every `functions/<name>/handler.ts` exactly as the stack does (infra/bundle-options.ts)
 * and measures what drives cold starts: bundle size and module load time. Requires run one at a
 * time so they do not compete for the CPU. Uses this machine's node (Lambda runs Node 22).
 */
export async function measureBundles(): Promise<BundleMeasurement[]> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'skiff-bundles-'));
  try {
    const measurements: BundleMeasurement[] = [];
    for (const name of await functionNames()) {
      const outfile = path.join(outDir, name, 'index.js');
      await build(toEsbuildOptions(path.join(FUNCTIONS_DIR, name, 'handler.ts'), outfile, ALIASES[name]));
      const { size } = await stat(outfile);
      measurements.push({ name, bytes: size, coldImportMs: await medianColdImportMs(outfile) });
    }
    return measurements;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

async function functionNames(): Promise<string[]> {
  const entries = await readdir(FUNCTIONS_DIR, { withFileTypes: true });
  const names: string[] = [];
  for (const entry of entries) {
    const handler = path.join(FUNCTIONS_DIR, entry.name, 'handler.ts');
    if (entry.isDirectory() && (await stat(handler).catch(() => undefined))) names.push(entry.name);
  }
  return names.sort();
}

async function medianColdImportMs(bundle: string): Promise<number> {
  const script = `const t=performance.now();require(${JSON.stringify(bundle)});process.stdout.write(String(performance.now()-t))`;
  const samples: number[] = [];
  for (let i = 0; i < SPAWNS; i++) {
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { env: COLD_START_ENV });
    samples.push(Number(stdout));
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

if (require.main === module) {
  measureBundles().then(
    (rows) =>
      console.table(
        rows.map((row) => ({
          ...row,
          kB: +(row.bytes / 1024).toFixed(1),
          coldImportMs: +row.coldImportMs.toFixed(1),
        })),
      ),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
