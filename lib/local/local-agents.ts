import { join } from 'node:path';
import { startAgent, type RunningAgent } from '../agent/agent';
import { containerProbes } from '../agent/container-probes';
import { serveAgentOn } from '../agent/serve-agent';
import { OciRuntime } from '../agent/runtime/oci-runtime';
import type { EngineOptions } from '../agent/runtime/oci/engine-cli';
import { ProcessRuntime } from '../agent/runtime/process-runtime';
import type { ContainerRuntime } from '../agent/runtime/container-runtime';
import { KubeClient } from '../client/kube-client';
import type { InstanceInfo, InstanceType } from '../cloud/node-provider';
import { NodeClaimKind, type NodeClaim } from '../kinds/node-claim';
import { instanceLabels } from '../scheduling/snapshot/capacity-objects';
import type { ObjectStore } from '../store/object-store';
import { LoopbackSlots } from './loopback-slots';

export interface LocalAgentsOptions {
  /** The API the agents talk to: known once the server listens, after the provider is made. */
  apiUrl: () => Promise<string>;
  /** A getter: the agents are made before the store (the provider needs them first). */
  store: () => ObjectStore;
  instanceTypes: () => Promise<InstanceType[]>;
  /** Each node's data folder (its pods' files and logs) is `<nodesDir>/<node name>`. */
  nodesDir: string;
  /** When set, nodes also have the `container` runtime on this engine (podman or docker). */
  containerEngine?: EngineOptions;
  /** Where the host-wide pod IP block locks live (default a folder in the OS temp dir). */
  loopbackSlotsDir?: string;
  /** Seconds between Lease renewals (default 10, as the kubelet). */
  leaseRenewSeconds?: number;
  logError?: (message: string, error: unknown) => void;
}

/**
 * The local cluster's nodes: when the local provider launches an instance for a NodeClaim, a
 * node agent starts in this process for it — named after the claim, with the instance type's
 * capacity, running pods as processes (and as containers when an engine is configured), its pods'
 * IPs in a /16 of loopback of its own — and talks to the API over HTTP like any agent. When the
 * instance is terminated its agent stops every pod process and removes its Node and Lease.
 */
export class LocalAgents {
  private readonly agents = new Map<string, Promise<RunningAgent | undefined>>();
  /** Each node's 127.N.0.0/16, reserved host-wide so two clusters never share pod IPs. */
  private readonly slots = new Map<string, number>();
  private readonly loopback: LoopbackSlots;
  private readonly work = new Set<Promise<void>>();
  private stopped = false;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: LocalAgentsOptions) {
    this.loopback = new LoopbackSlots(options.loopbackSlotsDir);
  }

  /** LocalNodeProvider's onLaunch. */
  readonly launched = (instance: InstanceInfo): void => {
    const starting = this.start(instance).catch((error: unknown) => {
      this.logError(`starting the agent of local instance ${instance.instanceId}`, error);
      return undefined;
    });
    this.agents.set(instance.instanceId, starting);
    this.track(starting.then(() => undefined));
  };

  /** LocalNodeProvider's onTerminate: the node's pods stop, and its Node and Lease go. */
  readonly terminated = (instanceId: string): void => {
    const agent = this.agents.get(instanceId);
    const slot = this.slots.get(instanceId);
    this.agents.delete(instanceId);
    this.slots.delete(instanceId);
    this.track(
      (async () => {
        const running = await agent;
        if (running) {
          await running.stop({ stopPods: true });
          await running.deregister();
        }
        if (slot !== undefined) this.loopback.release(slot);
      })(),
    );
  };

  /** The agents now running, by node name (tests stop one to see its node go NotReady). */
  async running(): Promise<RunningAgent[]> {
    const agents = await Promise.all(this.agents.values());
    return agents.filter((agent): agent is RunningAgent => agent !== undefined);
  }

  /** Ctrl-C: every agent stops following pods and stops every pod process; Nodes stay registered. */
  stop(graceSeconds = 10): Promise<void> {
    this.stopping ??= (async () => {
      this.stopped = true;
      await Promise.all([...this.work]);
      const agents = await this.running();
      await Promise.all(agents.map((agent) => agent.stop({ stopPods: true, graceSeconds })));
      for (const slot of this.slots.values()) this.loopback.release(slot);
    })();
    return this.stopping;
  }

  private async start(instance: InstanceInfo): Promise<RunningAgent | undefined> {
    const claims = (await this.options.store().list(NodeClaimKind)).items as NodeClaim[];
    const claim = claims.find((candidate) => candidate.metadata.uid === instance.claimUid);
    const type = (await this.options.instanceTypes()).find((t) => t.name === instance.instanceType);
    if (!claim || !type || this.stopped) return undefined; // the claim controller ends such an instance
    const nodeName = claim.metadata.name ?? instance.instanceId;
    const slot = this.loopback.reserve();
    this.slots.set(instance.instanceId, slot);
    const dataDir = join(this.options.nodesDir, nodeName);
    const runtimes: Partial<Record<'process' | 'container', ContainerRuntime>> = {
      process: new ProcessRuntime({ dataDir }),
      ...(this.options.containerEngine
        ? { container: new OciRuntime({ ...this.options.containerEngine, dataDir }) }
        : {}),
    };
    const server = await this.options.apiUrl();
    return startAgent({
      client: new KubeClient({ server, userAgent: `skiff-agent/${nodeName}` }),
      identity: {
        nodeName,
        providerID: `local:///${instance.zone}/${instance.instanceId}`,
        zone: instance.zone,
        instanceType: instance.instanceType,
        capacityType: instance.capacityType,
        ...(claim.spec.nodePool ? { nodePool: claim.spec.nodePool } : {}),
        internalIP: '127.0.0.1',
        hostname: nodeName,
        architecture:
          type.architectures.includes('arm64') && !type.architectures.includes('x86_64') ? 'arm64' : 'amd64',
      },
      capacity: { cpuMillis: type.vcpu * 1000, memoryBytes: type.memoryMiB * 2 ** 20 },
      extraLabels: instanceLabels(type),
      runtimes,
      defaultRuntime: 'process',
      podIPRange: { first: `127.${slot}.0.1`, last: `127.${slot}.255.254` },
      probes: containerProbes(this.logError),
      serve: serveAgentOn('127.0.0.1', this.logError),
      leaseRenewSeconds: this.options.leaseRenewSeconds,
      logError: this.logError,
    });
  }

  private track(promise: Promise<void>): void {
    const tracked = promise
      .catch((error: unknown) => this.logError('local node agent', error))
      .finally(() => this.work.delete(tracked));
    this.work.add(tracked);
  }

  private readonly logError = (message: string, error: unknown): void =>
    (this.options.logError ?? console.error)(message, error);
}
