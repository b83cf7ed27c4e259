import { NODE_LEASE_NAMESPACE } from '../../controllers/node-lifecycle/node-lifecycle-controller';
import { isAlreadyExists, isNotFound } from '../../client/api-error';
import type { KubeClient } from '../../client/kube-client';
import {
  nodeManifest,
  nodeStatus,
  readyCondition,
  type ClaimTemplate,
  type NodeManifestInput,
} from './node-manifest';

const NODES = { apiVersion: 'v1', plural: 'nodes' } as const;
const LEASES = {
  apiVersion: 'coordination.k8s.io/v1',
  plural: 'leases',
  namespace: NODE_LEASE_NAMESPACE,
} as const;
const CLAIMS = { apiVersion: 'skiff.dev/v1alpha1', plural: 'nodeclaims' } as const;

/** How long a node Lease lasts: the kubelet's default, which the lifecycle controller's grace matches. */
export const LEASE_DURATION_SECONDS = 40;
/** How often a node posts its Ready condition again when nothing changed. */
const STATUS_REPORT_MS = 60_000;

interface NodeObject {
  metadata: { name: string; labels?: Record<string, string>; resourceVersion?: string };
  status?: { conditions?: { type: string; status: string; lastHeartbeatTime?: string }[] };
}

/**
 * Registers the node and keeps it alive, as the kubelet does: creates the Node (or takes over
 * one left by an earlier run, updating labels and status), reads its NodeClaim for the pool's
 * labels and taints, renews its Lease in kube-node-lease every renewal, and posts Ready again
 * whenever the Node is not Ready (the lifecycle controller marked it Unknown while the agent was
 * away) or a minute has passed. A deleted Node is registered again.
 */
export class NodeRegistration {
  private lastStatusPost = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly input: Omit<NodeManifestInput, 'claim'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get nodeName(): string {
    return this.input.identity.nodeName;
  }

  async register(): Promise<void> {
    const claim = await this.claimTemplate();
    const manifest = nodeManifest({ ...this.input, claim });
    try {
      await this.client.create(NODES, manifest);
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      await this.client.patch(
        { ...NODES, name: this.nodeName },
        {
          metadata: { labels: (manifest.metadata as NodeObject['metadata']).labels },
          spec: manifest.spec,
        },
      );
    }
    await this.postStatus();
    await this.renewLease();
  }

  /** One heartbeat: the Lease renewed, the Node re-registered if gone or made Ready again. */
  async heartbeat(): Promise<void> {
    await this.renewLease();
    let node: NodeObject;
    try {
      node = await this.client.get<NodeObject>({ ...NODES, name: this.nodeName });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      return this.register();
    }
    const ready = node.status?.conditions?.find((condition) => condition.type === 'Ready');
    if (ready?.status !== 'True' || this.now().getTime() - this.lastStatusPost >= STATUS_REPORT_MS)
      await this.postStatus(ready?.status === 'True' ? undefined : 'changed');
  }

  /** Removes the Node and its Lease (a local node shutting down for good). */
  async deregister(): Promise<void> {
    for (const ref of [
      { ...NODES, name: this.nodeName },
      { ...LEASES, name: this.nodeName },
    ]) {
      try {
        await this.client.delete(ref);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
  }

  private async postStatus(transition?: 'changed'): Promise<void> {
    const now = this.now();
    const status = nodeStatus(this.input, now) as { conditions: ReturnType<typeof readyCondition>[] };
    if (transition) status.conditions[0].lastTransitionTime = status.conditions[0].lastHeartbeatTime;
    await this.client.patch(
      { ...NODES, name: this.nodeName, subresource: 'status' },
      { status },
      'strategic',
    );
    this.lastStatusPost = now.getTime();
  }

  private async renewLease(): Promise<void> {
    const renewTime = this.now().toISOString().replace('Z', '000Z'); // MicroTime: microseconds
    const ref = { ...LEASES, name: this.nodeName };
    try {
      await this.client.patch(ref, { spec: { holderIdentity: this.nodeName, renewTime } });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      try {
        await this.client.create(LEASES, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.nodeName, namespace: NODE_LEASE_NAMESPACE },
          spec: { holderIdentity: this.nodeName, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime },
        });
      } catch (createError) {
        if (!isAlreadyExists(createError)) throw createError;
      }
    }
  }

  /** The claim's labels and taints; none when the node has no claim (registered by hand). */
  private async claimTemplate(): Promise<ClaimTemplate | undefined> {
    try {
      const claim = await this.client.get<{
        metadata: { labels?: Record<string, string> };
        spec?: { taints?: unknown[] };
      }>({ ...CLAIMS, name: this.nodeName });
      return { labels: claim.metadata.labels, taints: claim.spec?.taints };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}
