import { NODE_LEASE_NAMESPACE } from '../../controllers/node-lifecycle/node-lifecycle-controller';
import { isAlreadyExists, isNotFound } from '../../client/api-error';
import type { KubeClient } from '../../client/kube-client';
import { HEARTBEAT_ANNOTATION, type NodeHeartbeats } from '../../store/node-heartbeats';
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
/**
 * How often a node posts its status when nothing changed: kube's nodeStatusReportFrequency
 * (5 minutes). The Lease (or direct heartbeat) is what keeps the node Ready in between.
 */
export const STATUS_REPORT_MS = 5 * 60_000;

/**
 * Renewals straight to the node's heartbeat item in the table (lib/store/node-heartbeats.ts)
 * instead of Lease PATCHes through the API: what agents do on AWS, where a renewal through API
 * Gateway, the API function and the change log costs about 30 times as much (docs/cost.md).
 */
export interface DirectHeartbeat {
  /** The node's heartbeat identity: its instance ARN on EC2 (what the node role may write). */
  identity: string;
  heartbeats: Pick<NodeHeartbeats, 'renew'>;
  /** The renewal period; the Lease the agent creates lasts four times as long, as the kubelet's. */
  renewSeconds: number;
  /** How often an unchanged status is posted, in ms (default STATUS_REPORT_MS). */
  statusReportMs?: number;
}

interface NodeObject {
  metadata: { name: string; labels?: Record<string, string>; resourceVersion?: string };
  status?: { conditions?: { type: string; status: string; lastHeartbeatTime?: string }[] };
}

/**
 * Registers the node and keeps it alive, as the kubelet does: creates the Node (or takes over
 * one left by an earlier run, updating labels and status), reads its NodeClaim for the pool's
 * labels and taints, and renews its heartbeat every renewal: its Lease in kube-node-lease, or with
 * a DirectHeartbeat, its heartbeat item (the Lease, created once, names it). It posts its status
 * every 5 minutes (a DirectHeartbeat may say otherwise) without reading the Node, and reads it only after it was away (a renewal failed
 * or came late), posting Ready again if the lifecycle controller marked it Unknown meanwhile. A
 * deleted Node is registered again.
 */
export class NodeRegistration {
  private lastStatusPost = 0;
  private lastRenewal = 0;
  private away = false;

  constructor(
    private readonly client: KubeClient,
    private readonly input: Omit<NodeManifestInput, 'claim'>,
    private readonly now: () => Date = () => new Date(),
    private readonly direct?: DirectHeartbeat,
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
    if (this.direct) await this.holdLease();
    await this.renewLease();
  }

  /**
   * One heartbeat: the Lease (or heartbeat item) renewed; then, when a status report is due or
   * the agent was away, the Node read, registered again if gone, and its status posted if it is
   * not Ready or the report is due.
   */
  async heartbeat(): Promise<void> {
    const nowMs = this.now().getTime();
    if (this.lastRenewal > 0 && nowMs - this.lastRenewal >= (this.leaseDurationSeconds() / 2) * 1000)
      this.away = true;
    try {
      await this.renewLease();
    } catch (error) {
      this.away = true;
      throw error;
    }
    const due = nowMs - this.lastStatusPost >= (this.direct?.statusReportMs ?? STATUS_REPORT_MS);
    if (!due && !this.away) return;
    if (!this.away) return this.postStatusOrRegister();
    let node: NodeObject;
    try {
      node = await this.client.get<NodeObject>({ ...NODES, name: this.nodeName });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.register();
      this.away = false;
      return;
    }
    const ready = node.status?.conditions?.find((condition) => condition.type === 'Ready');
    if (ready?.status !== 'True' || due)
      await this.postStatus(ready?.status === 'True' ? undefined : 'changed');
    this.away = false;
  }

  /** The due report, without reading the Node first: a Node gone since is registered again. */
  private async postStatusOrRegister(): Promise<void> {
    try {
      await this.postStatus();
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.register();
    }
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

  private leaseDurationSeconds(): number {
    return this.direct ? 4 * this.direct.renewSeconds : LEASE_DURATION_SECONDS;
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
    const now = this.now();
    if (this.direct) await this.direct.heartbeats.renew(this.direct.identity, now);
    else await this.putLease(now);
    this.lastRenewal = now.getTime();
  }

  /** The Lease a direct heartbeat keeps alive: its duration, and the heartbeat it names. */
  private async holdLease(): Promise<void> {
    await this.putLease(this.now(), { [HEARTBEAT_ANNOTATION]: this.direct?.identity ?? '' });
  }

  private async putLease(now: Date, annotations?: Record<string, string>): Promise<void> {
    const renewTime = now.toISOString().replace('Z', '000Z'); // MicroTime: microseconds
    const ref = { ...LEASES, name: this.nodeName };
    const spec = { holderIdentity: this.nodeName, renewTime };
    try {
      await this.client.patch(
        ref,
        annotations
          ? {
              metadata: { annotations },
              spec: { ...spec, leaseDurationSeconds: this.leaseDurationSeconds() },
            }
          : { spec },
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
      try {
        await this.client.create(LEASES, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: {
            name: this.nodeName,
            namespace: NODE_LEASE_NAMESPACE,
            ...(annotations ? { annotations } : {}),
          },
          spec: { ...spec, leaseDurationSeconds: this.leaseDurationSeconds() },
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
