/**
 * What the planner reads and what it answers: plain data, free of the API's shapes, so planning is
 * a pure function over a snapshot (lib/scheduling/planner.ts). Adapters build a Snapshot from
 * stored objects and apply a Plan; tests and the benchmark build them directly.
 *
 * Quantities are numbers in fixed units: CPU in millicores, memory in bytes, pods and extended
 * resources (`nvidia.com/gpu`) as counts.
 */

/** Resource amounts by name: `cpu` (millicores), `memory` (bytes), `pods`, and extended resources. */
export type Resources = Record<string, number>;

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
}

/** Kubernetes' NodeSelectorRequirement (also a pool's requirement on instance attributes). */
export interface Requirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

/** A label selector: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}

/** A required pod (anti-)affinity term. */
export interface PodAffinityTerm {
  labelSelector?: LabelSelector;
  /** Namespaces the term selects pods in; the pod's own when empty. */
  namespaces?: string[];
  topologyKey: string;
}

/** A topology spread constraint; only `DoNotSchedule` ones filter. */
export interface TopologySpread {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  labelSelector?: LabelSelector;
}

/** A pod waiting for a node, with what placing it depends on. */
export interface PendingPod {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** Requests summed over containers (max with init containers), plus `pods: 1`. */
  requests: Resources;
  nodeSelector?: Record<string, string>;
  /** Required node affinity: the node must match one term (each a list of requirements). */
  nodeAffinity?: Requirement[][];
  tolerations?: Toleration[];
  podAffinity?: PodAffinityTerm[];
  podAntiAffinity?: PodAffinityTerm[];
  topologySpread?: TopologySpread[];
}

/** A pod already on a node (or planned onto one): what affinity and spread count. */
export interface PlacedPod {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** Its own required anti-affinity terms: they keep matching pods away from it (symmetry). */
  podAntiAffinity?: PodAffinityTerm[];
}

/** A node that exists (registered), with what is bound to it. */
export interface ExistingNode {
  name: string;
  labels: Record<string, string>;
  taints: Taint[];
  allocatable: Resources;
  /** The sum of the requests of the pods bound to it. */
  requested: Resources;
  pods: PlacedPod[];
  unschedulable?: boolean;
  ready: boolean;
  deleting?: boolean;
  /** The NodeClaim it was launched for, if any. */
  claim?: string;
  pool?: string;
  usdPerHour?: number;
}

/** An instance type offered in one zone at one capacity type, with its price. */
export interface Offering {
  instanceType: string;
  capacityType: 'on-demand' | 'spot';
  zone: string;
  usdPerHour: number;
  /** What a node of this type can hold, before the per-node overhead. */
  capacity: Resources;
  /** Well-known labels of the type: arch, family, size, generation, cpu, memory, gpu count. */
  labels: Record<string, string>;
}

/** A NodePool as the planner needs it. */
export interface Pool {
  name: string;
  /** Higher first. */
  weight: number;
  requirements: Requirement[];
  labels: Record<string, string>;
  taints: Taint[];
  /** Caps on the pool's total capacity and price (absent: none). */
  limits: { cpu?: number; memory?: number; usdPerHour?: number };
  /** What the pool's nodes and claims already add up to. */
  used: { cpu: number; memory: number; usdPerHour: number };
}

/** A NodeClaim launched or launching, whose node has not registered yet: pods may be planned onto it. */
export interface ClaimInFlight {
  name: string;
  pool: string;
  offering: Offering;
  pods: PlacedPod[];
  requested: Resources;
}

export interface Snapshot {
  pending: PendingPod[];
  nodes: ExistingNode[];
  claims: ClaimInFlight[];
  pools: Pool[];
  offerings: Offering[];
  /** Reserved on every node for the agent and the system (kube-reserved + system-reserved). */
  overhead: Resources;
}

export interface Binding {
  pod: string;
  /** A node's name, or the name of a claim (in flight or new) whose node the pod will bind to once it registers. */
  node: string;
}

export interface Launch {
  claim: string;
  pool: string;
  offering: Offering;
  /** `namespace/name` of the pods it is made for. */
  pods: string[];
  reason: string;
}

export interface Unschedulable {
  pod: string;
  /** kube-scheduler's message for the nodes, then why no capacity was planned. */
  reason: string;
}

export interface Plan {
  /** Pods bound now to nodes that exist. */
  bindings: Binding[];
  /** Pods that wait for a claim (in flight or new) to become a node. */
  nominations: Binding[];
  launches: Launch[];
  unschedulable: Unschedulable[];
  /** The price per hour the launches add. */
  usdPerHourAdded: number;
}

/** `namespace/name`. */
export function podKey(pod: { namespace: string; name: string }): string {
  return `${pod.namespace}/${pod.name}`;
}

/** Well-known label keys the planner reads and sets. */
export const LABELS = {
  hostname: 'kubernetes.io/hostname',
  zone: 'topology.kubernetes.io/zone',
  instanceType: 'node.kubernetes.io/instance-type',
  capacityType: 'karpenter.sh/capacity-type',
  arch: 'kubernetes.io/arch',
  pool: 'karpenter.sh/nodepool',
} as const;
