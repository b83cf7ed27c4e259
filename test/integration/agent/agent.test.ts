import { isNotFound } from '../../../lib/client/api-error';
import { eventually } from '../../support/eventually';
import { NODE, anAgentCluster, conditionOf, httpServerContainer, type AgentCluster } from './agent-harness';

/**
 * The node agent against a real control plane on loopback, running pods as real processes: Node
 * and Lease registration, status as the kubelet reports it, restart policy and crash-loop
 * backoff, init containers, probes, env from ConfigMaps and the downward API, and deletion.
 */
describe('node agent', () => {
  let cluster: AgentCluster;
  beforeAll(async () => {
    cluster = await anAgentCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('registers its Node with labels, capacity, allocatable, the agent endpoint, and renews a Lease', async () => {
    const node = await cluster.client.get<{
      metadata: { labels: Record<string, string> };
      spec: { providerID: string };
      status: {
        capacity: Record<string, string>;
        allocatable: Record<string, string>;
        conditions: { type: string; status: string }[];
        daemonEndpoints: { kubeletEndpoint: { Port: number } };
      };
    }>({ apiVersion: 'v1', plural: 'nodes', name: 'node-a' });
    expect(node.metadata.labels).toMatchObject({
      'kubernetes.io/hostname': 'node-a',
      'topology.kubernetes.io/zone': 'local-a',
      'node.kubernetes.io/instance-type': 'local.small',
      'karpenter.sh/capacity-type': 'on-demand',
      'karpenter.sh/nodepool': 'default',
      'kubernetes.io/arch': 'amd64',
    });
    expect(node.spec.providerID).toBe('local:///local-a/i-node-a');
    expect(node.status.capacity).toMatchObject({ cpu: '2', memory: '4Gi', pods: '110' });
    expect(node.status.allocatable.cpu).not.toBe('2'); // the per-node overhead is reserved
    expect(node.status.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'True' }));
    const lease = () =>
      cluster.client.get<{ spec: { renewTime: string; holderIdentity: string } }>({
        apiVersion: 'coordination.k8s.io/v1',
        plural: 'leases',
        namespace: 'kube-node-lease',
        name: 'node-a',
      });
    const first = await lease();
    expect(first.spec.holderIdentity).toBe('node-a');
    await eventually(
      async () => expect((await lease()).spec.renewTime).not.toBe(first.spec.renewTime),
      5_000,
    );
  });

  it('runs a pod: Running and Ready with its own loopback podIP, answering HTTP there', async () => {
    await cluster.createPod('web-1', { containers: [httpServerContainer(18080)] });
    await cluster.createPod('web-2', { containers: [httpServerContainer(18080)] });
    const [one, two] = await Promise.all(
      ['web-1', 'web-2'].map((name) =>
        cluster.podWhere(name, (pod) => {
          expect(pod.status.phase).toBe('Running');
          expect(conditionOf(pod, 'Ready')).toBe('True');
        }),
      ),
    );
    expect(one.status.podIP).toMatch(/^127\.1\.\d+\.\d+$/);
    expect(two.status.podIP).not.toBe(one.status.podIP);
    expect(one.status.hostIP).toBe('127.0.0.1');
    expect(one.status.containerStatuses?.[0]).toMatchObject({
      name: 'web',
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: expect.objectContaining({ startedAt: expect.any(String) }) },
    });
    for (const pod of [one, two]) {
      const answer = await eventually(async () => (await fetch(`http://${pod.status.podIP}:18080/`)).text());
      expect(answer).toBe(pod.metadata.name);
    }
  });

  it('restarts a container whose process is killed, and its restartCount rises', async () => {
    await cluster.createPod('killed', { containers: [httpServerContainer(18081)] });
    await cluster.podWhere('killed', (pod) => expect(conditionOf(pod, 'Ready')).toBe('True'));
    const uid = (await cluster.getPod('killed')).metadata.uid;
    const [container] = (await cluster.runtime.list()).filter((c) => c.podUid === uid);
    process.kill(container.pid, 'SIGKILL');
    const pod = await cluster.podWhere('killed', (current) => {
      expect(current.status.containerStatuses?.[0].restartCount).toBe(1);
      expect(current.status.containerStatuses?.[0].state?.running).toBeDefined();
    });
    expect(pod.status.containerStatuses?.[0].lastState?.terminated).toMatchObject({
      exitCode: 137,
      reason: 'Error',
    });
  });

  it('completes a pod whose process exits 0 under restartPolicy Never, and fails one that exits 1', async () => {
    await cluster.createPod('ok', {
      restartPolicy: 'Never',
      containers: [{ name: 'main', image: 'sh', command: ['/bin/sh', '-c', 'exit 0'] }],
    });
    await cluster.createPod('bad', {
      restartPolicy: 'Never',
      containers: [{ name: 'main', image: 'sh', command: ['/bin/sh', '-c', 'exit 3'] }],
    });
    const ok = await cluster.podWhere('ok', (pod) => expect(pod.status.phase).toBe('Succeeded'));
    expect(ok.status.containerStatuses?.[0].state?.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
    expect(conditionOf(ok, 'Ready')).toBe('False');
    const bad = await cluster.podWhere('bad', (pod) => expect(pod.status.phase).toBe('Failed'));
    expect(bad.status.containerStatuses?.[0].state?.terminated).toMatchObject({
      exitCode: 3,
      reason: 'Error',
    });
    expect(bad.status.containerStatuses?.[0].restartCount).toBe(0);
  });

  it('backs off a crashing container: CrashLoopBackOff between restarts under restartPolicy Always', async () => {
    await cluster.createPod('crasher', {
      containers: [{ name: 'main', image: 'sh', command: ['/bin/sh', '-c', 'echo boom; exit 1'] }],
    });
    const pod = await cluster.podWhere('crasher', (current) => {
      const status = current.status.containerStatuses?.[0];
      expect(status?.restartCount).toBeGreaterThanOrEqual(2);
      expect(status?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    });
    expect(pod.status.phase).toBe('Running');
    expect(pod.status.containerStatuses?.[0].state?.waiting?.message).toMatch(
      /^back-off \d+s restarting failed container=main pod=crasher_default\(/,
    );
    expect(pod.status.containerStatuses?.[0].lastState?.terminated).toMatchObject({ exitCode: 1 });
  });

  it('runs init containers in order before the containers', async () => {
    const marker = `${cluster.dataDir}/init-ran`;
    await cluster.createPod('with-init', {
      restartPolicy: 'Never',
      initContainers: [
        { name: 'first', image: 'sh', command: ['/bin/sh', '-c', `echo first > ${marker}`] },
        { name: 'second', image: 'sh', command: ['/bin/sh', '-c', `echo second >> ${marker}`] },
      ],
      containers: [
        {
          name: 'main',
          image: 'sh',
          command: ['/bin/sh', '-c', `test "$(cat ${marker} | tr '\\n' ' ')" = "first second "`],
        },
      ],
    });
    const pod = await cluster.podWhere('with-init', (current) =>
      expect(current.status.phase).toBe('Succeeded'),
    );
    expect(conditionOf(pod, 'Initialized')).toBe('True');
    expect(pod.status.initContainerStatuses?.map((s) => s.state?.terminated?.reason)).toEqual([
      'Completed',
      'Completed',
    ]);
  });

  it('holds the containers while an init container fails, and fails the pod under Never', async () => {
    await cluster.createPod('init-fails', {
      restartPolicy: 'Never',
      initContainers: [{ name: 'setup', image: 'sh', command: ['/bin/sh', '-c', 'exit 2'] }],
      containers: [{ name: 'main', image: 'sh', command: ['/bin/sh', '-c', 'exit 0'] }],
    });
    const pod = await cluster.podWhere('init-fails', (current) =>
      expect(current.status.phase).toBe('Failed'),
    );
    expect(conditionOf(pod, 'Initialized')).toBe('False');
    expect(pod.status.containerStatuses?.[0].state?.waiting).toBeDefined();
  });

  it('restarts a container whose liveness probe fails', async () => {
    await cluster.createPod('unhealthy', {
      containers: [
        httpServerContainer(18082, {
          livenessProbe: { tcpSocket: { port: 18999 }, periodSeconds: 1, failureThreshold: 1 },
        }),
      ],
    });
    await cluster.podWhere('unhealthy', (pod) =>
      expect(pod.status.containerStatuses?.[0].restartCount).toBeGreaterThanOrEqual(1),
    );
  });

  it('is Ready only once its readiness probe succeeds', async () => {
    await cluster.createPod('slow-ready', {
      containers: [
        {
          name: 'main',
          image: 'sh',
          command: ['/bin/sh', '-c', `sleep 1; touch ready; exec sleep 600`],
          readinessProbe: { exec: { command: ['/bin/sh', '-c', 'test -f ready'] }, periodSeconds: 1 },
        },
      ],
    });
    await cluster.podWhere('slow-ready', (pod) => {
      expect(pod.status.phase).toBe('Running');
      expect(conditionOf(pod, 'Ready')).toBe('False');
      expect(pod.status.conditions).toContainEqual(
        expect.objectContaining({ type: 'ContainersReady', reason: 'ContainersNotReady' }),
      );
    });
    await cluster.podWhere('slow-ready', (pod) => expect(conditionOf(pod, 'Ready')).toBe('True'));
  });

  it('injects env from literals, ConfigMaps and the downward API, with $(VAR) expansion', async () => {
    await cluster.client.create(
      { apiVersion: 'v1', plural: 'configmaps', namespace: 'default' },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings' },
        data: { MODE: 'fast', LEVEL: '3' },
      },
    );
    await cluster.createPod('env', {
      restartPolicy: 'Never',
      containers: [
        {
          name: 'main',
          image: 'node',
          command: [NODE, '-e', 'process.exit(process.env.SUMMARY === process.argv[1] ? 0 : 9)'],
          args: ['fast/3/env/default/node-a/$(GREETING)'],
          envFrom: [{ configMapRef: { name: 'settings' } }],
          env: [
            { name: 'GREETING', value: 'hi-$(MODE)' },
            { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
            { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            { name: 'SUMMARY', value: '$(MODE)/$(LEVEL)/$(POD)/$(NS)/$(NODE)/$(GREETING)' },
          ],
        },
      ],
    });
    const pod = await cluster.podWhere('env', (current) =>
      expect(['Succeeded', 'Failed']).toContain(current.status.phase),
    );
    expect(pod.status.containerStatuses?.[0].state?.terminated?.exitCode).toBe(0);
  });

  it('waits in CreateContainerConfigError while a ConfigMap is missing', async () => {
    await cluster.createPod('no-config', {
      containers: [
        {
          name: 'main',
          image: 'sh',
          command: ['/bin/sh', '-c', 'sleep 600'],
          envFrom: [{ configMapRef: { name: 'absent' } }],
        },
      ],
    });
    const pod = await cluster.podWhere('no-config', (current) =>
      expect(current.status.containerStatuses?.[0].state?.waiting?.reason).toBe('CreateContainerConfigError'),
    );
    expect(pod.status.containerStatuses?.[0].state?.waiting?.message).toBe('configmap "absent" not found');
    expect(pod.status.phase).toBe('Pending');
  });

  it('fails a pod that asks for a runtime the node does not have, saying why', async () => {
    await cluster.createPod('wrong-runtime', {
      runtimeClassName: 'container',
      containers: [{ name: 'main', image: 'busybox' }],
    });
    const pod = await cluster.podWhere('wrong-runtime', (current) =>
      expect(current.status.phase).toBe('Failed'),
    );
    expect(pod.status.reason).toBe('RuntimeNotAvailable');
    expect(pod.status.message).toContain('has no "container" runtime');
  });

  it('serves container logs through the API (.../pods/NAME/log), following while the container runs', async () => {
    await cluster.createPod('talker', {
      restartPolicy: 'Never',
      containers: [{ name: 'main', image: 'sh', command: ['/bin/sh', '-c', 'echo one; sleep 1; echo two'] }],
    });
    await cluster.podWhere('talker', (pod) => expect(pod.status.phase).toBe('Running'));
    let followed = '';
    for await (const chunk of cluster.client.stream('/api/v1/namespaces/default/pods/talker/log', {
      follow: true,
    }))
      followed += chunk;
    expect(followed).toBe('one\ntwo\n');
    let tail = '';
    for await (const chunk of cluster.client.stream('/api/v1/namespaces/default/pods/talker/log', {
      tailLines: 1,
      timestamps: true,
    }))
      tail += chunk;
    expect(tail).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z two\n$/);
  });

  it("stops a deleted pod's processes and lets the API remove it", async () => {
    await cluster.createPod('doomed', { containers: [httpServerContainer(18083)] });
    const pod = await cluster.podWhere('doomed', (current) =>
      expect(conditionOf(current, 'Ready')).toBe('True'),
    );
    const uid = pod.metadata.uid;
    await cluster.client.delete({ apiVersion: 'v1', plural: 'pods', namespace: 'default', name: 'doomed' });
    await eventually(async () => {
      const error = await cluster.getPod('doomed').then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(isNotFound(error)).toBe(true);
    });
    await eventually(async () =>
      expect((await cluster.runtime.list()).filter((c) => c.podUid === uid)).toEqual([]),
    );
    // The kubelet's event, per container it stops.
    await eventually(async () => {
      const events = await cluster.client.list<{ reason: string; message: string }>(
        { apiVersion: 'v1', plural: 'events', namespace: 'default' },
        { fieldSelector: 'involvedObject.name=doomed,reason=Killing' },
      );
      expect(events.items.map((event) => event.message)).toEqual(['Stopping container web']);
    });
  });
});
