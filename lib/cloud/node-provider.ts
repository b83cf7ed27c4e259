/**
 * The NodeProvider port: the only calls the scheduler and the node lifecycle controller make to
 * the machines under the cluster. An EC2 adapter (lib/cloud/ec2) serves AWS; a local adapter
 * (lib/cloud/local) serves the embedded cluster and tests. It is as narrow as Karpenter's
 * CloudProvider: launch one instance for one NodeClaim, list what exists, terminate, and describe
 * what can be launched.
 */
export interface NodeProvider {
  /**
   * Launches one instance for one NodeClaim, from the first offerings that can be had. Idempotent
   * by claim: a retry for the same claim uid answers with the instance already launched for it,
   * never a second one. Throws InsufficientCapacityError when no offering could be had; the
   * offerings it names are then skipped by later launches for a while, so the scheduler's next
   * round tries others.
   */
  launch(request: LaunchRequest): Promise<LaunchResult>;
  /**
   * The live instances tagged for this cluster (terminated ones are left out), whether or not a
   * NodeClaim still names them: the node lifecycle controller matches them to claims by claim uid
   * and terminates the orphans a crash between launch and status write leaves behind.
   */
  list(clusterName: string): Promise<InstanceInfo[]>;
  /** Terminates instances. Idempotent: an instance already gone counts as terminated. */
  terminate(instanceIds: readonly string[]): Promise<void>;
  /**
   * Every instance type this provider can launch, with its size and prices: the scheduler's
   * simulation packs pods against it and prices its decisions with it.
   */
  catalogue(): Promise<InstanceType[]>;
}

/** On-demand or spot, as Kubernetes' `karpenter.sh/capacity-type` label spells them. */
export type CapacityType = 'on-demand' | 'spot';

/** One way to get a machine: an instance type bought as on-demand or spot, in a zone or any. */
export interface Offering {
  instanceType: string;
  capacityType: CapacityType;
  /** Omitted: any zone the provider may launch in. */
  zone?: string;
}

/** Karpenter's limit on the offerings one launch sends: CreateFleet's cost grows with them. */
export const MAX_LAUNCH_OFFERINGS = 60;

/** What the scheduler asks for when a NodeClaim needs its instance. */
export interface LaunchRequest {
  /** The NodeClaim's uid: it tags the instance and makes the launch idempotent. */
  claimUid: string;
  /** The NodeClaim's name, for people reading the cloud console (the `Name` tag). */
  claimName: string;
  /** The NodePool the claim belongs to. */
  poolName: string;
  clusterName: string;
  /**
   * Acceptable offerings, cheapest first: the provider honours the order as far as the cloud lets
   * it, skips offerings it recently found unavailable, and sends at most MAX_LAUNCH_OFFERINGS.
   */
  offerings: readonly Offering[];
  /**
   * Extra tags for the instance (the pool's). The Node's labels are not here: the agent takes
   * them from the NodeClaim when it registers the Node.
   */
  tags?: Readonly<Record<string, string>>;
}

/** The instance a launch produced (or found, on a retry). */
export interface LaunchResult {
  instanceId: string;
  instanceType: string;
  capacityType: CapacityType;
  zone: string;
}

/** A live instance of the cluster, as list reports it. */
export interface InstanceInfo {
  instanceId: string;
  /** Undefined for an instance tagged for the cluster but not for a claim (made by hand). */
  claimUid?: string;
  poolName?: string;
  state: InstanceState;
  instanceType: string;
  capacityType: CapacityType;
  zone: string;
  launchTime: Date;
}

/** EC2's instance states, terminated excepted (list leaves those out). */
export type InstanceState = 'pending' | 'running' | 'shutting-down' | 'stopping' | 'stopped';

/** One instance type and what it costs. */
export interface InstanceType {
  name: string;
  vcpu: number;
  memoryMiB: number;
  architectures: string[];
  gpus: number;
  currentGeneration: boolean;
  capacityTypes: CapacityType[];
  /** Undefined when no price is known: a plan cannot price the type, so it should not pick it. */
  onDemandUsdPerHour?: number;
  /** The latest spot price by zone, where the provider knows one. */
  spotUsdPerHourByZone: Record<string, number>;
}

/** The tags that tie an instance to Skiff's objects; list and the idempotent launch read them. */
export const CLUSTER_TAG = 'skiff.dev/cluster';
export const NODEPOOL_TAG = 'skiff.dev/nodepool';
export const NODECLAIM_TAG = 'skiff.dev/nodeclaim';

/**
 * No offering of a launch could be had. `offerings` lists those the cloud refused for capacity
 * (or that were already known to be unavailable), so the scheduler can say why in the claim.
 */
export class InsufficientCapacityError extends Error {
  override readonly name = 'InsufficientCapacityError';
  constructor(
    readonly claimUid: string,
    readonly offerings: readonly Offering[],
    detail = '',
  ) {
    super(
      `no capacity for claim ${claimUid}: ${offerings.map(describeOffering).join(', ') || 'no offering left to try'}${detail ? ` (${detail})` : ''}`,
    );
  }
}

/** `m5.large/spot/us-east-1a`, or `m5.large/on-demand` for any zone. */
export function describeOffering(offering: Offering): string {
  return [offering.instanceType, offering.capacityType, offering.zone].filter(Boolean).join('/');
}
