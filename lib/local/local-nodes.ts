import { ensureSystemNamespaces } from '../api/system-namespaces';
import type { InstanceInfo, InstanceType } from '../cloud/node-provider';
import { decodeObject } from '../kinds/decode';
import { LeaseKind } from '../kinds/lease';
import type { KubeObject } from '../kinds/meta';
import { NodeKind } from '../kinds/node';
import { NodeClaimKind, type NodeClaim } from '../kinds/node-claim';
import { NODE_LEASE_NAMESPACE } from '../controllers/node-lifecycle/node-lifecycle-controller';
import { AlreadyExistsError, NotFoundError } from '../store/errors';
import type { ObjectStore } from '../store/object-store';
import { timestamp } from '../store/server-fields';
import { LABELS } from '../scheduling/model';
import { resourceList } from '../scheduling/runner/claim-manifest';
import { DEFAULT_MAX_PODS, NODE_OVERHEAD, instanceLabels } from '../scheduling/snapshot/capacity-objects';

/**
 * The embedded cluster's node registration: when the local provider launches an instance for a
 * NodeClaim, its Node is registered as an agent would register it on EC2 (the claim's name, its
 * labels, capacity and allocatable after the per-node overhead, providerID, Ready), and removed
 * when the instance is terminated. This is the registration half of the node agent only; running
 * the pods bound to the node is the agent's (docs/capacity.md says what runs locally).
 *
 * Until the agent runs local nodes, the registrar also stands in for its heartbeat: it creates each
 * node's Lease in kube-node-lease and renews it every LEASE_RENEW_INTERVAL_MS, so the node
 * lifecycle controller keeps the node Ready; renewal stops when the instance is terminated and
 * when the runtime stops.
 */
export class LocalNodeRegistrar {
  private readonly work = new Set<Promise<void>>();
  /** The renewal timer of each registered instance's Lease, by instance id. */
  private readonly heartbeats = new Map<string, NodeJS.Timeout>();
  /** Instances terminated (perhaps before their registration finished): never renew their Lease. */
  private readonly ended = new Set<string>();
  private stopped = false;

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

  /** Stops every Lease renewal (the runtime is stopping); registrations in progress renew none. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.heartbeats.values()) clearInterval(timer);
    this.heartbeats.clear();
  }

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
    await this.startHeartbeat(instance.instanceId, claim.metadata.name ?? '');
  }

  /** Creates (or renews) the node's Lease now and renews it on a timer that never keeps the process up. */
  private async startHeartbeat(instanceId: string, nodeName: string): Promise<void> {
    if (this.stopped || this.ended.has(instanceId) || this.heartbeats.has(instanceId)) return;
    const timer = setInterval(() => this.track(this.renew(instanceId, nodeName)), LEASE_RENEW_INTERVAL_MS);
    timer.unref();
    this.heartbeats.set(instanceId, timer);
    await this.renew(instanceId, nodeName);
  }

  private async renew(instanceId: string, nodeName: string): Promise<void> {
    const store = this.options.store();
    const renewTime = timestamp(this.options.now?.() ?? new Date());
    try {
      const lease = await store.get(LeaseKind, NODE_LEASE_NAMESPACE, nodeName);
      await store.update(LeaseKind, { ...lease, spec: { ...(lease.spec as object), renewTime } });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      // Gone because the instance ended while this renewal ran: not to be made again.
      if (this.ended.has(instanceId)) return;
      await createLease(store, leaseManifest(nodeName, renewTime));
    }
  }

  private async deregister(instanceId: string): Promise<void> {
    this.ended.add(instanceId);
    clearInterval(this.heartbeats.get(instanceId));
    this.heartbeats.delete(instanceId);
    const nodes = (await this.options.store().list(NodeKind)).items;
    for (const node of nodes) {
      const providerID = (node.spec as { providerID?: string } | undefined)?.providerID ?? '';
      if (!providerID.endsWith(`/${instanceId}`)) continue;
      for (const [kind, namespace] of [
        [NodeKind, undefined],
        [LeaseKind, NODE_LEASE_NAMESPACE],
      ] as const) {
        try {
          await this.options.store().delete(kind, namespace, node.metadata.name ?? '');
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
        }
      }
    }
  }
}

/**
 * Creates a node Lease; AlreadyExists means a renewal raced it, which is as good. kube-node-lease
 * is made with the other system namespaces on the API's first request; a node launched before
 * that makes them itself.
 */
async function createLease(store: ObjectStore, lease: KubeObject, retry = true): Promise<void> {
  try {
    await store.create(LeaseKind, lease);
  } catch (error) {
    if (error instanceof AlreadyExistsError) return;
    if (!(error instanceof NotFoundError) || !retry) throw error;
    await ensureSystemNamespaces(store);
    await createLease(store, lease, false);
  }
}

/** How often a local node's Lease is renewed: the kubelet's default (a quarter of its 40 s duration). */
export const LEASE_RENEW_INTERVAL_MS = 10_000;

/** The heartbeat Lease of a node, as the kubelet makes it: named after the node, held by it, 40 s long. */
function leaseManifest(nodeName: string, renewTime: string): KubeObject {
  return decodeObject(LeaseKind, {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: nodeName, namespace: NODE_LEASE_NAMESPACE },
    spec: { holderIdentity: nodeName, leaseDurationSeconds: 40, renewTime },
  } as unknown as KubeObject).object;
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
