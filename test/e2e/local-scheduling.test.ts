import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listeningAddresses, spawnLocalServer, type LocalServerProcess } from '../support/spawn-local-server';
import { eventually } from '../support/eventually';
import { KUBECTL, kubectlUnavailable, writeKubeconfig } from './watch-clients/watch-client-tools';

const unavailable = kubectlUnavailable();
const describeWithKubectl = unavailable ? describe.skip : describe;
if (unavailable) console.warn(`local scheduling tests skipped: ${unavailable}`);

interface Loose {
  metadata: { name: string; namespace?: string; deletionTimestamp?: string; labels?: Record<string, string> };
  spec: Record<string, unknown> & { nodeName?: string };
  status: Record<string, unknown>;
}

const Mi = 2 ** 20;
const cpuMillis = (q: string) => (q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000);
const bytes = (q: string) =>
  q.endsWith('Gi')
    ? Number(q.slice(0, -2)) * 1024 * Mi
    : q.endsWith('Mi')
      ? Number(q.slice(0, -2)) * Mi
      : Number(q);

/**
 * The embedded cluster schedules for real (issue 8's acceptance): `npm start` with its scheduler,
 * the local provider and the NodeClaim controller. Pods of three Deployments make the scheduler
 * launch local nodes and bind every pod; scaling down lets consolidation remove the emptied
 * capacity; a pod no pool can fit waits with kube-scheduler's reason, shown by `kubectl describe`.
 */
describeWithKubectl('scheduling on the embedded cluster', () => {
  let server: LocalServerProcess;
  let workDir: string;
  let kubeconfig: string;
  const kubectl = (...args: string[]) =>
    execFileSync(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(workDir, 'cache'), ...args], {
      encoding: 'utf8',
      timeout: 30_000,
    });
  const items = (...args: string[]) =>
    (JSON.parse(kubectl('get', ...args, '-o', 'json')) as { items: Loose[] }).items;
  const live = (list: Loose[]) => list.filter((item) => !item.metadata.deletionTimestamp);

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'skiff-local-scheduling-'));
    // Rounds every second when nothing changes, so consolidateAfter (2 s) is noticed quickly.
    server = await spawnLocalServer({ args: ['--in-memory'], env: { SKIFF_SCHEDULER_TICK_SECONDS: '1' } });
    kubeconfig = writeKubeconfig(workDir, server.url);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only', () => {
    const addresses = listeningAddresses(server.pid);
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) expect(address).toMatch(/^127\.0\.0\.1:/);
  });

  it('launches local nodes for 50 pending pods of mixed sizes and binds every pod, none overcommitted', async () => {
    kubectl('apply', '-f', 'test/e2e/scheduling/capacity-fixtures.yaml');
    const pods = await eventually(
      async () => {
        const all = items('pods');
        expect(all).toHaveLength(50);
        expect(all.filter((pod) => !pod.spec.nodeName).map((pod) => pod.metadata.name)).toEqual([]);
        return all;
      },
      60_000,
      250,
    );
    const nodes = items('nodes');
    const claims = items('nodeclaims');
    expect(nodes.length).toBeGreaterThanOrEqual(3); // 25 vCPU of requests; the largest local node has 8
    expect(claims.map((c) => c.metadata.name).sort()).toEqual(nodes.map((n) => n.metadata.name).sort());
    for (const node of nodes) {
      const allocatable = node.status.allocatable as Record<string, string>;
      const mine = pods.filter((pod) => pod.spec.nodeName === node.metadata.name);
      const requested = (resource: 'cpu' | 'memory') =>
        mine.reduce((sum, pod) => {
          const containers = pod.spec.containers as { resources: { requests: Record<string, string> } }[];
          const amount = containers[0].resources.requests[resource];
          return sum + (resource === 'cpu' ? cpuMillis(amount) : bytes(amount));
        }, 0);
      expect(requested('cpu')).toBeLessThanOrEqual(cpuMillis(allocatable.cpu));
      expect(requested('memory')).toBeLessThanOrEqual(bytes(allocatable.memory));
    }
    for (const claim of claims) {
      const conditions = claim.status.conditions as { type: string; status: string }[];
      expect(conditions.filter((c) => c.status === 'True').map((c) => c.type)).toEqual(
        expect.arrayContaining(['Launched', 'Registered', 'Ready']),
      );
    }
  }, 90_000);

  it('consolidates the emptied capacity after the Deployments are scaled down', async () => {
    const before = items('nodes').length;
    kubectl('patch', 'deployment', 'batch', '-p', '{"spec":{"replicas":0}}');
    kubectl('patch', 'deployment', 'api', '-p', '{"spec":{"replicas":2}}');
    kubectl('patch', 'deployment', 'web', '-p', '{"spec":{"replicas":2}}');
    // 1.5 vCPU and 2.5Gi remain: one small local node holds them.
    const after = await eventually(
      async () => {
        const pods = live(items('pods'));
        expect(pods).toHaveLength(4);
        expect(pods.every((pod) => pod.spec.nodeName)).toBe(true);
        const nodes = items('nodes');
        expect(nodes).toHaveLength(1);
        // Settled: the one node left is the cheapest that holds them (a larger one is replaced).
        expect(nodes[0].metadata.labels?.['node.kubernetes.io/instance-type']).toBe('local.small');
        expect(live(items('nodeclaims'))).toHaveLength(1);
        return nodes;
      },
      60_000,
      500,
    );
    expect(after.length).toBeLessThan(before);
    const events = kubectl('get', 'events', '-A', '--field-selector', 'involvedObject.kind=NodeClaim');
    expect(events).toMatch(/Disrupt/);
  }, 90_000);

  it('keeps a pod no pool can fit Pending with the reason, and kubectl describe shows it', async () => {
    kubectl(
      'run',
      'huge',
      '--image=nginx:1.27',
      '--restart=Never',
      '--overrides={"spec":{"containers":[{"name":"huge","image":"nginx:1.27","resources":{"requests":{"cpu":"64"}}}]}}',
    );
    const condition = await eventually(
      async () => {
        const pod = JSON.parse(kubectl('get', 'pod', 'huge', '-o', 'json')) as Loose;
        const scheduled = (
          pod.status.conditions as { type: string; status: string; message?: string }[] | undefined
        )?.find((c) => c.type === 'PodScheduled');
        expect(scheduled?.status).toBe('False');
        expect(pod.status.phase).toBe('Pending');
        return scheduled;
      },
      30_000,
      250,
    );
    expect(condition?.message).toMatch(/^0\/\d+ nodes are available: .*Insufficient cpu/);
    expect(condition?.message).toContain('local');
    // The dry run says the same, and what the cluster costs now.
    const dryRun = JSON.parse(kubectl('get', '--raw', '/apis/skiff.dev/v1alpha1/plan')) as {
      kind: string;
      unschedulable: { pod: string; reason: string }[];
      launches: unknown[];
      usdPerHour: { current: number; after: number };
    };
    expect(dryRun.kind).toBe('SchedulingPlan');
    expect(dryRun.unschedulable).toEqual([{ pod: 'default/huge', reason: condition?.message }]);
    expect(dryRun.launches).toEqual([]);
    expect(dryRun.usdPerHour.current).toBeGreaterThan(0);
    expect(dryRun.usdPerHour.after).toBe(dryRun.usdPerHour.current);
    const described = kubectl('describe', 'pod', 'huge');
    expect(described).toMatch(
      /Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/\d+ nodes are available/,
    );
    expect(described).toContain('Insufficient cpu');
  }, 60_000);
});
