import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/engines/project-root';
import { eventually } from '../support/eventually';
import {
  descendantsOf,
  describeProcess,
  hostListeners,
  pidListeningOn,
  processExists,
  processesWorkingIn,
  worksIn,
} from '../support/host-processes';
import { spawnLocalServer, type LocalServerProcess } from '../support/spawn-local-server';
import { KUBECTL, kubectlUnavailable, writeKubeconfig } from './watch-clients/watch-client-tools';

const unavailable = kubectlUnavailable();
const describeWithKubectl = unavailable ? describe.skip : describe;
if (unavailable) console.warn(`local cluster tests skipped: ${unavailable}`);

const SKIFF = join(PROJECT_ROOT, 'bin/skiff');
const WEB_YAML = join(PROJECT_ROOT, 'examples/web.yaml');
/** The port examples/web.yaml's server binds on its pod IP. */
const WEB_PORT = 8080;
/** Issue 9's acceptance figure: apply to 3 pods Running and Ready. */
const READY_WITHIN_MS = 10_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

interface Pod {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status: {
    phase?: string;
    podIP?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: { restartCount: number; ready: boolean }[];
  };
}

interface Job {
  status: {
    failed?: number;
    succeeded?: number;
    conditions?: { type: string; status: string; reason?: string }[];
  };
}

const isReady = (pod: Pod) =>
  !pod.metadata.deletionTimestamp &&
  pod.status.phase === 'Running' &&
  pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** A Job of one process that exits with `code`, never restarted in place. */
const exitingJob = (name: string, code: number, backoffLimit: number) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name },
  spec: {
    backoffLimit,
    template: {
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'main',
            image: 'busybox:1.36',
            command: ['sh', '-c', `exit ${code}`],
            resources: { requests: { cpu: '50m', memory: '16Mi' } },
          },
        ],
      },
    },
  },
});

/**
 * Issue 9's acceptance on the local cluster, as a user meets it: `npm start` with one warm local
 * node whose agent runs pods as host processes, examples/web.yaml applied with the skiff CLI, and
 * kubectl for the rest. The processes are checked on the host itself (ss, /proc): each pod really
 * listens on its own loopback IP, a killed process is restarted, and Ctrl-C leaves none behind.
 */
