import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/engines/project-root';
import { spawnLocalServer, type LocalServerProcess } from '../support/spawn-local-server';
import { KUBECTL, kubectlUnavailable, writeKubeconfig } from './watch-clients/watch-client-tools';

const PROTOBUF_CLIENT = join(PROJECT_ROOT, '.cache/protobuf-client/protobuf-client');
/** A cold build downloads client-go and compiles it: about 2 minutes on 2 cores. */
const BUILD_TIMEOUT_MS = 600_000;

/** Builds the Go client if `npm run engines:fetch` has not; why it is missing, or undefined. */
function ensureProtobufClient(): string | undefined {
  const run = spawnSync('bash', [join(PROJECT_ROOT, 'scripts/proto/build-protobuf-client.sh')], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: BUILD_TIMEOUT_MS,
  });
  if (run.status === 0 && existsSync(PROTOBUF_CLIENT)) return undefined;
  return `scripts/proto/build-protobuf-client.sh failed (${run.error?.message ?? `code ${run.status}`}): ${`${run.stdout}${run.stderr}`.slice(-2000)}`;
}

const noKubectl = kubectlUnavailable();
if (noKubectl) console.warn(`kubectl protobuf tests skipped: ${noKubectl}`);
// Go is part of the project's toolchain (the watch informer needs it too): in CI a failed build fails.
const noGoClient = ensureProtobufClient();
if (noGoClient && process.env.CI === 'true') throw new Error(noGoClient);
if (noGoClient) console.warn(`client-go protobuf tests skipped: ${noGoClient}`);

/**
 * The wire formats against `npm start`, with the clients that speak protobuf: kubectl 1.32 sends
 * its `create` bodies in protobuf, and client-go's typed clients send and read everything in it.
 */
describe('Protobuf on the wire with real clients', () => {
  let server: LocalServerProcess;
  let workDir: string;
  let kubeconfig: string;
  const kubectl = (...args: string[]) => {
    const run = spawnSync(
      KUBECTL,
      ['--kubeconfig', kubeconfig, '--cache-dir', join(workDir, 'cache'), ...args],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    if (run.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${run.stderr}`);
    return { stdout: run.stdout, stderr: run.stderr };
  };
  const getJson = async (path: string) => {
    const response = await fetch(`${server.url}${path}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'skiff-wire-formats-'));
    server = await spawnLocalServer({ args: ['--in-memory', '--api-only'] });
    kubeconfig = writeKubeconfig(workDir, server.url);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  (noKubectl ? it.skip : it)(
    'kubectl create sends protobuf bodies, and every object is stored as sent',
    async () => {
      // -v=8 prints each request's headers: the bodies below went out as protobuf.
      const created = kubectl('create', 'namespace', 'x', '-v=8');
      expect(created.stdout).toBe('namespace/x created\n');
      expect(created.stderr).toMatch(/Content-Type: application\/vnd\.kubernetes\.protobuf/);
      expect(kubectl('create', 'configmap', 'y', '--from-literal=a=b').stdout).toBe('configmap/y created\n');
      expect(kubectl('create', 'deployment', 'd', '--image=nginx').stdout).toBe(
        'deployment.apps/d created\n',
      );
      expect(kubectl('create', 'job', 'j', '--image=busybox').stdout).toBe('job.batch/j created\n');

      expect((await getJson('/api/v1/namespaces/x')).status.phase).toBe('Active');
      expect((await getJson('/api/v1/namespaces/default/configmaps/y')).data).toEqual({ a: 'b' });
      const deployment = await getJson('/apis/apps/v1/namespaces/default/deployments/d');
      expect(deployment.spec).toMatchObject({
        replicas: 1,
        selector: { matchLabels: { app: 'd' } },
        template: {
          metadata: { labels: { app: 'd' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx' }] },
        },
      });
      const job = await getJson('/apis/batch/v1/namespaces/default/jobs/j');
      expect(job.spec.template.spec).toMatchObject({
        restartPolicy: 'Never',
        containers: [{ name: 'j', image: 'busybox' }],
      });
      // kubectl reads what it created back in protobuf too.
      expect(kubectl('get', 'configmap', 'y', '-o', 'jsonpath={.data.a}').stdout).toBe('b');
    },
  );

  (noGoClient ? it.skip : it)(
    'client-go speaking protobuf creates, watches, updates, lists and deletes ConfigMaps and Deployments',
    () => {
      const run = spawnSync(PROTOBUF_CLIENT, ['-server', server.url, '-namespace', 'default'], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect({ status: run.status, stdout: run.stdout, stderr: run.stderr.slice(-2000) }).toMatchObject({
        status: 0,
      });
      expect(run.stdout.trim().split('\n')).toEqual([
        'ok create configmap',
        'ok watch configmap',
        'ok update configmap',
        'ok list configmaps',
        'ok delete configmap',
        'ok create deployment',
        'ok update deployment',
        'ok delete deployment',
      ]);
    },
    150_000,
  );
});
