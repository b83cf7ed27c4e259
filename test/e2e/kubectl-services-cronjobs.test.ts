import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../support/eventually';
import { spawnLocalServer, type LocalServerProcess } from '../support/spawn-local-server';
import { KUBECTL, kubectlUnavailable, writeKubeconfig } from './watch-clients/watch-client-tools';

const unavailable = kubectlUnavailable();
const describeWithKubectl = unavailable ? describe.skip : describe;
if (unavailable) console.warn(`kubectl service and cronjob tests skipped: ${unavailable}`);

/**
 * kubectl 1.32 against `npm start` with one local node: `expose deployment` makes a Service from
 * the Deployment's selector, `get endpointslices` shows its slice with the ready pods, and
 * `create cronjob` makes a CronJob whose controller starts a Job at the next minute.
 */
describeWithKubectl('kubectl expose, get endpointslices and create cronjob', () => {
  let server: LocalServerProcess;
  let workDir: string;
  let kubeconfig: string;
  const kubectl = (...args: string[]) =>
    execFileSync(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(workDir, 'cache'), ...args], {
      encoding: 'utf8',
      timeout: 30_000,
    });

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-services-'));
    server = await spawnLocalServer({
      args: ['--in-memory', '--nodes', '1', '--nodes-dir', join(workDir, 'nodes')],
    });
    kubeconfig = writeKubeconfig(workDir, server.url);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('exposes a Deployment and lists its ready pods in the Service EndpointSlice', async () => {
    expect(
      kubectl(
        'create',
        'deployment',
        'web',
        '--image=sh',
        '--replicas=2',
        '--port=8080',
        '--',
        '/bin/sh',
        '-c',
        'exec sleep 3600',
      ),
    ).toBe('deployment.apps/web created\n');
    expect(kubectl('expose', 'deployment', 'web', '--port=80', '--target-port=8080')).toBe(
      'service/web exposed\n',
    );
    const [header, row] = kubectl('get', 'service', 'web', '-o', 'wide').trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual([
      'NAME',
      'TYPE',
      'CLUSTER-IP',
      'EXTERNAL-IP',
      'PORT(S)',
      'AGE',
      'SELECTOR',
    ]);
    expect(row).toMatch(/^web\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP\s+\S+\s+app=web$/);

    const podIPs = await eventually(async () => {
      const ips = kubectl(
        'get',
        'pods',
        '-l',
        'app=web',
        '-o',
        'jsonpath={.items[?(@.status.podIP)].status.podIP}',
      )
        .split(' ')
        .filter(Boolean);
      const ready = kubectl(
        'get',
        'pods',
        '-l',
        'app=web',
        '-o',
        'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}',
      );
      expect(ready).toBe('True True');
      expect(ips).toHaveLength(2);
      return ips.sort();
    }, 60_000);
    await eventually(async () => {
      const lines = kubectl('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web')
        .trim()
        .split('\n');
      expect(lines[0].split(/\s{2,}/)).toEqual(['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
      const cells = lines[1].split(/\s+/);
      expect(cells.slice(1, 3)).toEqual(['IPv4', '8080']);
      expect(cells[3].split(',').sort()).toEqual(podIPs);
    }, 10_000);
  });

  it('creates a CronJob whose controller starts a Job at the next minute', async () => {
    expect(kubectl('create', 'cronjob', 'c', '--image=busybox', '--schedule=*/1 * * * *')).toBe(
      'cronjob.batch/c created\n',
    );
    const [header, row] = kubectl('get', 'cronjobs').trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual([
      'NAME',
      'SCHEDULE',
      'TIMEZONE',
      'SUSPEND',
      'ACTIVE',
      'LAST SCHEDULE',
      'AGE',
    ]);
    expect(row).toMatch(/^c\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+0\s+<none>\s+\S+$/);
    await eventually(
      async () => {
        const jobs = kubectl('get', 'jobs', '-l', 'batch.kubernetes.io/cronjob-name=c', '-o', 'name').trim();
        expect(jobs).toMatch(/^job\.batch\/c-\d+$/);
      },
      75_000,
      500,
    );
    expect(kubectl('get', 'cronjob', 'c', '-o', 'jsonpath={.status.lastScheduleTime}')).toMatch(/:00Z$/);
  }, 90_000);
});
