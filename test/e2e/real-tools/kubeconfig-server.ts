import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnLocalServer, type LocalServerProcess } from '../../support/spawn-local-server';
import { writeKubeconfig } from '../watch-clients/watch-client-tools';

/**
 * An `npm start` (default `--in-memory --api-only`) for the describe block that calls this, and a
 * kubeconfig pointing at it in a folder of its own: what kubectl and the client-go programs are
 * run against. Both are made in beforeAll and removed in afterAll. `kubectlArgs` adds the
 * kubeconfig and a kubectl cache in that folder to a command line.
 */
export function aKubeconfigServer(
  prefix: string,
  serverArgs: string[] = ['--in-memory', '--api-only'],
): {
  server(): LocalServerProcess;
  kubeconfig(): string;
  kubectlArgs(rest: readonly string[]): string[];
} {
  let server: LocalServerProcess | undefined;
  let workDir: string | undefined;
  let kubeconfig: string | undefined;
  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), prefix));
    server = await spawnLocalServer({ args: serverArgs });
    kubeconfig = writeKubeconfig(workDir, server.url);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });
  const kubeconfigPath = () => {
    if (!kubeconfig) throw new Error('the kubeconfig is not written yet');
    return kubeconfig;
  };
  return {
    kubectlArgs: (rest) => [
      '--kubeconfig',
      kubeconfigPath(),
      '--cache-dir',
      join(workDir ?? '', 'cache'),
      ...rest,
    ],
    server: () => {
      if (!server) throw new Error('the server is not started yet');
      return server;
    },
    kubeconfig: kubeconfigPath,
  };
}
