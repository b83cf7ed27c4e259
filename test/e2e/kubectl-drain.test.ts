import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listeningAddresses, spawnLocalServer, type LocalServerProcess } from '../support/spawn-local-server';
import { KUBECTL, kubectlUnavailable, writeKubeconfig } from './watch-clients/watch-client-tools';

const unavailable = kubectlUnavailable();
const describeWithKubectl = unavailable ? describe.skip : describe;
if (unavailable) console.warn(`kubectl drain tests skipped: ${unavailable}`);

const NODE = 'node-a';

/** A ReplicaSet's pods bound to the node (the API alone runs: nothing else touches them). */
function boundPods(replicaSetUid: string, pods: string[]) {
  const podOf = (name: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      labels: { app: 'web' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: replicaSetUid, controller: true },
      ],
    },
    spec: {
      nodeName: NODE,
      containers: [{ name: 'web', image: 'busybox' }],
      volumes: [{ name: 'scratch', emptyDir: {} }],
    },
  });
  return pods.map(podOf);
}

/** The node agent's part of graceful deletion: every pod on NODE marked for deletion is deleted with grace 0. */
async function finishTerminatingPods(url: string): Promise<void> {
  const list = await fetch(`${url}/api/v1/pods?fieldSelector=spec.nodeName%3D${NODE}`);
  const { items } = (await list.json()) as {
    items: { metadata: { name: string; namespace: string; deletionTimestamp?: string } }[];
  };
  for (const pod of items.filter((item) => item.metadata.deletionTimestamp)) {
    const { namespace, name } = pod.metadata;
    await fetch(`${url}/api/v1/namespaces/${namespace}/pods/${name}?gracePeriodSeconds=0`, {
      method: 'DELETE',
    });
  }
}

const REPLICA_SET = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'busybox' }] },
    },
  },
};

/**
 * kubectl cordon, uncordon and drain against `npm start`: cordoning is a patch of
 * spec.unschedulable, and drain finds the eviction subresource by discovery and evicts the node's
 * pods through it (not DELETE), waiting until each is gone.
 */
describeWithKubectl('kubectl cordon, uncordon and drain', () => {
  let server: LocalServerProcess;
  let workDir: string;
  let kubeconfig: string;
  const kubectlArgs = (args: string[]) => [
    '--kubeconfig',
    kubeconfig,
    '--cache-dir',
    join(workDir, 'kubectl-cache'),
    ...args,
  ];
  const kubectl = (...args: string[]) =>
    execFileSync(KUBECTL, kubectlArgs(args), { encoding: 'utf8', timeout: 30_000 });
  const apply = (object: unknown) =>
    execFileSync(KUBECTL, kubectlArgs(['apply', '-f', '-']), {
      encoding: 'utf8',
      timeout: 30_000,
      input: JSON.stringify(object),
    });
  const nodeStatus = () => kubectl('get', 'nodes', NODE, '--no-headers').trim().split(/\s+/)[1];
  const unschedulable = () => kubectl('get', 'node', NODE, '-o', 'jsonpath={.spec.unschedulable}');

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-drain-'));
    server = await spawnLocalServer({ args: ['--in-memory', '--api-only'] });
    kubeconfig = writeKubeconfig(workDir, server.url);
    apply({ apiVersion: 'v1', kind: 'Node', metadata: { name: NODE } });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only', () => {
    expect(listeningAddresses(server.pid)).toEqual([`127.0.0.1:${server.port}`]);
  });

  it('cordon sets spec.unschedulable, shown as SchedulingDisabled; uncordon clears it', () => {
    expect(kubectl('cordon', NODE)).toBe(`node/${NODE} cordoned\n`);
    expect(unschedulable()).toBe('true');
    expect(nodeStatus().split(',')).toContain('SchedulingDisabled');
    expect(kubectl('uncordon', NODE)).toBe(`node/${NODE} uncordoned\n`);
    expect(unschedulable()).toBe('');
    expect(nodeStatus().split(',')).not.toContain('SchedulingDisabled');
  });

  it("drain cordons the node and evicts its pods through pods/eviction, exiting 0 once they're gone", async () => {
    apply(REPLICA_SET);
    const replicaSetUid = kubectl('get', 'rs', 'web', '-o', 'jsonpath={.metadata.uid}');
    for (const pod of boundPods(replicaSetUid, ['web-1', 'web-2'])) apply(pod);
    const onNode = () =>
      kubectl('get', 'pods', '-A', '--field-selector', `spec.nodeName=${NODE}`, '-o', 'name')
        .trim()
        .split('\n')
        .filter((line) => line !== '');
    expect(onNode().sort()).toEqual(['pod/web-1', 'pod/web-2']);

    const running = spawn(
      KUBECTL,
      kubectlArgs([
        'drain',
        NODE,
        '--ignore-daemonsets',
        '--force',
        '--delete-emptydir-data',
        '--timeout=30s',
        '-v=6',
      ]),
      { timeout: 60_000 },
    );
    let output = '';
    running.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    running.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => running.on('close', resolve));
    // Evicted pods are deleted gracefully: play the node's agent, which removes them with grace 0.
    let status: number | null | undefined;
    void exited.then((code) => (status = code));
    while (status === undefined) {
      await finishTerminatingPods(server.url);
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 200))]);
    }
    const drain = { status };
    expect({ status: drain.status, output }).toEqual({ status: 0, output: expect.any(String) });
    expect(output).toContain(`node/${NODE} cordoned`);
    for (const pod of ['web-1', 'web-2']) {
      expect(output).toMatch(
        new RegExp(`POST \\S+/api/v1/namespaces/default/pods/${pod}/eviction 201 Created`),
      );
      expect(output).toContain(`pod/${pod} evicted`);
    }
    expect(output).not.toMatch(/DELETE \S+\/pods\//);
    expect(output).toContain(`node/${NODE} drained`);
    expect(onNode()).toEqual([]);
    expect(unschedulable()).toBe('true');
    expect(nodeStatus().split(',')).toContain('SchedulingDisabled');
  });
});
