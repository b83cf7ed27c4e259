import type { KubeClient } from '../client/kube-client';
import { isConflict, isNotFound } from '../client/api-error';
import type { Container } from '../kinds/container';
import type { Pod } from '../kinds/pod';
import type { PodStatus } from '../kinds/pod-status';
import { AgentEvents } from './agent-events';
import { NodeRegistration, type DirectHeartbeat } from './node/node-registration';
import type { NodeCapacity } from './node/node-manifest';
import type { NodeIdentity } from './node-identity';
import { containerEnv } from './pod-env';
import { PodFollower, type PodChangeSignal } from './pod-follower';
import { PodWorker, type ProbeKind } from './pods/pod-worker';
import type { ContainerRuntime } from './runtime/container-runtime';
import { LoopbackIpAllocator, type LoopbackRange } from './runtime/loopback-ip-allocator';

/** The runtimes a pod may ask for by `spec.runtimeClassName`. */
export type RuntimeName = 'process' | 'container';

/** Starts a container's probes; answers a stop. The agent's default runs lib/agent/probes. */
export type ProbeStarter = (
  pod: Pod,
  container: Container,
  runtime: ContainerRuntime,
  podIP: string,
  changed: (kind: ProbeKind, healthy: boolean, message?: string) => void,
) => () => void;

export interface AgentOptions {
  client: KubeClient;
  identity: NodeIdentity;
  capacity: NodeCapacity;
  runtimes: Partial<Record<RuntimeName, ContainerRuntime>>;
  /** The runtime of pods that name none (`process` locally, `container` on EC2). */
  defaultRuntime: RuntimeName;
  /** The loopback range this node's pods take their IPs from (nodes sharing a host take disjoint ones). */
  podIPRange?: LoopbackRange;
  /** Labels the launcher knows and the NodeClaim does not carry. */
  extraLabels?: Record<string, string>;
  probes: ProbeStarter;
  /** Starts the agent's HTTP server (logs) and answers its port; see server/agent-server.ts. */
  serve?: (agent: RunningAgentView) => Promise<{ port: number; close(): Promise<void> }>;
  leaseRenewSeconds?: number;
  /**
   * Renew a heartbeat item straight in the table instead of the Lease through the API (on AWS:
   * lib/agent/node/node-registration.ts); its renewSeconds then replaces leaseRenewSeconds.
   */
  directHeartbeat?: DirectHeartbeat;
  /**
   * Follow the node's pods by polling this signal and listing on change instead of holding a watch
   * (on AWS, where a held watch keeps an API Lambda running: lib/agent/pod-follower.ts).
   */
  podChanges?: PodChangeSignal;
  backoff?: { initialSeconds: number; maxSeconds: number };
  logError?: (message: string, error: unknown) => void;
  now?: () => Date;
}

/** What the agent's server reads: the pods the agent runs and their runtimes. */
export interface RunningAgentView {
  findPod(namespace: string, name: string): { pod: Pod; runtime: ContainerRuntime } | undefined;
}

export interface RunningAgent extends RunningAgentView {
  nodeName: string;
  /** Resolves when every pod worker is idle (tests). */
  settled(): Promise<void>;
  /**
   * Stops following pods and renewing the Lease. With `stopPods`, every container is stopped
   * (SIGTERM, then SIGKILL after at most `graceSeconds`), so no pod process outlives the agent.
   */
  stop(options?: { stopPods?: boolean; graceSeconds?: number }): Promise<void>;
  /** Removes the Node and its Lease (the node is gone for good). */
  deregister(): Promise<void>;
}

const AGENT_VERSION = 'skiff-agent/0.1.0';

