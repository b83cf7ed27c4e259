import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnLocalServer, type LocalServerProcess } from '../../support/spawn-local-server';
import { writeKubeconfig } from '../watch-clients/watch-client-tools';

/**
 * An `npm start --in-memory --api-only` for the describe block that calls this, and a kubeconfig
 * pointing at it in a folder of its own: what the client-go programs are run against. Both are
 * made in beforeAll and removed in afterAll.
 */
export function aKubeconfigServer(prefix: string): { server(): LocalServerProcess; kubeconfig(): string } {
  let server: LocalServerProcess | undefined;
  let workDir: string | undefined;
  let kubeconfig: string | undefined;
  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), prefix));
    server = await spawnLocalServer({ args: ['--in-memory', '--api-only'] });
    kubeconfig = writeKubeconfig(workDir, server.url);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });
  return {
    server: () => {
      if (!server) throw new Error('the server is not started yet');
      return server;
    },
    kubeconfig: () => {
      if (!kubeconfig) throw new Error('the kubeconfig is not written yet');
      return kubeconfig;
    },
  };
}
