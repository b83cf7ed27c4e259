import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineOptions } from '../../../lib/agent/runtime/oci/engine-cli';
import { KubeClient } from '../../../lib/client/kube-client';
import type { Pod } from '../../../lib/kinds/pod';
import { startLocalControlPlane, type LocalControlPlane } from '../../../lib/local/local-control-plane';
import { eventually } from '../../support/eventually';
import {
  BUSYBOX_IMAGE,
  containersUnder,
  type ListedContainer,
  podmanForTests,
  removeContainersUnder,
  requireBusyboxImage,
} from '../../support/podman';

const podman = podmanForTests();
const describeWithPodman = podman ? describe : describe.skip;

const PODS = { apiVersion: 'v1', plural: 'pods', namespace: 'default' } as const;

/**
 * The port each replica serves on. Every local cluster gives its first node 127.1.0.0/16, so
 * another test's cluster running at the same time (an e2e test serves on 8080) can hold the same
 * pod IP: a port of this run's own keeps the two apart.
 */
const PORT = 20_000 + (process.pid % 12_000); // below the ephemeral ports (32768+)

/**
 * Each replica writes a page naming its pod, says where it serves, then runs busybox httpd on
 * `$(POD_IP):PORT` (expanded by the agent, as the kubelet expands it). The shell stays PID 1: it
 * exits on SIGTERM, so a stop takes no grace period (httpd alone as PID 1 would ignore SIGTERM),
 * and with httpd's status when httpd fails (a port taken), so the container fails too.
 */
const SERVE = [
  'mkdir -p /www',
  'echo "hello from $POD_NAME" > /www/index.html',
  `echo "serving $POD_NAME on $(POD_IP):${PORT}"`,
  'trap "echo stopping; exit 0" TERM',
  `httpd -f -v -p $(POD_IP):${PORT} -h /www &`,
  'wait $!',
].join('\n');

const WEB = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        runtimeClassName: 'container',
        terminationGracePeriodSeconds: 5,
        containers: [
          {
            name: 'web',
            image: BUSYBOX_IMAGE,
            command: ['sh', '-c', SERVE],
            env: [
              { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            ],
            ports: [{ containerPort: PORT }],
            readinessProbe: { httpGet: { path: '/', port: PORT }, periodSeconds: 1 },
          },
        ],
      },
    },
  },
};

/**
 * The local cluster (npm start's, in this process) running a Deployment on its `container`
 * runtime under podman, as `npm start -- --container-engine podman` does: each replica is a real
 * podman container on the host's network, bound to its pod's own loopback IP. The cases run in
 * order on one cluster: the Deployment, its logs, a deleted pod, the plane stopping.
 */