/**
 * Starts a node agent: the kubelet's counterpart, talking to the API like any client. It stops
 * what an earlier run of it left running, registers the Node, starts its server, follows the pods
 * bound to the node, runs each through a PodWorker, and renews the node's Lease every
 * `leaseRenewSeconds` (10 s, as the kubelet).
 */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const logError = options.logError ?? ((message, error) => console.error(`agent: ${message}`, error));
  const now = options.now ?? (() => new Date());
  const nodeName = options.identity.nodeName;
  await stopSurvivors(options.runtimes);

  const workers = new Map<string, PodWorker>();
  /** Pods stopped and deleted by their worker: later events about them (until DELETED) start nothing. */
  const finished = new Set<string>();
  const pods = new Map<string, Pod>();
  const allocator = new LoopbackIpAllocator(options.podIPRange);
  const events = new AgentEvents(options.client, nodeName, logError, now);
  const runtimeOf = (pod: Pod) => options.runtimes[runtimeNameOf(pod, options.defaultRuntime)];

  const view: RunningAgentView = {
    findPod(namespace, name) {
      const pod = [...pods.values()].find(
        (candidate) => candidate.metadata.namespace === namespace && candidate.metadata.name === name,
      );
      const runtime = pod && runtimeOf(pod);
      return pod && runtime ? { pod, runtime } : undefined;
    },
  };
  const server = options.serve ? await options.serve(view) : undefined;
  const registration = new NodeRegistration(
    options.client,
    {
      identity: options.identity,
      capacity: options.capacity,
      extraLabels: options.extraLabels,
      agentPort: server?.port ?? 0,
      agentVersion: AGENT_VERSION,
      runtimeVersion: Object.keys(options.runtimes).join(','),
    },
    now,
    options.directHeartbeat,
  );
  await registration.register();

  const workerFor = (pod: Pod): PodWorker => {
    const uid = pod.metadata.uid ?? '';
    const runtime = runtimeOf(pod);
    const wanted = runtimeNameOf(pod, options.defaultRuntime);
    const podIP =
      pod.status.podIP && reserve(allocator, uid, pod.status.podIP)
        ? pod.status.podIP
        : allocator.allocate(uid);
    return new PodWorker(pod, {
      runtime: runtime ?? {
        missing: `node ${nodeName} has no "${wanted}" runtime (it has: ${Object.keys(options.runtimes).join(', ')})`,
      },
      hostIP: options.identity.internalIP,
      podIP,
      env: (current, container) =>
        containerEnv(current, container, envSources(options.client), {
          podIP,
          podIPs: [podIP],
          hostIP: options.identity.internalIP,
          hostIPs: [options.identity.internalIP],
        }),
      writeStatus: (current, status) => writePodStatus(options.client, current, status),
      deletePod: (current) => deletePod(options.client, current),
      event: (current, type, reason, message) => events.record(current, type, reason, message),
      startProbes: (current, container, changed) =>
        runtime ? options.probes(current, container, runtime, podIP, changed) : () => undefined,
      finished: (finishedUid) => {
        finished.add(finishedUid);
        workers.delete(finishedUid);
        pods.delete(finishedUid);
        allocator.release(finishedUid);
      },
      logError,
      now,
      backoff: options.backoff,
    });
  };

  const follower = new PodFollower(
    options.client,
    nodeName,
    {
      upsert(pod) {
        const uid = pod.metadata.uid ?? '';
        if (finished.has(uid)) return;
        pods.set(uid, pod);
        const worker = workers.get(uid);
        if (worker) return worker.update(pod);
        const created = workerFor(pod);
        workers.set(uid, created);
        created.update(pod);
      },
      remove(uid) {
        finished.delete(uid);
        workers.get(uid)?.removed();
      },
      logError,
    },
    options.podChanges,
  );
  follower.start();
  await follower.synced;

  const renewMs = (options.directHeartbeat?.renewSeconds ?? options.leaseRenewSeconds ?? 10) * 1000;
  let beating: Promise<void> | undefined;
  const heartbeat = setInterval(() => {
    beating ??= registration
      .heartbeat()
      .catch((error: unknown) => logError('node heartbeat failed', error))
      .finally(() => (beating = undefined));
  }, renewMs);
  heartbeat.unref();

  return {
    nodeName,
    findPod: view.findPod,
    settled: async () => {
      await Promise.all([...workers.values()].map((worker) => worker.settled()));
    },
    stop: async ({ stopPods = false, graceSeconds = 10 } = {}) => {
      clearInterval(heartbeat);
      await follower.stop();
      await beating;
      for (const worker of workers.values()) worker.detach();
      await Promise.all([...workers.values()].map((worker) => worker.settled()));
      if (stopPods) await stopAll(options.runtimes, graceSeconds);
      await server?.close();
    },
    deregister: () => registration.deregister(),
  };
}

/** The pod's runtime: its runtimeClassName, or the node's default. */
function runtimeNameOf(pod: Pod, fallback: RuntimeName): RuntimeName {
  return (pod.spec.runtimeClassName as RuntimeName | undefined) ?? fallback;
}

/** Keeps a pod's reported IP across agent restarts; false when it cannot be kept. */
function reserve(allocator: LoopbackIpAllocator, uid: string, ip: string): boolean {
  try {
    allocator.reserve(uid, ip);
    return true;
  } catch {
    return false;
  }
}

/**
 * Containers a previous run of the agent started are stopped: their output pipes died with it
 * (docs/agent.md), so each pod's worker starts them again, counting a restart.
 */
async function stopSurvivors(runtimes: AgentOptions['runtimes']): Promise<void> {
  await stopAll(runtimes, 5);
}

async function stopAll(runtimes: AgentOptions['runtimes'], graceSeconds: number): Promise<void> {
  await Promise.all(
    Object.values(runtimes).map(async (runtime) => {
      const running = await runtime.list();
      await Promise.all(running.map((container) => runtime.stop(container, graceSeconds)));
    }),
  );
}

function envSources(client: KubeClient) {
  const read = async (plural: string, namespace: string, name: string) => {
    try {
      return await client.get<{ data?: Record<string, string> }>({
        apiVersion: 'v1',
        plural,
        namespace,
        name,
      });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };
  return {
    configMap: async (namespace: string, name: string) => {
      const object = await read('configmaps', namespace, name);
      return object && (object.data ?? {});
    },
    secret: async (namespace: string, name: string) => {
      const object = await read('secrets', namespace, name);
      if (!object) return undefined;
      return Object.fromEntries(
        Object.entries(object.data ?? {}).map(([key, value]) => [
          key,
          Buffer.from(value, 'base64').toString(),
        ]),
      );
    },
  };
}

async function writePodStatus(client: KubeClient, pod: Pod, status: PodStatus): Promise<void> {
  try {
    await client.patch(
      {
        apiVersion: 'v1',
        plural: 'pods',
        namespace: pod.metadata.namespace,
        name: pod.metadata.name,
        subresource: 'status',
      },
      { metadata: { uid: pod.metadata.uid }, status },
    );
  } catch (error) {
    if (!isNotFound(error)) throw error; // deleted meanwhile: the follower will say so
  }
}

/** The last step of a pod's deletion: its containers are stopped, so the API may remove it now. */
async function deletePod(client: KubeClient, pod: Pod): Promise<void> {
  try {
    await client.delete(
      { apiVersion: 'v1', plural: 'pods', namespace: pod.metadata.namespace, name: pod.metadata.name },
      { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } },
    );
  } catch (error) {
    // Gone, or replaced by a pod of the same name (the uid precondition failed): nothing to do.
    if (!isNotFound(error) && !isConflict(error)) throw error;
  }
}
