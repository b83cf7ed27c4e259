import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeClient } from '../../../lib/client/kube-client';
import type { Pod } from '../../../lib/kinds/pod';
import { startLocalControlPlane, type LocalControlPlane } from '../../../lib/local/local-control-plane';
import { eventually } from '../../support/eventually';

interface NodeShape {
  metadata: { name: string };
  spec: { taints?: { key: string; effect: string }[] };
  status: { conditions?: { type: string; status: string }[] };
}

const PODS = { apiVersion: 'v1', plural: 'pods', namespace: 'default' } as const;

/**
 * The local cluster losing a node: its agent stops (as if killed), so its Lease goes stale; after
 * the grace period the node lifecycle controller marks it Ready Unknown and taints it
 * unreachable, evicts its pods (default toleration 0 here), and the ReplicaSet's replacements run
 * on the other node. Short timings so the test takes seconds, not kube's 40 s + 300 s.
 */
describe('local cluster node failover', () => {
  let plane: LocalControlPlane;
  let client: KubeClient;
  let nodesDir: string;

  beforeAll(async () => {
    nodesDir = mkdtempSync(join(tmpdir(), 'skiff-failover-'));
    plane = await startLocalControlPlane({
      port: 0,
      nodeLifecycle: { nodeMonitorGracePeriodSeconds: 3, defaultTolerationSeconds: 0 },
      capacity: {
        tickSeconds: 60,
        defaultPool: { minNodes: 2, nodeType: 'local.small' },
        nodes: { nodesDir, leaseRenewSeconds: 1 },
      },
    });
    client = new KubeClient({ server: plane.url });
  });

  afterAll(async () => {
    await plane?.stop();
    rmSync(nodesDir, { recursive: true, force: true });
  });

  const readyNodes = async () =>
    (await client.list<NodeShape>({ apiVersion: 'v1', plural: 'nodes' })).items.filter((node) =>
      node.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
  const runningPods = async () =>
    (await client.list<Pod>(PODS, { labelSelector: 'app=sleeper' })).items.filter(
      (pod) =>
        !pod.metadata.deletionTimestamp &&
        pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );

  it("replaces the pods of a node whose agent stopped on another node, once the node's grace has passed", async () => {
    await eventually(async () => expect(await readyNodes()).toHaveLength(2), 20_000);
    await client.create(
      { apiVersion: 'apps/v1', plural: 'deployments', namespace: 'default' },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'sleeper' },
        spec: {
          replicas: 4,
          selector: { matchLabels: { app: 'sleeper' } },
          template: {
            metadata: { labels: { app: 'sleeper' } },
            spec: {
              terminationGracePeriodSeconds: 1,
              containers: [
                {
                  name: 'main',
                  image: 'sh',
                  command: ['/bin/sh', '-c', 'exec sleep 3600'],
                  resources: { requests: { cpu: '500m' } },
                },
              ],
            },
          },
        },
      },
    );
    const before = await eventually(async () => {
      const pods = await runningPods();
      expect(pods).toHaveLength(4);
      return pods;
    }, 20_000);
    const victim = before[0].spec.nodeName ?? '';
    const lost = before.filter((pod) => pod.spec.nodeName === victim).map((pod) => pod.metadata.name);
    const agent = (await plane.agents()).find((candidate) => candidate.nodeName === victim);
    expect(agent).toBeDefined();
    const stoppedAt = Date.now();
    await agent!.stop({ stopPods: true, graceSeconds: 1 });

    // Ready and the taints are two writes (as kube's controller makes them): wait for both.
    await eventually(async () => {
      const current = await client.get<NodeShape>({ apiVersion: 'v1', plural: 'nodes', name: victim });
      expect(current.status.conditions?.find((c) => c.type === 'Ready')?.status).toBe('Unknown');
      expect(current.spec.taints).toContainEqual(
        expect.objectContaining({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }),
      );
      return current;
    }, 15_000);
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(2_000); // not before the grace period

    const after = await eventually(async () => {
      const pods = await runningPods();
      expect(pods).toHaveLength(4);
      expect(pods.filter((pod) => pod.spec.nodeName === victim)).toEqual([]);
      return pods;
    }, 30_000);
    expect(after.map((pod) => pod.metadata.name)).not.toEqual(expect.arrayContaining(lost));
  });
});
