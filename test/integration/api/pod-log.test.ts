import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgentServer, type AgentServer } from '../../../lib/agent/server/agent-server';
import type { KubeObject } from '../../../lib/kinds/meta';
import { startLocalControlPlane, type LocalControlPlane } from '../../../lib/local/local-control-plane';
import { KUBECTL, kubectlUnavailable, writeKubeconfig } from '../../e2e/watch-clients/watch-client-tools';
import { aProcessRuntime } from '../agent/process-runtime-harness';
import { eventually } from '../../support/eventually';

const PODS = '/api/v1/namespaces/default/pods';

/** A Kubernetes Status, as the tests read it. */
interface StatusBody {
  message?: string;
  reason?: string;
  details?: { kind?: string; name?: string; causes?: { field: string }[] };
}
const statusOf = async (response: Response) => (await response.json()) as StatusBody;

/**
 * `GET .../pods/NAME/log` on the local control plane, proxied to a real agent server (a Node
 * object points at it, as an agent registers it) over a process runtime; and kubectl logs.
 */
describe('The pods/log subresource', () => {
  let plane: LocalControlPlane;
  let harness: ReturnType<typeof aProcessRuntime>;
  let agent: AgentServer;
  /** The pods the agent runs, by name: uid and containers, as the agent's server finds them. */
  const running = new Map<string, { uid: string; containers: string[] }>();

  const send = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${plane.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await statusOf(response)) as KubeObject;
    if (response.status >= 300)
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const log = (pod: string, query = '') => fetch(`${plane.url}${PODS}/${pod}/log${query ? `?${query}` : ''}`);

  /** A node whose agent listens at `port` on 127.0.0.1, registered as an agent registers it. */
  const registerNode = async (name: string, port: number | undefined) => {
    const node = await send('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name } });
    await send('PUT', `/api/v1/nodes/${name}/status`, {
      ...node,
      status: {
        addresses: [
          { type: 'Hostname', address: name },
          { type: 'InternalIP', address: '127.0.0.1' },
        ],
        ...(port ? { daemonEndpoints: { kubeletEndpoint: { Port: port } } } : {}),
      },
    });
  };

  /** A pod on `node` with these containers; the first runs `script` in the agent's runtime. */
  const runPod = async (
    name: string,
    script: string,
    options: { containers?: string[]; node?: string; annotations?: Record<string, string> } = {},
  ) => {
    const containers = options.containers ?? ['app'];
    const pod = await send('POST', PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, ...(options.annotations ? { annotations: options.annotations } : {}) },
      spec: {
        nodeName: options.node ?? 'node-a',
        containers: containers.map((c) => ({ name: c, image: 'busybox', command: ['sh', '-c', script] })),
      },
    });
    const uid = pod.metadata.uid ?? '';
    running.set(name, { uid, containers });
    const handle = await harness.runtime.start({
      podUid: uid,
      container: containers[0],
      attempt: 0,
      command: ['sh', '-c', script],
      env: {},
    });
    return { uid, handle };
  };

  beforeAll(async () => {
    plane = await startLocalControlPlane({ port: 0, controllers: [] });
    harness = aProcessRuntime();
    agent = await startAgentServer({
      host: '127.0.0.1',
      runtime: harness.runtime,
      findPod: (namespace, name) => (namespace === 'default' ? running.get(name) : undefined),
      logError: () => undefined,
    });
    await registerNode('node-a', agent.port);
  });
  afterAll(async () => {
    await agent?.close();
    await harness?.cleanUp();
    await plane?.stop();
  });

  it('is listed in discovery as pods/log with the get verb, as kube-apiserver lists it', async () => {
    const list = (await (await fetch(`${plane.url}/api/v1`)).json()) as { resources: { name: string }[] };
    expect(list.resources).toContainEqual({
      name: 'pods/log',
      singularName: '',
      namespaced: true,
      kind: 'Pod',
      verbs: ['get'],
    });
  });

  it("answers the container's log as text/plain, with the agent's options applied", async () => {
    const { handle } = await runPod('printer', 'echo one; echo two; echo three');
    await handle.exited;
    const answer = await log('printer');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/plain');
    expect(await answer.text()).toBe('one\ntwo\nthree\n');
    expect(await (await log('printer', 'tailLines=1')).text()).toBe('three\n');
    expect(await (await log('printer', 'limitBytes=5')).text()).toBe('one\nt');
    expect(await (await log('printer', 'container=app&sinceSeconds=3600')).text()).toBe('one\ntwo\nthree\n');
    expect(await (await log('printer', 'timestamps=true&tailLines=1')).text()).toMatch(/^\S+Z three\n$/);
  });

  it('streams with follow=true until the container exits', async () => {
    const { uid } = await runPod('follower', 'echo started; sleep 0.5; echo middle; sleep 0.5; echo ended');
    await harness.waitForLog({ podUid: uid, container: 'app' }, 'started');
    const answer = await log('follower', 'follow=true');
    expect(answer.status).toBe(200);
    const reader = answer.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    expect(text.startsWith('started\n')).toBe(true);
    expect(text).not.toContain('ended'); // sent before the container finished
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      text += decoder.decode(chunk.value);
    expect(text).toBe('started\nmiddle\nended\n');
  });

  it('chooses the only container, else the default-container annotation, else asks for one', async () => {
    await runPod('two-containers', 'echo from app', { containers: ['app', 'sidecar'] });
    const ambiguous = await log('two-containers');
    expect(ambiguous.status).toBe(400);
    expect(await statusOf(ambiguous)).toMatchObject({
      reason: 'BadRequest',
      message: 'a container name must be specified for pod two-containers, choose one of: [app sidecar]',
    });
    const annotated = await runPod('annotated', 'echo from annotated', {
      containers: ['app', 'sidecar'],
      annotations: { 'kubectl.kubernetes.io/default-container': 'app' },
    });
    await annotated.handle.exited;
    expect(await (await log('annotated')).text()).toBe('from annotated\n');
    const unknown = await log('two-containers', 'container=nope');
    expect(unknown.status).toBe(400);
    expect((await statusOf(unknown)).message).toBe('container nope is not valid for pod two-containers');
  });

  it('relays the agent’s 400 for a container that has not started', async () => {
    await runPod('waiting', 'echo app', { containers: ['app', 'later'] });
    const answer = await log('waiting', 'container=later');
    expect(answer.status).toBe(400);
    expect((await statusOf(answer)).message).toBe(
      'container "later" in pod "waiting" is waiting to start - no logs yet',
    );
  });

  it('answers 400 for options it cannot decode and 422 Invalid PodLogOptions for those kube refuses', async () => {
    await runPod('checked', 'echo checked');
    const undecodable = await log('checked', 'tailLines=many');
    expect(undecodable.status).toBe(400);
    expect((await statusOf(undecodable)).details?.causes?.[0]?.field).toBe('tailLines');
    for (const [query, field] of [
      ['tailLines=-1', 'tailLines'],
      ['limitBytes=0', 'limitBytes'],
      ['sinceSeconds=-5', 'sinceSeconds'],
    ]) {
      const invalid = await log('checked', query);
      expect(invalid.status).toBe(422);
      const status = await statusOf(invalid);
      expect(status).toMatchObject({
        reason: 'Invalid',
        details: { kind: 'PodLogOptions', name: 'checked' },
      });
      expect(status.details?.causes?.[0]?.field).toBe(field);
    }
  });

  it('answers 204 with no body for a pod no node runs yet, and 404 for a missing pod', async () => {
    await send('POST', PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'pending' },
      spec: { containers: [{ name: 'app', image: 'busybox' }] },
    });
    const pending = await log('pending');
    expect(pending.status).toBe(204);
    expect(await pending.text()).toBe('');
    expect((await log('missing')).status).toBe(404);
  });

  it("answers 500 when the node's agent cannot be reached or registered no port, 404 when the node is gone", async () => {
    await registerNode('node-down', 1); // nothing listens on port 1
    await runPod('on-down-node', 'echo x', { node: 'node-down' });
    const down = await log('on-down-node');
    expect(down.status).toBe(500);
    expect((await statusOf(down)).message).toMatch(
      /^Get "http:\/\/127\.0\.0\.1:1\/containerLogs\/default\/on-down-node\/app"/,
    );
    await registerNode('node-portless', undefined);
    await runPod('on-portless-node', 'echo x', { node: 'node-portless' });
    expect((await log('on-portless-node')).status).toBe(500);
    await runPod('on-missing-node', 'echo x', { node: 'node-missing' });
    const gone = await log('on-missing-node');
    expect(gone.status).toBe(404);
    expect((await statusOf(gone)).message).toBe('nodes "node-missing" not found');
  });

  it('takes only GET', async () => {
    await runPod('get-only', 'echo x');
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const answer = await fetch(`${plane.url}${PODS}/get-only/log`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(answer.status).toBe(405);
    }
  });

  const unavailable = kubectlUnavailable();
  (unavailable ? it.skip : it)('serves kubectl logs and kubectl logs -f', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'skiff-pod-log-'));
    try {
      const kubeconfig = writeKubeconfig(workDir, plane.url);
      const args = ['--kubeconfig', kubeconfig, '--cache-dir', join(workDir, 'cache')];
      // Asynchronous: the API runs in this process and must keep answering while kubectl waits.
      const kubectl = (...rest: string[]) =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(KUBECTL, [...args, ...rest], { timeout: 30_000 });
          let out = '';
          let err = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
          child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
          child.on('close', (code) =>
            code === 0 ? resolve(out) : reject(new Error(`kubectl ${rest.join(' ')}: ${err}`)),
          );
        });
      const done = await runPod('kubectl-done', 'echo hello from kubectl');
      await done.handle.exited;
      expect(await kubectl('logs', 'kubectl-done')).toBe('hello from kubectl\n');
      expect(await kubectl('logs', 'kubectl-done', '--tail=1', '-c', 'app')).toBe('hello from kubectl\n');

      const live = await runPod('kubectl-live', 'echo first; read never < /dev/null; sleep 1; echo last');
      await harness.waitForLog({ podUid: live.uid, container: 'app' }, 'first');
      const follow = spawn(KUBECTL, [...args, 'logs', '-f', 'kubectl-live']);
      let output = '';
      follow.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => follow.on('close', resolve));
      await eventually(async () => expect(output).toBe('first\n'));
      expect(await exited).toBe(0); // ends when the container does
      expect(output).toBe('first\nlast\n');
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });
});
