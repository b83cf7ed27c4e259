import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeClient } from '../../../lib/client/kube-client';
import type { EndpointSlice } from '../../../lib/kinds/endpoint-slice';
import type { Pod } from '../../../lib/kinds/pod';
import { startLocalControlPlane, type LocalControlPlane } from '../../../lib/local/local-control-plane';
import { eventually } from '../../support/eventually';

const PODS = { apiVersion: 'v1', plural: 'pods', namespace: 'default' } as const;
const SLICES = { apiVersion: 'discovery.k8s.io/v1', plural: 'endpointslices', namespace: 'default' } as const;

/** The deadline a readiness change has to reach the Service's EndpointSlice, locally. */
const FOLLOW_DEADLINE_MS = 1000;

/**
 * A Service over a Deployment's pods on the local cluster's real agents: its EndpointSlice lists
 * exactly the ready pods, and follows a pod's readiness (an exec probe that fails while a flag
 * file named after the pod exists) within a second of the pod's Ready condition changing.
 */
describe('local cluster EndpointSlices', () => {
  let plane: LocalControlPlane;
  let client: KubeClient;
  let nodesDir: string;
  let flags: string;

  beforeAll(async () => {
    nodesDir = mkdtempSync(join(tmpdir(), 'skiff-slices-'));
    flags = mkdtempSync(join(tmpdir(), 'skiff-flags-'));
    plane = await startLocalControlPlane({
      port: 0,
      capacity: {
        tickSeconds: 60,
        defaultPool: { minNodes: 1, nodeType: 'local.small' },
        nodes: { nodesDir, leaseRenewSeconds: 1 },
      },
    });
    client = new KubeClient({ server: plane.url });
  });

  afterAll(async () => {
    await plane?.stop();
    rmSync(nodesDir, { recursive: true, force: true });
    rmSync(flags, { recursive: true, force: true });
  });

  const isReady = (pod: Pod) => pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  const pods = async () =>
    (await client.list<Pod>(PODS, { labelSelector: 'app=probed' })).items.filter(
      (p) => !p.metadata.deletionTimestamp,
    );
  /** The ready addresses the Service's slices list, sorted. */
  const readyAddresses = async () =>
    (await client.list<EndpointSlice>(SLICES, { labelSelector: 'kubernetes.io/service-name=probed' })).items
      .flatMap((slice) => slice.endpoints ?? [])
      .filter((endpoint) => endpoint.conditions?.ready)
      .flatMap((endpoint) => endpoint.addresses)
      .sort();
  const ipsOf = (list: Pod[]) => list.map((pod) => pod.status.podIP ?? '').sort();

  /** Waits for the pod's Ready condition to become `ready`, then for the slice to follow, timed from then. */
  async function followMs(name: string, ready: boolean): Promise<number> {
    await eventually(
      async () => {
        const pod = await client.get<Pod>({ ...PODS, name });
        expect(isReady(pod)).toBe(ready);
      },
      15_000,
      20,
    );
    const changedAt = Date.now();
    await eventually(
      async () => {
        expect(await readyAddresses()).toEqual(ipsOf((await pods()).filter(isReady)));
      },
      5_000,
      20,
    );
    return Date.now() - changedAt;
  }

  it('lists exactly the ready pods and follows readiness within a second', async () => {
    await client.create(
      { apiVersion: 'v1', plural: 'services', namespace: 'default' },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'probed' },
        spec: { selector: { app: 'probed' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
      },
    );
    await client.create(
      { apiVersion: 'apps/v1', plural: 'deployments', namespace: 'default' },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'probed' },
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: 'probed' } },
          template: {
            metadata: { labels: { app: 'probed' } },
            spec: {
              terminationGracePeriodSeconds: 1,
              containers: [
                {
                  name: 'main',
                  image: 'sh',
                  command: ['/bin/sh', '-c', 'exec sleep 3600'],
                  ports: [{ name: 'http', containerPort: 8080 }],
                  env: [
                    { name: 'FLAGS', value: flags },
                    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  ],
                  readinessProbe: {
                    exec: { command: ['/bin/sh', '-c', 'test ! -e "$FLAGS/$POD_NAME"'] },
                    periodSeconds: 1,
                  },
                  resources: { requests: { cpu: '100m' } },
                },
              ],
            },
          },
        },
      },
    );
    const running = await eventually(async () => {
      const list = await pods();
      expect(list.filter(isReady)).toHaveLength(3);
      return list;
    }, 30_000);
    await eventually(async () => expect(await readyAddresses()).toEqual(ipsOf(running)), 5_000);
    const [slice] = (
      await client.list<EndpointSlice>(SLICES, { labelSelector: 'kubernetes.io/service-name=probed' })
    ).items;
    expect(slice.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 8080 }]);

    const victim = running[0].metadata.name ?? '';
    const flag = join(flags, victim);
    writeFileSync(flag, '');
    const toUnready = await followMs(victim, false);
    expect(await readyAddresses()).toEqual(ipsOf(running.slice(1)));
    rmSync(flag);
    expect(existsSync(flag)).toBe(false);
    const toReady = await followMs(victim, true);
    expect(await readyAddresses()).toEqual(ipsOf(running));
    expect(toUnready).toBeLessThan(FOLLOW_DEADLINE_MS);
    expect(toReady).toBeLessThan(FOLLOW_DEADLINE_MS);
  });
});
