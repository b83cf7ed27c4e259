import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KUBECTL, writeKubeconfig } from '../e2e/watch-clients/watch-client-tools';
import {
  spawnLocalServer,
  type LocalServerProcess,
  type SpawnLocalServerOptions,
} from './spawn-local-server';

/** kubectl against one `npm start` of the suite: its server, work directory and kubeconfig. */
export interface KubectlSession {
  readonly server: LocalServerProcess;
  readonly workDir: string;
  readonly kubeconfig: string;
  /** kubectl's arguments for this session (kubeconfig and its own discovery cache), then `rest`. */
  args(...rest: string[]): string[];
  /** Runs kubectl and answers its stdout; throws when it exits non-zero. */
  kubectl(...rest: string[]): string;
  /** Runs kubectl expecting it may fail: its exit code, stdout and stderr. */
  attempt(...rest: string[]): { code: number | null; stdout: string; stderr: string };
}

/**
 * Starts `npm start` on loopback before the suite's tests and stops it after, with a work
 * directory and a kubeconfig for kubectl: what every kubectl e2e suite needs. Call at describe
 * level; the session is usable inside tests. `serverOptions` may be made from the work directory
 * (which holds nothing yet but is the suite's own).
 */
export function kubectlSession(
  prefix: string,
  serverOptions: SpawnLocalServerOptions | ((workDir: string) => SpawnLocalServerOptions) = {},
): KubectlSession {
  let server: LocalServerProcess | undefined;
  let workDir = '';
  let kubeconfig = '';
  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), `skiff-${prefix}-`));
    server = await spawnLocalServer(
      typeof serverOptions === 'function' ? serverOptions(workDir) : serverOptions,
    );
    kubeconfig = writeKubeconfig(workDir, server.url);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });
  const args = (...rest: string[]) => [
    '--kubeconfig',
    kubeconfig,
    '--cache-dir',
    join(workDir, 'cache'),
    ...rest,
  ];
  return {
    get server() {
      if (!server) throw new Error('the kubectl session has not started (use it inside tests)');
      return server;
    },
    get workDir() {
      return workDir;
    },
    get kubeconfig() {
      return kubeconfig;
    },
    args,
    kubectl: (...rest) => execFileSync(KUBECTL, args(...rest), { encoding: 'utf8', timeout: 30_000 }),
    attempt: (...rest) => {
      const result = spawnSync(KUBECTL, args(...rest), { encoding: 'utf8', timeout: 30_000 });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    },
  };
}