describeWithPodman('a Deployment on the local cluster under podman', () => {
  const engine = podman as EngineOptions;
  let plane: LocalControlPlane;
  let client: KubeClient;
  let nodesDir: string;
  let stopped = false;

  beforeAll(async () => {
    requireBusyboxImage(engine);
    nodesDir = mkdtempSync(join(tmpdir(), 'skiff-podman-deployment-'));
    plane = await startLocalControlPlane({
      port: 0,
      capacity: {
        tickSeconds: 60,
        defaultPool: { minNodes: 1 },
        nodes: { nodesDir, containerEngine: engine },
      },
    });
    client = new KubeClient({ server: plane.url });
  }, 30_000);

  afterAll(async () => {
    if (plane && !stopped) await plane.stop();
    if (nodesDir) {
      await removeContainersUnder(engine, nodesDir);
      rmSync(nodesDir, { recursive: true, force: true });
    }
  }, 60_000);

  /** The web pods not being deleted that are Running and Ready, by name. */
  async function readyPods(): Promise<Pod[]> {
    const pods = (await client.list<Pod>(PODS, { labelSelector: 'app=web' })).items;
    return pods
      .filter(
        (pod) =>
          !pod.metadata.deletionTimestamp &&
          pod.status.phase === 'Running' &&
          pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      )
      .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  }

  async function twoReadyPods(): Promise<Pod[]> {
    return eventually(async () => {
      const pods = await readyPods();
      expect(pods).toHaveLength(2);
      return pods;
    }, 60_000);
  }

  /** A pod's podman containers, `skiff_<uid>_<container>_<attempt>`: running ones, or with `all` every one. */
  async function containersOf(pod: Pod, options: { all?: boolean } = {}): Promise<ListedContainer[]> {
    return (await containersUnder(engine, nodesDir, options)).filter((container) =>
      container.name.startsWith(`skiff_${pod.metadata.uid}_`),
    );
  }

  async function runningContainersOf(pod: Pod): Promise<string[]> {
    return (await containersOf(pod))
      .filter((container) => container.state === 'running')
      .map((container) => container.name);
  }

  async function page(pod: Pod): Promise<string> {
    const response = await fetch(`http://${pod.status.podIP}:${PORT}/`);
    expect(response.status).toBe(200);
    return response.text();
  }

  it('runs each replica as a podman container that turns Ready and answers HTTP on its own pod IP', async () => {
    await client.create({ apiVersion: 'apps/v1', plural: 'deployments', namespace: 'default' }, WEB);
    const pods = await twoReadyPods();

    expect(new Set(pods.map((pod) => pod.status.podIP)).size).toBe(2);
    for (const pod of pods) {
      expect(pod.status.podIP).toMatch(/^127\.\d+\.\d+\.\d+$/);
      expect(await runningContainersOf(pod)).toEqual([`skiff_${pod.metadata.uid}_web_0`]);
      expect(await page(pod)).toBe(`hello from ${pod.metadata.name}\n`);
    }
  }, 90_000);

  it("serves each container's output through the pods/log API", async () => {
    for (const pod of await readyPods()) {
      await eventually(async () => {
        let text = '';
        for await (const chunk of client.stream(`/api/v1/namespaces/default/pods/${pod.metadata.name}/log`))
          text += chunk;
        expect(text).toContain(`serving ${pod.metadata.name} on ${pod.status.podIP}:${PORT}\n`);
        // httpd -v logs each request to stderr, the readiness probes' among them: a probe answered
        // before the pod turned Ready, but its line may reach the log after the first one.
        expect(text).toMatch(/response:200/);
      }, 10_000);
    }
  }, 30_000);

  it("stops and removes a deleted pod's container, and runs its replacement until Ready", async () => {
    const [victim, survivor] = await readyPods();
    await client.delete({ ...PODS, name: victim.metadata.name });

    await eventually(async () => expect(await runningContainersOf(victim)).toEqual([]), 30_000);
    // Once the agent has deleted the pod it removes the pod's engine containers too.
    await eventually(async () => expect(await containersOf(victim, { all: true })).toEqual([]), 10_000);
    const after = await eventually(async () => {
      const pods = await readyPods();
      expect(pods.map((pod) => pod.metadata.name)).not.toContain(victim.metadata.name);
      expect(pods).toHaveLength(2);
      return pods;
    }, 60_000);
    expect(after.map((pod) => pod.metadata.name)).toContain(survivor.metadata.name);
    const replacement = after.find((pod) => pod.metadata.name !== survivor.metadata.name) as Pod;
    expect(await runningContainersOf(replacement)).toHaveLength(1);
    expect(await page(replacement)).toBe(`hello from ${replacement.metadata.name}\n`);
  }, 90_000);

  it('leaves no container of its nodes running once the plane stops', async () => {
    const running = async () =>
      (await containersUnder(engine, nodesDir))
        .filter((container) => container.state === 'running')
        .map((container) => container.name);
    expect(await running()).toHaveLength(2);
    stopped = true;
    await plane.stop();
    expect(await running()).toEqual([]);
  }, 60_000);
});
