/**
 * What consolidation reads and answers: plain data beside the planner's snapshot, so deciding
 * which nodes to take away is a pure function (consolidate.ts) that a runner feeds from the store
 * and whose answer it applies (taint, drain, delete the NodeClaim, launch the replacement).
 */
import type { DISRUPTION_REASONS } from '../../kinds/node-pool';
import type { Launch, PendingPod, Snapshot } from '../model';

/** A pod on a node consolidation might take away, with what decides whether it may be moved. */
export interface DisruptablePod extends PendingPod {
  /** Annotated `karpenter.sh/do-not-disrupt: "true"`: its node is never disrupted. */
  doNotDisrupt?: boolean;
  /** Owned by a controller (ReplicaSet, Job, ...), so deleting it gets it recreated elsewhere. */
  controlled: boolean;
}

/** A node launched for a NodeClaim, as consolidation weighs it. */
export interface NodeToConsolidate {
  /** An ExistingNode.name in snapshot.nodes. */
  node: string;
  claim: string;
  pool: string;
  usdPerHour: number;
  /** RFC 3339. */
  createdAt: string;
  /** When a pod was last bound to or removed from it (NodeClaim status.lastPodEventTime). */
  lastPodEventTime?: string;
  /** Its non-terminal pods that would have to move (DaemonSet pods left out: they go with the node). */
  pods: DisruptablePod[];
  /** Already being disrupted (tainted `karpenter.sh/disrupted`, or its claim deleting). */
  disrupting?: boolean;
  /** The Node or its NodeClaim is annotated `karpenter.sh/do-not-disrupt: "true"`. */
  doNotDisrupt?: boolean;
}

export type DisruptionReason = (typeof DISRUPTION_REASONS)[number];

/** One budget of a NodePool, as written: `nodes` is a count ("3") or a percentage ("10%"). */
export interface PoolBudget {
  nodes: string;
  /** A 5-field cron expression or a macro (`@daily`), in UTC. */
  schedule?: string;
  /** How long the budget holds after each time `schedule` fires: hours and minutes (`1h30m`). */
  duration?: string;
  /** The reasons it limits; all of them when absent. */
  reasons?: DisruptionReason[];
}

/** A NodePool's disruption settings and warm floor, in fixed units. */
export interface PoolDisruption {
  name: string;
  policy: 'WhenEmpty' | 'WhenEmptyOrUnderutilized';
  /** Seconds a node must have had no pod event; undefined is `Never` (no consolidation). */
  consolidateAfterSeconds?: number;
  budgets: PoolBudget[];
  /** Skiff's warm floor: the least the pool keeps, with pods or without. */
  warm?: { minNodes?: number; minCapacity?: { cpu?: number /* millicores */; memory?: number /* bytes */ } };
}

export interface ConsolidationInput {
  snapshot: Snapshot;
  candidates: NodeToConsolidate[];
  pools: PoolDisruption[];
  now: Date;
  /** Prefix of replacement claim names: `<prefix>-replace-<n>` (default `consolidation`). */
  claimPrefix?: string;
}

/** A node to take away: deleted, or replaced by one cheaper node. */
export interface Disruption {
  action: 'Delete' | 'Replace';
  reason: 'Empty' | 'Underutilized';
  node: string;
  claim: string;
  pool: string;
  /** Where each of its pods goes: an existing node, or the replacement claim. */
  moves: { pod: string; node: string }[];
  replacement?: Launch;
  savingsUsdPerHour: number;
  /** e.g. "Underutilized: its 3 pods fit on 2 other nodes; saves $0.0832/hour". */
  message: string;
}

/** A candidate left alone this round, and why. */
export interface Undisrupted {
  node: string;
  claim: string;
  reason: string;
}

export interface ConsolidationPlan {
  /** In the order they were decided: empty nodes, then deletions, then replacements. */
  disruptions: Disruption[];
  /** By node name. */
  undisrupted: Undisrupted[];
  usdPerHourSaved: number;
}
