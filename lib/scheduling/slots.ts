import {
  LABELS,
  type ClaimInFlight,
  type ExistingNode,
  type Offering,
  type PendingPod,
  type Pool,
  type Resources,
  type Taint,
} from './model';
import type { OfferingMenu } from './packing/offering-menu';

/**
 * A place pods can be planned onto: a node that exists, a claim in flight whose node has not
 * registered, or a claim this plan creates. A new claim's instance type is still open: it keeps
 * the offerings that could hold what was planned onto it so far, cheapest first, and settles on
 * the first at the end.
 */
export interface Slot {
  name: string;
  kind: 'node' | 'claim' | 'new';
  labels: Record<string, string>;
  taints: Taint[];
  requested: Resources;
  /** What a node or claim in flight can hold (after the per-node overhead). */
  allocatable?: Resources;
  /** A new claim's open offerings: those of its pool, zone and pods' node selection. */
  menu?: OfferingMenu;
  /** The index on the menu's frontier of the cheapest offering that holds `requested` plus the overhead. */
  at?: number;
  pool?: Pool;
  /** Why nothing may be planned onto it (kube-scheduler's words), if so. */
  blocked?: string;
  pods: string[];
}

export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';

export function nodeSlot(node: ExistingNode): Slot {
  const blocked = node.deleting
    ? 'node(s) were marked for deletion'
    : node.unschedulable
      ? 'node(s) were unschedulable'
      : !node.ready
        ? `node(s) had untolerated taint {${NOT_READY_TAINT}: }`
        : undefined;
  return {
    name: node.name,
    kind: 'node',
    labels: { [LABELS.hostname]: node.name, ...node.labels },
    taints: node.taints,
    requested: { ...node.requested },
    allocatable: node.allocatable,
    ...(blocked ? { blocked } : {}),
    pods: node.pods.map((pod) => `${pod.namespace}/${pod.name}`),
  };
}

export function claimSlot(claim: ClaimInFlight, pool: Pool | undefined, overhead: Resources): Slot {
  return {
    name: claim.name,
    kind: 'claim',
    labels: offeringLabels(claim.offering, pool, claim.name),
    taints: pool?.taints ?? [],
    requested: { ...claim.requested },
    allocatable: subtract(claim.offering.capacity, overhead),
    ...(pool ? { pool } : {}),
    pods: claim.pods.map((pod) => `${pod.namespace}/${pod.name}`),
  };
}

/** The labels a node launched from `offering` in `pool` carries. */
export function offeringLabels(
  offering: Offering,
  pool: Pool | undefined,
  hostname: string,
): Record<string, string> {
  return {
    ...offering.labels,
    ...(pool?.labels ?? {}),
    [LABELS.hostname]: hostname,
    [LABELS.zone]: offering.zone,
    [LABELS.instanceType]: offering.instanceType,
    [LABELS.capacityType]: offering.capacityType,
    ...(pool ? { [LABELS.pool]: pool.name } : {}),
  };
}

/** The resources a pod needs that `available - requested` lacks, in kube-scheduler's words. */
export function insufficient(requests: Resources, requested: Resources, available: Resources): string[] {
  const reasons: string[] = [];
  for (const [name, amount] of resourceOrder(requests)) {
    if (amount <= 0) continue;
    if ((requested[name] ?? 0) + amount > (available[name] ?? 0))
      reasons.push(name === 'pods' ? 'Too many pods' : `Insufficient ${name}`);
  }
  return reasons;
}

/** Whether `requests` fit in `available` on top of `requested`. */
export function fits(requests: Resources, requested: Resources, available: Resources): boolean {
  for (const name in requests) {
    const amount = requests[name];
    if (amount > 0 && (requested[name] ?? 0) + amount > (available[name] ?? 0)) return false;
  }
  return true;
}

export function add(into: Resources, amounts: Resources): void {
  for (const name in amounts) into[name] = (into[name] ?? 0) + amounts[name];
}

export function subtract(from: Resources, amounts: Resources): Resources {
  const result: Resources = { ...from };
  for (const name in amounts) result[name] = (result[name] ?? 0) - amounts[name];
  return result;
}

/** kube's NodeResourcesFit order: pods, cpu, memory, then the rest by name. */
function resourceOrder(requests: Resources): [string, number][] {
  const rank = (name: string) => (name === 'pods' ? 0 : name === 'cpu' ? 1 : name === 'memory' ? 2 : 3);
  return Object.entries(requests).sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Pods in the order they are planned: those that need a node of their own (required
 * anti-affinity on hostname) first, so the rest fill the room they leave instead of growing
 * other nodes; then largest first (First-Fit-Decreasing); then by key.
 */
export function plannedOrder(pods: readonly PendingPod[]): PendingPod[] {
  const size = (pod: PendingPod) => (pod.requests.cpu ?? 0) / 1000 + (pod.requests.memory ?? 0) / 2 ** 31;
  const alone = (pod: PendingPod) =>
    (pod.podAntiAffinity ?? []).some((term) => term.topologyKey === LABELS.hostname) ? 0 : 1;
  return [...pods].sort((a, b) => {
    const byNeed = alone(a) - alone(b);
    if (byNeed !== 0) return byNeed;
    const bySize = size(b) - size(a);
    if (bySize !== 0) return bySize;
    const ka = `${a.namespace}/${a.name}`;
    const kb = `${b.namespace}/${b.name}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
