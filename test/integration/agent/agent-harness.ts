import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgent, type AgentOptions, type RunningAgent } from '../../../lib/agent/agent';
import { containerProbes } from '../../../lib/agent/container-probes';
import { serveAgentOn } from '../../../lib/agent/serve-agent';
import type { NodeIdentity } from '../../../lib/agent/node-identity';
import { ProcessRuntime } from '../../../lib/agent/runtime/process-runtime';
import { KubeClient } from '../../../lib/client/kube-client';
import type { Pod } from '../../../lib/kinds/pod';
import { startLocalControlPlane, type LocalControlPlane } from '../../../lib/local/local-control-plane';
import { eventually } from '../../support/eventually';

/** Node itself, so containers run the same interpreter whatever PATH they get. */
export const NODE = process.execPath;

export function localIdentity(nodeName: string): NodeIdentity {
  return {
    nodeName,
    providerID: `local:///local-a/i-${nodeName}`,
    zone: 'local-a',
    instanceType: 'local.small',
    capacityType: 'on-demand',
    nodePool: 'default',
    internalIP: '127.0.0.1',
    hostname: nodeName,
    architecture: 'amd64',
  };
}

/**
 * A control plane serving the API (no controllers: the tests bind pods themselves) and one agent
 * on a fresh data folder running pods as processes, with a short crash-loop backoff so restarts
 * are seen within a test.
 */
export async function anAgentCluster(overrides: Partial<AgentOptions> = {}) {
  const plane: LocalControlPlane = await startLocalControlPlane({ port: 0, controllers: [] });
  const client = new KubeClient({ server: plane.url });
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-agent-node-'));
  const runtime = new ProcessRuntime({ dataDir });
  const errors: unknown[] = [];
  const options: AgentOptions = {
    client,
    identity: localIdentity('node-a'),
    capacity: { cpuMillis: 2000, memoryBytes: 4 * 2 ** 30 },
    runtimes: { process: runtime },
    defaultRuntime: 'process',
    probes: containerProbes((message, error) => errors.push([message, error])),
    serve: serveAgentOn('127.0.0.1'),
    backoff: { initialSeconds: 1, maxSeconds: 2 },
    leaseRenewSeconds: 1,
    logError: (message, error) => errors.push([message, error]),
    ...overrides,
  };
  let agent: RunningAgent | undefined = await startAgent(options);
  const pods = { apiVersion: 'v1', plural: 'pods', namespace: 'default' } as const;
  return {
    plane,
    client,
    runtime,
    dataDir,
    errors,
    get agent(): RunningAgent {
      if (!agent) throw new Error('the agent is stopped');
      return agent;
    },
    async restartAgent(): Promise<void> {
      await agent?.stop();
      agent = await startAgent({ ...options, runtimes: { process: new ProcessRuntime({ dataDir }) } });
    },
    /** Creates a pod bound to the agent's node. */
    async createPod(name: string, spec: Record<string, unknown>): Promise<Pod> {
      return client.create<Pod>(pods, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default' },
        spec: { nodeName: 'node-a', terminationGracePeriodSeconds: 2, ...spec },
      });
    },
    getPod: (name: string) => client.get<Pod>({ ...pods, name }),
    /** Waits until the pod satisfies `check` (which throws until it does); answers the pod. */
    async podWhere(name: string, check: (pod: Pod) => void, deadlineMs = 15_000): Promise<Pod> {
      return eventually(async () => {
        const pod = await client.get<Pod>({ ...pods, name });
        check(pod);
        return pod;
      }, deadlineMs);
    },
    async stop(): Promise<void> {
      await agent?.stop({ stopPods: true, graceSeconds: 1 });
      agent = undefined;
      await plane.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type AgentCluster = Awaited<ReturnType<typeof anAgentCluster>>;

/** A container running a small HTTP server on `$(POD_IP):port` that answers its pod's name. */
export function httpServerContainer(port: number, extra: Record<string, unknown> = {}) {
  return {
    name: 'web',
    image: 'node',
    command: [
      NODE,
      '-e',
      `require('http').createServer((q, s) => s.end(process.env.POD_NAME)).listen(${port}, process.env.POD_IP, () => console.log('listening'))`,
    ],
    env: [
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ],
    ports: [{ name: 'http', containerPort: port }],
    ...extra,
  };
}

export function conditionOf(pod: Pod, type: string): string | undefined {
  return pod.status.conditions?.find((condition) => condition.type === type)?.status;
}
