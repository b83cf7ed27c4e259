import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../support/eventually';
import { spawnLocalServer, type LocalServerProcess } from '../support/spawn-local-server';
import { ApiReader } from './real-tools/api-reader';
import { describeRun, itWithTool, KUBECTL, kubectlUnavailable, runCommand } from './real-tools/tools';
import { writeKubeconfig } from './watch-clients/watch-client-tools';

const NAMESPACE = 'budgets';

const itWithKubectl = itWithTool(
  'kubectl',
  kubectlUnavailable(),
  'Put kubectl on PATH, or name it in SKIFF_KUBECTL.',
);

interface PodView {
  metadata: { name: string };
  spec: { nodeName?: string };
  status: { conditions?: { type: string; status: string }[] };
}
const isReady = (pod: PodView) =>
  pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

/**
 * kubectl 1.32 against `npm start` (controllers, scheduler, one local node running pods as
 * processes): `kubectl scale` through deployments/scale, a Secret and the namespace's default
 * ServiceAccount as kubectl prints them, a PodDisruptionBudget the disruption
 * controller keeps current, and `kubectl drain` held back by it until the budget allows.
 */
describe('kubectl scale, PodDisruptionBudgets and drain', () => {
  let server: LocalServerProcess;
  let workDir: string;
  let kubeconfig: string;
  let api: ApiReader;
  let node: string;

  const run = (args: string[], input?: string) =>
    runCommand(
      KUBECTL,
      ['--kubeconfig', kubeconfig, '--cache-dir', join(workDir, 'kubectl-cache'), ...args],
      {
        input,
      },
    );
  const kubectl = async (...args: string[]): Promise<string> => {
    const result = await run(['--namespace', NAMESPACE, ...args]);
    if (result.code !== 0) throw new Error(describeRun(KUBECTL, args, result));
    return result.stdout;
  };
  const webPods = async () =>
    (await api.list(`/api/v1/namespaces/${NAMESPACE}/pods?labelSelector=app%3Dweb`)) as unknown as PodView[];
  const budgetRow = async () => (await kubectl('get', 'pdb', 'web', '--no-headers')).trim().split(/\s+/);

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-pdb-'));
    server = await spawnLocalServer({
      args: ['--in-memory', '--nodes', '1', '--nodes-dir', join(workDir, 'nodes')],
      env: { SKIFF_SCHEDULER_TICK_SECONDS: '1' },
    });
    kubeconfig = writeKubeconfig(workDir, server.url, NAMESPACE);
    api = new ApiReader(server.url);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  itWithKubectl(
    'scale deployment sets replicas through the scale subresource, and the pods run',
    async () => {
      await kubectl('create', 'namespace', NAMESPACE);
      await kubectl('create', 'deployment', 'web', '--image=busybox', '--replicas=1', '--', 'sleep', '3600');
      expect(await kubectl('scale', 'deployment', 'web', '--replicas=3')).toBe(
        'deployment.apps/web scaled\n',
      );
      expect(await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}')).toBe('3');
      await kubectl('rollout', 'status', 'deployment/web', '--timeout=30s');
      const pods = await webPods();
      expect(pods.filter(isReady)).toHaveLength(3);
      node = pods[0].spec.nodeName ?? '';
      expect(pods.every((pod) => pod.spec.nodeName === node)).toBe(true);
      // --current-replicas makes kubectl read the Scale first and write it conditionally.
      expect(await kubectl('scale', 'deployment', 'web', '--current-replicas=3', '--replicas=3')).toBe(
        'deployment.apps/web scaled\n',
      );
    },
    60_000,
  );

  itWithKubectl(
    'create secret generic and get sa default: NAME TYPE DATA AGE, NAME SECRETS AGE',
    async () => {
      expect(await kubectl('create', 'secret', 'generic', 's', '--from-literal=a=b')).toBe(
        'secret/s created\n',
      );
      expect(await kubectl('get', 'secret', 's', '-o', 'jsonpath={.data.a}')).toBe(
        Buffer.from('b').toString('base64'),
      );
      const secrets = (await kubectl('get', 'secret', 's')).trim().split('\n');
      expect(secrets[0].split(/\s+/)).toEqual(['NAME', 'TYPE', 'DATA', 'AGE']);
      expect(secrets[1].split(/\s+/).slice(0, 3)).toEqual(['s', 'Opaque', '1']);
      expect(await kubectl('create', 'serviceaccount', 'sa')).toBe('serviceaccount/sa created\n');
      const accounts = (await kubectl('get', 'sa', 'default')).trim().split('\n');
      expect(accounts[0].split(/\s+/)).toEqual(['NAME', 'SECRETS', 'AGE']);
      expect(accounts[1].split(/\s+/).slice(0, 2)).toEqual(['default', '0']);
    },
  );

  itWithKubectl(
    "a PodDisruptionBudget's status follows its pods: get pdb shows the allowed disruptions",
    async () => {
      const budget = {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'web' },
        spec: { minAvailable: 3, selector: { matchLabels: { app: 'web' } } },
      };
      const applied = await run(['--namespace', NAMESPACE, 'apply', '-f', '-'], JSON.stringify(budget));
      expect(applied.stdout).toBe('poddisruptionbudget.policy/web created\n');
      const header = (await kubectl('get', 'pdb')).split('\n')[0].split(/\s{2,}/);
      expect(header).toEqual(['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
      await eventually(
        async () => expect((await budgetRow()).slice(0, 4)).toEqual(['web', '3', 'N/A', '0']),
        10_000,
      );
      const status = (await api.get(`/apis/policy/v1/namespaces/${NAMESPACE}/poddisruptionbudgets/web`))
        .status;
      expect(status).toMatchObject({
        currentHealthy: 3,
        desiredHealthy: 3,
        expectedPods: 3,
        disruptionsAllowed: 0,
      });
    },
  );

  itWithKubectl(
    'drain is held back by the budget (429 at each eviction), and finishes once the budget allows',
    async () => {
      const blocked = await run([
        'drain',
        node,
        '--ignore-daemonsets',
        '--delete-emptydir-data',
        '--timeout=8s',
      ]);
      expect(blocked.code).not.toBe(0);
      expect(blocked.stderr).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
      expect((await webPods()).filter(isReady)).toHaveLength(3);

      await kubectl('patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":0}}');
      await eventually(
        async () => expect((await budgetRow()).slice(0, 4)).toEqual(['web', '0', 'N/A', '3']),
        10_000,
      );
      const drained = await kubectl(
        'drain',
        node,
        '--ignore-daemonsets',
        '--delete-emptydir-data',
        '--timeout=30s',
      );
      expect(drained).toMatch(new RegExp(`node/${node} drained\\n$`));
      const onNode = await api.list(`/api/v1/pods?fieldSelector=spec.nodeName%3D${node}`);
      expect(onNode.filter((pod) => pod.metadata.namespace === NAMESPACE)).toEqual([]);
    },
    60_000,
  );
});
