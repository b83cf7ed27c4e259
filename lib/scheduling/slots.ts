import {
  LABELS,
  type ClaimInFlight,
  type ExistingNode,
  type LabelSelector,
  type Offering,
  type PendingPod,
  type Pool,
  type Resources,
  type Taint,
} from './model';
import type { Needs, OfferingMenu } from './packing/offering-menu';
import { selectorSignature, selects } from './selectors';
import { termNamespaces } from './topology';

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
  /** Moves on every pod planned onto it: what was worked out for it before is stale once it moves. */
  version?: number;
  /** The last search for a larger offering on its menu: for which needs, at which version, found where. */
  probe?: { needs: Needs; version: number; index: number };
  /** Why nothing may be planned onto it (kube-scheduler's words), if so. */
  blocked?: string;
  pods: string[];
}

/** The offering a new claim settles on now: the cheapest of its menu that holds what is planned onto it. */
export function currentOffering(slot: Slot): Offering | undefined {
  return slot.menu?.frontier[slot.at ?? 0];
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
 * Pods in the order they are planned, in three tiers: those that need a node of their own
 * (required anti-affinity on hostname), so the rest fill the room they leave instead of growing
 * other nodes; then the other pods with inter-pod constraints; then the free pods, which have none
 * and which no pending pod's required affinity looks for, so they fill what room the constrained
 * ones left. Any order of placements is a valid kube-scheduler order, and free pods placed last
 * change no earlier pod's checks. Within a tier largest first (First-Fit-Decreasing), then by key.
 */
export function plannedOrder(pods: readonly PendingPod[]): PendingPod[] {
  const sought = affinitySelectors(pods);
  const ranked = pods.map((pod) => ({
    pod,
    tier: tierOf(pod, sought),
    size: podSize(pod),
    key: `${pod.namespace}/${pod.name}`,
  }));
  ranked.sort((a, b) => a.tier - b.tier || b.size - a.size || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return ranked.map(({ pod }) => pod);
}

/** The size pods are ordered by, largest first: CPU cores plus memory in 2 GiB units. */
export function podSize(pod: PendingPod): number {
  return (pod.requests.cpu ?? 0) / 1000 + (pod.requests.memory ?? 0) / 2 ** 31;
}

/** 0: needs a node of its own; 1: has other inter-pod constraints, or a pending pod's affinity seeks it; 2: free. */
function tierOf(pod: PendingPod, sought: readonly AffinitySelector[]): number {
  if ((pod.podAntiAffinity ?? []).some((term) => term.topologyKey === LABELS.hostname)) return 0;
  const constrained =
    (pod.podAffinity?.length ?? 0) > 0 ||
    (pod.podAntiAffinity?.length ?? 0) > 0 ||
    (pod.topologySpread ?? []).some((constraint) => constraint.whenUnsatisfiable === 'DoNotSchedule');
  if (constrained) return 1;
  const wanted = sought.some(
    ({ selector, namespaces }) => namespaces.includes(pod.namespace) && selects(selector, pod.labels),
  );
  return wanted ? 1 : 2;
}

interface AffinitySelector {
  selector: LabelSelector | undefined;
  namespaces: readonly string[];
}

/** The distinct selectors of the pending pods' required affinity terms, with their namespaces. */
function affinitySelectors(pods: readonly PendingPod[]): AffinitySelector[] {
  const distinct = new Map<string, AffinitySelector>();
  for (const pod of pods)
    for (const term of pod.podAffinity ?? []) {
      const namespaces = termNamespaces(term, pod.namespace);
      const signature = selectorSignature(term.labelSelector, namespaces);
      if (!distinct.has(signature)) distinct.set(signature, { selector: term.labelSelector, namespaces });
    }
  return [...distinct.values()];
}
