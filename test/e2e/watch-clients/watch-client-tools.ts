import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../support/engines/project-root';

/** kubectl from PATH (the CI image has v1.32 at /usr/bin/kubectl); SKIFF_KUBECTL names another. */
export const KUBECTL = process.env.SKIFF_KUBECTL ?? 'kubectl';
/** The Python of the virtualenv with the `kubernetes` client (scripts/engines/install-kubernetes-python.sh). */
export const KUBERNETES_PYTHON = join(PROJECT_ROOT, '.venv/kubernetes/bin/python');
/** The script it runs: `watch.Watch().stream(v1.list_namespaced_config_map, …)`, one JSON line per event. */
export const PYTHON_WATCH_SCRIPT = join(__dirname, 'watch_configmaps.py');
/** The client-go informer (test/e2e/watch-clients/informer), built by scripts/engines/build-watch-informer.sh. */
export const INFORMER = join(PROJECT_ROOT, '.cache/watch-informer/informer');

const INSTALL_TIMEOUT_MS = 300_000;
/** A cold build downloads client-go and compiles it: about 2 minutes on 2 cores. */
const BUILD_TIMEOUT_MS = 600_000;

/** Why kubectl cannot run, or undefined when it can. */
export function kubectlUnavailable(): string | undefined {
  const run = spawnSync(KUBECTL, ['version', '--client', '-o', 'json'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (run.status === 0) return undefined;
  return `${KUBECTL} version --client failed (${run.error?.message ?? `code ${run.status}`}): ${run.stderr ?? ''}`.trim();
}

/**
 * Runs one of scripts/engines/*.sh (a no-op once its result is there) and returns why `product`
 * is still missing, or undefined when it is there. Synchronous, so a test file can decide at load
 * time whether to run or skip.
 */
function ensureBy(script: string, product: string, timeoutMs: number): string | undefined {
  const run = spawnSync('bash', [join(PROJECT_ROOT, 'scripts/engines', script)], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  if (run.status === 0 && existsSync(product)) return undefined;
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().slice(-2000);
  return `scripts/engines/${script} failed (${run.error?.message ?? `code ${run.status}`}): ${output}`;
}

/** Installs the Python `kubernetes` client if `npm run engines:fetch` has not. */
export function ensureKubernetesPython(): string | undefined {
  return ensureBy('install-kubernetes-python.sh', KUBERNETES_PYTHON, INSTALL_TIMEOUT_MS);
}

/** Builds the client-go informer if `npm run engines:fetch` has not (or its sources changed). */
export function ensureInformer(): string | undefined {
  return ensureBy('build-watch-informer.sh', INFORMER, BUILD_TIMEOUT_MS);
}

/** A banner nobody scrolls past, as for a missing test engine. */
export function watchClientSkippedBanner(client: string, remedy: string, reason: string): string {
  const rule = '!'.repeat(100);
  return [
    '',
    rule,
    `!!!  WATCH TESTS WITH ${client.toUpperCase()} SKIPPED: watch is NOT tested through it. In CI (CI=true) this fails the run.`,
    `!!!  ${remedy} Reason:`,
    ...reason.split('\n').map((line) => `!!!    ${line}`),
    rule,
    '',
  ].join('\n');
}

/** A kubeconfig for `serverUrl`: plain HTTP, no credentials, namespace `namespace` by default. */
export function writeKubeconfig(dir: string, serverUrl: string, namespace = 'default'): string {
  const path = join(dir, 'kubeconfig');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'skiff', cluster: { server: serverUrl } }],
    users: [{ name: 'local', user: {} }],
    contexts: [{ name: 'skiff', context: { cluster: 'skiff', user: 'local', namespace } }],
    'current-context': 'skiff',
  };
  // JSON is YAML, and every client here reads YAML.
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}
