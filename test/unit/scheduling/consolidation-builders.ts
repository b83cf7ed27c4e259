import type {
  ConsolidationInput,
  DisruptablePod,
  NodeToConsolidate,
  PoolDisruption,
} from '../../../lib/scheduling/consolidation/model';
import type { ExistingNode, Offering, Pool, Resources, Snapshot } from '../../../lib/scheduling/model';
import { openPool } from '../../../lib/scheduling/workloads/open-pool';

/** Builders shared by the consolidation and warm floor tests: a small cluster of one pool. */

export const Mi = 2 ** 20;
export const Gi = 2 ** 30;
export const NOW = new Date('2025-01-01T12:00:00Z');
export const OVERHEAD: Resources = { cpu: 100, memory: 100 * Mi };

export function aPod(name: string, extra: Partial<DisruptablePod> = {}): DisruptablePod {
  return {
    namespace: 'default',
    name,
    labels: {},
    requests: { cpu: 500, memory: 512 * Mi, pods: 1 },
    controlled: true,
    ...extra,
  };
}

export interface NodeOptions {
  pods?: DisruptablePod[];
  pool?: string;
  cpu?: number;
  memory?: number;
  usdPerHour?: number;
  zone?: string;
  capacityType?: 'on-demand' | 'spot';
  createdAt?: string;
  lastPodEventTime?: string;
  disrupting?: boolean;
  doNotDisrupt?: boolean;
  /** Extra requests on the node from pods that are not candidates' (a DaemonSet, a pod elsewhere). */
  requested?: Resources;
  ready?: boolean;
  deleting?: boolean;
}

/** A node and the candidate that stands for it, kept consistent: requested is the sum of its pods. */
export interface BuiltNode {
  node: ExistingNode;
  candidate: NodeToConsolidate;
}

export function aNode(name: string, options: NodeOptions = {}): BuiltNode {
  const pods = options.pods ?? [];
  const pool = options.pool ?? 'default';
  const requested: Resources = { ...(options.requested ?? {}) };
  for (const pod of pods)
    for (const [resource, amount] of Object.entries(pod.requests))
      requested[resource] = (requested[resource] ?? 0) + amount;
  const node: ExistingNode = {
    name,
    labels: {
      'topology.kubernetes.io/zone': options.zone ?? 'zone-a',
      'karpenter.sh/capacity-type': options.capacityType ?? 'on-demand',
      'karpenter.sh/nodepool': pool,
      'kubernetes.io/arch': 'amd64',
    },
    taints: options.disrupting ? [{ key: 'karpenter.sh/disrupted', effect: 'NoSchedule' }] : [],
    allocatable: { cpu: options.cpu ?? 2000, memory: options.memory ?? 4 * Gi, pods: 20 },
    requested,
    pods: pods.map((pod) => ({
      namespace: pod.namespace,
      name: pod.name,
      labels: pod.labels,
      ...(pod.podAntiAffinity ? { podAntiAffinity: pod.podAntiAffinity } : {}),
    })),
    ready: options.ready ?? true,
    ...(options.deleting ? { deleting: true } : {}),
    claim: name,
    pool,
    usdPerHour: options.usdPerHour ?? 0.1,
  };
  const candidate: NodeToConsolidate = {
    node: name,
    claim: name,
    pool,
    usdPerHour: options.usdPerHour ?? 0.1,
    createdAt: options.createdAt ?? '2025-01-01T00:00:00Z',
    ...(options.lastPodEventTime ? { lastPodEventTime: options.lastPodEventTime } : {}),
    pods,
    ...(options.disrupting ? { disrupting: true } : {}),
    ...(options.doNotDisrupt ? { doNotDisrupt: true } : {}),
  };
  return { node, candidate };
}

export function anOffering(
  type: string,
  vcpu: number,
  usdPerHour: number,
  extra: Partial<Offering> = {},
): Offering {
  return {
    instanceType: type,
    capacityType: 'on-demand',
    zone: 'zone-a',
    usdPerHour,
    capacity: { cpu: vcpu * 1000, memory: vcpu * 2 * Gi, pods: 20 },
    labels: { 'kubernetes.io/arch': 'amd64' },
    ...extra,
  };
}

export function aPoolDisruption(extra: Partial<PoolDisruption> = {}): PoolDisruption {
  return {
    name: 'default',
    policy: 'WhenEmptyOrUnderutilized',
    consolidateAfterSeconds: 0,
    budgets: [{ nodes: '100%' }],
    ...extra,
  };
}

export function aPool(extra: Partial<Pool> = {}): Pool {
  return { ...openPool('default'), ...extra };
}

export function aSnapshot(extra: Partial<Snapshot> = {}): Snapshot {
  return {
    pending: [],
    nodes: [],
    claims: [],
    pools: [aPool()],
    offerings: [],
    overhead: OVERHEAD,
    ...extra,
  };
}

/** Every built node is in the snapshot and is a candidate, unless `candidates` names fewer. */
export function anInput(
  built: BuiltNode[],
  extra: {
    pools?: PoolDisruption[];
    snapshot?: Partial<Snapshot>;
    candidates?: string[];
    now?: Date;
  } = {},
): ConsolidationInput {
  const candidates = built
    .filter(({ candidate }) => !extra.candidates || extra.candidates.includes(candidate.node))
    .map(({ candidate }) => candidate);
  return {
    snapshot: aSnapshot({ nodes: built.map(({ node }) => node), ...extra.snapshot }),
    candidates,
    pools: extra.pools ?? [aPoolDisruption()],
    now: extra.now ?? NOW,
  };
}
