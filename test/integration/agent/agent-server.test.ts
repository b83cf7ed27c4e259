import {
  servedPod,
  startAgentServer,
  type AgentServer,
  type ServedPod,
} from '../../../lib/agent/server/agent-server';
import type { Pod } from '../../../lib/kinds/pod';
import { listeningAddresses } from '../../support/spawn-local-server';
import { aProcessRuntime } from './process-runtime-harness';

/** A Kubernetes Status, as the tests read it. */
interface StatusBody {
  message?: string;
  reason?: string;
  details?: { kind?: string; name?: string; causes?: { field: string }[] };
}
const statusOf = async (response: Response) => (await response.json()) as StatusBody;

/**
 * The agent's HTTP server, the kubelet's `/containerLogs` as the API proxies to it, over a real
 * process runtime running `sh` containers.
 */
describe("the agent's server", () => {
  let harness: ReturnType<typeof aProcessRuntime>;
  let server: AgentServer;
  const pod = {
    uid: 'pod-uid-1',
    containers: ['app', 'sidecar'],
    statuses: [{ name: 'sidecar', state: { waiting: { reason: 'ContainerCreating' } } }],
  };
  /** The same pod as other statuses would describe it: its app's image not pulled, or no status yet. */
  const pulling = { ...pod, statuses: [{ name: 'app', state: { waiting: { reason: 'ImagePullBackOff' } } }] };
  const unreported = { uid: pod.uid, containers: pod.containers };
  const pods: Record<string, ServedPod> = { 'web-0': pod, 'web-1': pulling, 'web-2': unreported };
  const app = { podUid: pod.uid, container: 'app' };

  beforeEach(async () => {
    harness = aProcessRuntime();
    server = await startAgentServer({
      host: '127.0.0.1',
      runtime: harness.runtime,
      findPod: (namespace, name) => (namespace === 'default' ? pods[name] : undefined),
      logError: () => undefined,
    });
  });
  afterEach(async () => {
    await server.close();
    await harness.cleanUp();
  });

  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;
  const logs = (container: string, query = '') =>
    fetch(url(`/containerLogs/default/web-0/${container}${query ? `?${query}` : ''}`));
  const run = async (script: string, attempt = 0, ref = app) => {
    const handle = await harness.runtime.start({ ...ref, attempt, command: ['sh', '-c', script], env: {} });
    return handle;
  };

  it('listens on the host it is given only, and answers /healthz', async () => {
    expect(listeningAddresses(process.pid)).toContain(`127.0.0.1:${server.port}`);
    expect(listeningAddresses(process.pid).filter((a) => a.endsWith(`:${server.port}`))).toEqual([
      `127.0.0.1:${server.port}`,
    ]);
    const health = await fetch(url('/healthz'));
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok');
  });

  it("serves a finished container's log as text/plain", async () => {
    await (
      await run('echo one; echo two; echo three')
    ).exited;
    const answer = await logs('app');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/plain');
    expect(await answer.text()).toBe('one\ntwo\nthree\n');
  });

  it('applies tailLines, timestamps and limitBytes', async () => {
    await (
      await run('echo one; echo two; echo three')
    ).exited;
    expect(await (await logs('app', 'tailLines=2')).text()).toBe('two\nthree\n');
    expect(await (await logs('app', 'tailLines=0')).text()).toBe('');
    const stamped = (await (await logs('app', 'timestamps=true&tailLines=1')).text()).split(' ');
    expect(Number.isFinite(Date.parse(stamped[0]))).toBe(true);
    expect(stamped[1]).toBe('three\n');
    expect(await (await logs('app', 'limitBytes=6')).text()).toBe('one\ntw');
  });

  it('keeps only the lines written since sinceSeconds ago or sinceTime', async () => {
    await (
      await run('echo old')
    ).exited;
    expect(await (await logs('app', 'sinceSeconds=60')).text()).toBe('old\n');
    const future = new Date(Date.now() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    expect(await (await logs('app', `sinceTime=${future}`)).text()).toBe('');
    const past = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    expect(await (await logs('app', `sinceTime=${past}&timestamps=true`)).text()).toMatch(/^\S+ old\n$/);
  });

  it("serves the previous attempt's log with previous=true", async () => {
    await (
      await run('echo first run')
    ).exited;
    await (
      await run('echo second run', 1)
    ).exited;
    expect(await (await logs('app')).text()).toBe('second run\n');
    expect(await (await logs('app', 'previous=true')).text()).toBe('first run\n');
  });

  it('streams a running container with follow=true until it exits', async () => {
    const handle = await run('echo started; read line < /dev/null; sleep 0.3; echo ended');
    await harness.waitForLog(app, 'started');
    const answer = await logs('app', 'follow=true');
    expect(answer.status).toBe(200);
    const reader = answer.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    expect(text).toBe('started\n');
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      text += decoder.decode(chunk.value);
    expect(text).toBe('started\nended\n');
    expect((await handle.exited).exitCode).toBe(0);
  });

  it('stops following when the client goes away', async () => {
    await run('echo started; sleep 30');
    await harness.waitForLog(app, 'started');
    const controller = new AbortController();
    const answer = await fetch(url('/containerLogs/default/web-0/app?follow=true'), {
      signal: controller.signal,
    });
    const reader = answer.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('started\n');
    controller.abort();
    // The server is still answering others, and closes without waiting for the abandoned stream.
    expect((await fetch(url('/healthz'))).status).toBe(200);
  });

  it('answers 404 Status for a pod it does not run and a container the pod does not have', async () => {
    const pod404 = await fetch(url('/containerLogs/default/web-9/app'));
    expect(pod404.status).toBe(404);
    expect(await statusOf(pod404)).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'pod "web-9" does not exist',
    });
    const container404 = await logs('nope');
    expect(container404.status).toBe(404);
    expect((await statusOf(container404)).message).toBe('container "nope" not found in pod "web-0"');
  });

  it('answers 400 for a container that has not started and for a missing previous log', async () => {
    const waiting = await logs('sidecar');
    expect(waiting.status).toBe(400);
    // The kubelet's words: what the container waits for, when its status says.
    expect((await statusOf(waiting)).message).toBe(
      'container "sidecar" in pod "web-0" is waiting to start: ContainerCreating',
    );
    const pullingLog = await fetch(url('/containerLogs/default/web-1/app'));
    expect((await statusOf(pullingLog)).message).toBe(
      'container "app" in pod "web-1" is waiting to start: trying and failing to pull image',
    );
    const unreportedLog = await fetch(url('/containerLogs/default/web-2/sidecar'));
    expect((await statusOf(unreportedLog)).message).toBe(
      'container "sidecar" in pod "web-2" is waiting to start - no logs yet',
    );
    await (
      await run('echo only')
    ).exited;
    const previous = await logs('app', 'previous=true');
    expect(previous.status).toBe(400);
    expect((await statusOf(previous)).message).toBe(
      'previous terminated container "app" in pod "web-0" not found',
    );
  });

  it('answers 400 for a query it cannot decode and 422 for options kube refuses', async () => {
    const bad = await logs('app', 'tailLines=ten');
    expect(bad.status).toBe(400);
    expect((await statusOf(bad)).message).toContain('tailLines');
    for (const query of ['tailLines=-1', 'limitBytes=0', 'sinceSeconds=0']) {
      const invalid = await logs('app', query);
      expect(invalid.status).toBe(422);
      expect((await statusOf(invalid)).message).toContain(query.split('=')[0]);
    }
  });

  it('takes only GET on its paths, and knows no others', async () => {
    expect((await fetch(url('/containerLogs/default/web-0/app'), { method: 'POST' })).status).toBe(405);
    expect((await fetch(url('/pods'))).status).toBe(404);
  });

  it("serves every container of a pod, init containers first, with the pod's runtime", () => {
    const pod = {
      metadata: { uid: 'u-1' },
      spec: { initContainers: [{ name: 'setup' }], containers: [{ name: 'app' }, { name: 'sidecar' }] },
    } as unknown as Pod;
    expect(servedPod(pod, harness.runtime)).toEqual({
      uid: 'u-1',
      containers: ['setup', 'app', 'sidecar'],
      runtime: harness.runtime,
      statuses: [],
    });
  });
});
