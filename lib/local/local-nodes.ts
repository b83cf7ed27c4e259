import type { InstanceInfo, InstanceType } from '../cloud/node-provider';
import { decodeObject } from '../kinds/decode';
import type { KubeObject } from '../kinds/meta';
import { NodeKind } from '../kinds/node';
import { NodeClaimKind, type NodeClaim } from '../kinds/node-claim';
import { AlreadyExistsError, NotFoundError } from '../store/errors';
import type { ObjectStore } from '../store/object-store';
import { LABELS } from '../scheduling/model';
import { resourceList } from '../scheduling/runner/claim-manifest';
import { DEFAULT_MAX_PODS, NODE_OVERHEAD, instanceLabels } from '../scheduling/snapshot/capacity-objects';

/**
 * The embedded cluster's node registration: when the local provider launches an instance for a
 * NodeClaim, its Node is registered as an agent would register it on EC2 (the claim's name, its
 * labels, capacity and allocatable after the per-node overhead, providerID, Ready), and removed
 * when the instance is terminated. This is the registration half of the node agent only; running
 * the pods bound to the node is the agent's (docs/capacity.md says what runs locally).
 */
export class LocalNodeRegistrar {
  private readonly work = new Set<Promise<void>>();

  constructor(
    private readonly options: {
      /** A getter: the registrar is made before the store it writes to (the provider needs it first). */
      store: () => ObjectStore;
      instanceTypes: () => Promise<InstanceType[]>;
      now?: () => Date;
      logError?: (message: string, error: unknown) => void;
    },
  ) {}

  /** LocalNodeProvider's onLaunch. */
  readonly launched = (instance: InstanceInfo): void => {
    this.track(this.register(instance));
  };

  /** LocalNodeProvider's onTerminate. */
  readonly terminated = (instanceId: string): void => {
    this.track(this.deregister(instanceId));
  };

  /** Waits for registrations in progress (stop, tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.work]);
  }

  private track(promise: Promise<void>): void {
    const tracked = promise
      .catch((error: unknown) =>
        (this.options.logError ?? console.error)('local node registration failed', error),
      )
      .finally(() => this.work.delete(tracked));
    this.work.add(tracked);
  }

  private async register(instance: InstanceInfo): Promise<void> {
    const claims = (await this.options.store().list(NodeClaimKind)).items as NodeClaim[];
    const claim = claims.find((candidate) => candidate.metadata.uid === instance.claimUid);
    if (!claim) return; // deleted meanwhile: the claim controller's garbage collection ends the instance
    const type = (await this.options.instanceTypes()).find((t) => t.name === instance.instanceType);
    if (!type) return;
    try {
      await this.options
        .store()
        .create(NodeKind, nodeManifest(claim, instance, type, this.options.now?.() ?? new Date()));
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
    }
  }

  private async deregister(instanceId: string): Promise<void> {
    const nodes = (await this.options.store().list(NodeKind)).items;
    for (const node of nodes) {
      const providerID = (node.spec as { providerID?: string } | undefined)?.providerID ?? '';
      if (!providerID.endsWith(`/${instanceId}`)) continue;
      try {
        await this.options.store().delete(NodeKind, undefined, node.metadata.name ?? '');
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
  }
}

/** The Node a local instance registers: named after its claim, labelled as the scheduler planned it. */
export function nodeManifest(
  claim: NodeClaim,
  instance: InstanceInfo,
  type: InstanceType,
  now: Date,
): KubeObject {
  const name = claim.metadata.name ?? '';
  const capacity = { cpu: type.vcpu * 1000, memory: type.memoryMiB * 2 ** 20, pods: DEFAULT_MAX_PODS };
  const allocatable = Object.fromEntries(
    Object.entries(capacity).map(([resource, amount]) => [resource, amount - (NODE_OVERHEAD[resource] ?? 0)]),
  );
  const time = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const manifest = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        ...claim.metadata.labels,
        ...instanceLabels(type),
        [LABELS.hostname]: name,
        [LABELS.zone]: instance.zone,
        [LABELS.capacityType]: instance.capacityType,
        [LABELS.instanceType]: instance.instanceType,
        ...(claim.spec.nodePool ? { [LABELS.pool]: claim.spec.nodePool } : {}),
      },
    },
    spec: {
      providerID: `local:///${instance.zone}/${instance.instanceId}`,
      ...(claim.spec.taints ? { taints: claim.spec.taints } : {}),
    },
    status: {
      capacity: resourceList(capacity),
      allocatable: resourceList(allocatable),
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'LocalNodeReady',
          message: 'local node registered by the embedded cluster',
          lastHeartbeatTime: time,
          lastTransitionTime: time,
        },
      ],
      addresses: [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        architecture: type.architectures.includes('arm64') ? 'arm64' : 'amd64',
        operatingSystem: process.platform,
      },
    },
  };
  return decodeObject(NodeKind, manifest as unknown as KubeObject).object;
}