describeWithKubectl('the local cluster (npm start) runs pods as processes', () => {
  let server: LocalServerProcess;
  let workDir: string;
  let nodesDir: string;
  let kubeconfig: string;
  /** Every pod process seen listening, to check after Ctrl-C that none is left. */
  const podPids = new Set<number>();
  /** Every pod IP seen, likewise. */
  const podIPs = new Set<string>();

  const run = (command: string, args: string[], input?: string, env: Record<string, string> = {}) =>
    new Promise<Run>((resolve) => {
      const child = execFile(
        command,
        args,
        { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin?.end(input ?? '');
    });
  const kubectlArgs = (args: string[]) => [
    '--kubeconfig',
    kubeconfig,
    '--cache-dir',
    join(workDir, 'kubectl-cache'),
    ...args,
  ];
  /** kubectl, expected to exit 0: its stdout. */
  const kubectl = async (...args: string[]) => {
    const result = await run(KUBECTL, kubectlArgs(args));
    if (result.code !== 0)
      throw new Error(`kubectl ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`);
    return result.stdout;
  };
  const kubectlApply = async (object: unknown) => {
    const result = await run(KUBECTL, kubectlArgs(['apply', '-f', '-']), JSON.stringify(object));
    expect(result).toMatchObject({ code: 0 });
  };
  const skiff = (...args: string[]) =>
    run(SKIFF, ['--server', server.url, ...args], undefined, { SKIFF_CONFIG: join(workDir, 'skiff.json') });
  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${server.url}${path}`);
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const helloPods = async () =>
    (await api<{ items: Pod[] }>('/api/v1/namespaces/default/pods?labelSelector=app%3Dhello')).items;
  /** Waits until exactly 3 hello pods exist, none terminating, all Running and Ready. */
  const threeReady = (deadlineMs: number) =>
    eventually(
      async () => {
        const pods = await helloPods();
        // The whole status of a pod that is not Ready, so a failure says why.
        expect(
          pods.filter((pod) => !isReady(pod)).map(({ metadata, status }) => ({ metadata, status })),
        ).toEqual([]);
        expect(pods).toHaveLength(3);
        return pods;
      },
      deadlineMs,
      100,
    );
  /** The pod's server process, remembered for the Ctrl-C check. */
  const listenerOf = (pod: Pod) => {
    const ip = pod.status.podIP ?? '';
    const pid = pidListeningOn(ip, WEB_PORT);
    if (pid === undefined) throw new Error(`nothing listens on ${ip}:${WEB_PORT} for ${pod.metadata.name}`);
    // Not another cluster's pod on the same address: this one runs in this cluster's node folder.
    if (!worksIn(pid, nodesDir))
      throw new Error(`${ip}:${WEB_PORT} is held by ${describeProcess(pid)}, not a pod of this cluster`);
    podPids.add(pid);
    podIPs.add(ip);
    return pid;
  };
  const answers = async (pod: Pod, path = '/') => {
    const response = await fetch(`http://${pod.status.podIP}:${WEB_PORT}${path}`);
    return { status: response.status, body: await response.text() };
  };

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'skiff-local-cluster-'));
    nodesDir = join(realpathSync(workDir), 'nodes');
    server = await spawnLocalServer({ args: ['--in-memory', '--nodes', '1', '--nodes-dir', nodesDir] });
    kubeconfig = writeKubeconfig(workDir, server.url);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    // A failed test must not leave its pods running on the host.
    if (nodesDir) for (const pid of processesWorkingIn(nodesDir)) process.kill(pid, 'SIGKILL');
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('runs examples/web.yaml: 3 pods Running and Ready within 10 s of skiff apply, each answering on its pod IP', async () => {
    // Each local cluster numbers its nodes' pod IPs from 127.1.0.1: another one on this host with
    // pods serving on this port would hold this one's addresses, and these pods could not bind.
    const foreign = hostListeners().filter((l) => l.port === WEB_PORT && /^127\.[1-9]/.test(l.address));
    expect(foreign.map((l) => `${l.address}:${l.port} ${l.pids.map(describeProcess).join(', ')}`)).toEqual(
      [],
    );

    const appliedAt = Date.now();
    const applied = await skiff('apply', '-f', WEB_YAML);
    expect(applied).toMatchObject({ code: 0, stdout: 'deployment.apps/hello created\n' });
    const pods = await threeReady(READY_WITHIN_MS);
    const readyAfterMs = Date.now() - appliedAt;
    console.log(`examples/web.yaml: 3 pods Ready ${readyAfterMs} ms after skiff apply began`);
    expect(readyAfterMs).toBeLessThan(READY_WITHIN_MS);

    const ips = pods.map((pod) => pod.status.podIP);
    expect(new Set(ips).size).toBe(3);
    for (const pod of pods) {
      expect(pod.status.podIP).toMatch(/^127\.\d+\.\d+\.\d+$/);
      expect(pod.status.podIP).not.toBe('127.0.0.1');
      expect(await answers(pod)).toEqual({ status: 200, body: `hello from ${pod.metadata.name}\n` });
      listenerOf(pod);
    }

    const wide = (await kubectl('get', 'pods', '-l', 'app=hello', '-o', 'wide')).trim().split('\n');
    expect(wide[0]).toMatch(
      /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/,
    );
    const rows = new Map(wide.slice(1).map((line) => [line.split(/\s+/)[0], line.split(/\s+/)]));
    for (const pod of pods) {
      const row = rows.get(pod.metadata.name);
      expect(row?.slice(1, 3)).toEqual(['1/1', 'Running']);
      expect(row?.slice(5, 7)).toEqual([pod.status.podIP, pod.spec.nodeName]);
    }
    expect(pods[0].spec.nodeName).toMatch(/^local-/);

    expect(await kubectl('rollout', 'status', 'deployment/hello', '--timeout=10s')).toContain(
      'deployment "hello" successfully rolled out',
    );
    expect(await kubectl('wait', '--for=condition=Available', 'deployment/hello', '--timeout=10s')).toBe(
      'deployment.apps/hello condition met\n',
    );
  }, 40_000);

  it('streams a pod log with kubectl logs -f: a request made while it runs shows up in it', async () => {
    const [pod] = await helloPods();
    const follower = spawn(KUBECTL, kubectlArgs(['logs', '-f', pod.metadata.name]));
    let output = '';
    follower.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    follower.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let exit: string | undefined;
    follower.on('exit', (code, signal) => (exit = `kubectl exited: code ${code}, signal ${signal}`));
    try {
      await eventually(
        async () => expect(output).toContain(`listening on ${pod.status.podIP}:${WEB_PORT}`),
        10_000,
      );
      // A path of its own: the line cannot be an earlier request's.
      const path = `/followed-${Date.now()}`;
      expect((await answers(pod, path)).status).toBe(200);
      await eventually(async () => expect(output).toContain(`GET ${path}\n`), 10_000);
      expect(exit).toBeUndefined();
    } finally {
      follower.kill('SIGKILL');
    }
  }, 30_000);

  it('restarts a pod whose process is killed: restartCount 1, Ready again, listening from a new process', async () => {
    const [pod] = await helloPods();
    const name = pod.metadata.name;
    const killed = listenerOf(pod);
    process.kill(killed, 'SIGKILL');
    const restarted = await eventually(
      async () => {
        const now = (await helloPods()).find((p) => p.metadata.name === name);
        expect(now?.status.containerStatuses?.[0].restartCount).toBe(1);
        expect(now && isReady(now)).toBe(true);
        return now as Pod;
      },
      20_000,
      100,
    );
    expect(restarted.status.podIP).toBe(pod.status.podIP);
    const pid = await eventually(async () => listenerOf(restarted));
    expect(pid).not.toBe(killed);
    expect(processExists(killed)).toBe(false);
    expect(await answers(restarted)).toEqual({ status: 200, body: `hello from ${name}\n` });
  }, 30_000);

  it('replaces a deleted pod: it is gone and 3 pods are Ready again, one with a new name', async () => {
    const before = await helloPods();
    const victim = before[1].metadata.name;
    expect(await kubectl('delete', 'pod', victim, '--timeout=20s')).toBe(`pod "${victim}" deleted\n`);
    const after = await threeReady(20_000);
    const names = after.map((pod) => pod.metadata.name);
    expect(names).not.toContain(victim);
    expect(names.filter((n) => !before.some((pod) => pod.metadata.name === n))).toHaveLength(1);
    for (const pod of after) {
      listenerOf(pod);
      expect(await answers(pod)).toEqual({ status: 200, body: `hello from ${pod.metadata.name}\n` });
    }
  }, 30_000);

  it('kubectl drain empties the node; the scheduler launches another where all 3 pods run Ready', async () => {
    const before = await helloPods();
    const drained = before[0].spec.nodeName as string;
    expect(before.every((pod) => pod.spec.nodeName === drained)).toBe(true);
    const out = await kubectl(
      'drain',
      drained,
      '--ignore-daemonsets',
      '--delete-emptydir-data',
      '--timeout=30s',
    );
    expect(out).toContain(`node/${drained} cordoned`);
    expect(out).toContain(`node/${drained} drained`);
    const after = await eventually(
      async () => {
        const pods = await threeReady(0);
        expect(pods.filter((pod) => pod.spec.nodeName === drained)).toEqual([]);
        return pods;
      },
      30_000,
      200,
    );
    const onDrained = await api<{ items: Pod[] }>(`/api/v1/pods?fieldSelector=spec.nodeName%3D${drained}`);
    expect(onDrained.items.map((pod) => pod.metadata.name)).toEqual([]);
    expect(new Set(after.map((pod) => pod.spec.nodeName)).size).toBe(1);
    for (const pod of after) {
      listenerOf(pod);
      expect(await answers(pod)).toEqual({ status: 200, body: `hello from ${pod.metadata.name}\n` });
    }
    expect(await kubectl('get', 'node', drained, '-o', 'jsonpath={.spec.unschedulable}')).toBe('true');
  }, 50_000);

  it('completes a Job whose process exits 0; retries one that exits 1 and fails it at backoffLimit 1', async () => {
    await kubectlApply(exitingJob('succeeds', 0, 0));
    await kubectlApply(exitingJob('fails', 1, 1));
    expect(await kubectl('wait', '--for=condition=Complete', 'job/succeeds', '--timeout=20s')).toBe(
      'job.batch/succeeds condition met\n',
    );
    // The Job controller waits 10 s before its second pod.
    expect(await kubectl('wait', '--for=condition=Failed', 'job/fails', '--timeout=40s')).toBe(
      'job.batch/fails condition met\n',
    );
    const failed = await api<Job>('/apis/batch/v1/namespaces/default/jobs/fails');
    expect(failed.status.conditions?.find((c) => c.type === 'Failed')).toMatchObject({
      status: 'True',
      reason: 'BackoffLimitExceeded',
    });
    expect(failed.status.failed).toBe(2);
    const pods = await api<{ items: Pod[] }>(
      '/api/v1/namespaces/default/pods?labelSelector=job-name%3Dfails',
    );
    expect(pods.items.map((pod) => pod.status.phase)).toEqual(['Failed', 'Failed']);
    const succeeded = await api<Job>('/apis/batch/v1/namespaces/default/jobs/succeeds');
    expect(succeeded.status.succeeded).toBe(1);
  }, 70_000);

  it('listens on loopback only: the API and agents on 127.0.0.1, every pod on its own 127.N address', () => {
    const mine = new Set([server.pid, ...descendantsOf(server.pid)]);
    const listeners = hostListeners().filter((l) => l.pids.some((pid) => mine.has(pid)));
    const serverOwn = listeners.filter((l) => l.pids.includes(server.pid));
    const pods = listeners.filter((l) => !l.pids.includes(server.pid));
    // The API and at least one node agent (the drained node's and its replacement's).
    expect(serverOwn.length).toBeGreaterThanOrEqual(2);
    expect(serverOwn).toContainEqual(expect.objectContaining({ address: '127.0.0.1', port: server.port }));
    for (const listener of serverOwn) expect(listener.address).toBe('127.0.0.1');
    expect(pods).toHaveLength(3);
    for (const listener of pods) {
      expect(listener.address).toMatch(/^127\.([1-9]\d*)\.\d+\.\d+$/);
      expect(listener.port).toBe(WEB_PORT);
    }
  });

  it('leaves no pod process running after Ctrl-C', async () => {
    for (const pid of processesWorkingIn(nodesDir)) podPids.add(pid);
    const before = new Map([...podPids].filter(processExists).map((pid) => [pid, describeProcess(pid)]));
    expect(before.size).toBeGreaterThanOrEqual(3);
    expect(await server.stop()).toBe('exited with code 0');
    // Gone, not even a zombie: the server waited for each before it exited.
    const left = [...new Set([...podPids, ...processesWorkingIn(nodesDir)])]
      .filter(processExists)
      .map((pid) => `${describeProcess(pid)} (before Ctrl-C: ${before.get(pid) ?? 'not seen'})`);
    expect(left).toEqual([]);
    const stillListening = hostListeners().filter((l) => l.port === WEB_PORT && podIPs.has(l.address));
    expect(stillListening).toEqual([]);
  }, 20_000);
});
