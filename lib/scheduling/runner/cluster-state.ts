import type { InstanceType, NodeProvider } from '../../cloud/node-provider';
import type { KubeObject } from '../../kinds/meta';
import { NodeKind } from '../../kinds/node';
import { DISRUPTED_TAINT, NodeClaimKind, type NodeClaim } from '../../kinds/node-claim';
import { NodePoolKind, type NodePool } from '../../kinds/node-pool';
import { PodKind, type Pod } from '../../kinds/pod';
import type { ObjectStore } from '../../store/object-store';
import {
  LABELS,
  podKey,
  type ClaimInFlight,
  type ExistingNode,
  type Offering,
  type Snapshot,
} from '../model';
import { NODE_OVERHEAD, offeringsOf, poolOf } from '../snapshot/capacity-objects';
import { existingNodeOf, pendingPodOf } from '../snapshot/from-objects';
import { launchZones } from '../../controllers/node-claim/launch-offerings';

/**
 * The cluster as one scheduling round sees it: the planner's Snapshot, and the stored objects it
 * was built from (with their resourceVersions, so the apply writes conditionally on what was read).
 */
export interface ClusterState {
  snapshot: Snapshot;
  /** Pending pods (and displaced ones) by `namespace/name`, as read. */
  pods: Map<string, Pod>;
  /**
   * Pods still bound to a node that is going away (its claim is deleting, or it carries the
   * disrupted taint): planned like pending pods so their replacement capacity is launched ahead,
   * but never bound while their node holds them. Keyed by pod, valued by their node.
   */
  displaced: Map<string, string>;
  /** Every non-terminal pod bound to a node, by node name (nodes that do not exist included). */
  podsByNode: Map<string, Pod[]>;
  nodes: Map<string, KubeObject>;
  claims: Map<string, NodeClaim>;
  pools: Map<string, NodePool>;
  catalogue: Map<string, InstanceType>;
}

/** Pods whose owner would recreate them elsewhere: deleting one loses nothing. */
export function isControlled(pod: KubeObject): boolean {
  return (pod.metadata.ownerReferences ?? []).some((owner) => owner.controller === true);
}

export function isTerminal(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Whether the round should place this unbound pod (kube-scheduler's queue admits the same). */
function awaitsScheduling(pod: Pod): boolean {
  return (
    !pod.spec.nodeName &&
    !pod.metadata.deletionTimestamp &&
    !isTerminal(pod) &&
    (pod.spec.schedulingGates ?? []).length === 0 &&
    (pod.spec.schedulerName ?? 'default-scheduler') === 'default-scheduler'
  );
}

export function isDeleting(object: KubeObject): boolean {
  return Boolean(object.metadata.deletionTimestamp);
}

/** A claim whose launch failed for good (its controller deletes it): it holds no capacity. */
function launchFailed(claim: NodeClaim): boolean {
  return (claim.status.conditions ?? []).some((c) => c.type === 'Launched' && c.status === 'False');
}

function hasDisruptedTaint(node: KubeObject): boolean {
  const taints = ((node.spec ?? {}) as { taints?: { key: string }[] }).taints ?? [];
  return taints.some((taint) => taint.key === DISRUPTED_TAINT.key);
}

/**
 * Reads everything a round plans over, in one list per kind (pods once, across namespaces) plus
 * the provider's catalogue. `zones` are where on-demand capacity may launch (none: every zone the
 * catalogue has spot prices in).
 */
export async function readClusterState(
  store: ObjectStore,
  provider: Pick<NodeProvider, 'catalogue'>,
  zones: readonly string[],
): Promise<ClusterState> {
  const [pods, nodes, claims, pools, catalogue] = await Promise.all([
    store.list(PodKind),
    store.list(NodeKind),
    store.list(NodeClaimKind),
    store.list(NodePoolKind),
    provider.catalogue(),
  ]);
  const state: ClusterState = {
    snapshot: {
      pending: [],
      nodes: [],
      claims: [],
      pools: [],
      offerings: [],
      overhead: { ...NODE_OVERHEAD },
    },
    pods: new Map(),
    displaced: new Map(),
    podsByNode: new Map(),
    nodes: new Map(nodes.items.map((node) => [node.metadata.name ?? '', node])),
    claims: new Map((claims.items as NodeClaim[]).map((claim) => [claim.metadata.name ?? '', claim])),
    pools: new Map((pools.items as NodePool[]).map((pool) => [pool.metadata.name ?? '', pool])),
    catalogue: new Map(catalogue.map((type) => [type.name, type])),
  };
  // No zones configured (no subnets given on AWS): wherever the catalogue prices capacity.
  state.snapshot.offerings = offeringsOf(catalogue, zones.length > 0 ? zones : launchZones(catalogue));
  for (const pod of pods.items as Pod[]) {
    if (awaitsScheduling(pod)) {
      state.pods.set(podKey(pendingPodOf(pod)), pod);
      state.snapshot.pending.push(pendingPodOf(pod));
    } else if (pod.spec.nodeName && !isTerminal(pod)) {
      const bound = state.podsByNode.get(pod.spec.nodeName) ?? [];
      bound.push(pod);
      state.podsByNode.set(pod.spec.nodeName, bound);
    }
  }
  for (const [name, node] of state.nodes) {
    const claim = state.claims.get(name);
    const leaving = (claim !== undefined && isDeleting(claim)) || isDeleting(node) || hasDisruptedTaint(node);
    const bound = state.podsByNode.get(name) ?? [];
    const existing: ExistingNode = {
      ...existingNodeOf(node, bound),
      ...(claim
        ? { claim: name, pool: claim.spec.nodePool, usdPerHour: Number(claim.spec.usdPerHour ?? 0) }
        : {}),
    };
    if (leaving) existing.deleting = true;
    state.snapshot.nodes.push(existing);
    if (!leaving) continue;
    // A node that is only tainted (consolidation, expiry) and cannot be drained (a pod nothing
    // would recreate, or one not to be disrupted) keeps its pods: capacity launched for them would
    // idle. A node whose claim or self is being deleted goes anyway: its pods are replanned.
    const goingAnyway = (claim !== undefined && isDeleting(claim)) || isDeleting(node);
    if (!goingAnyway && !bound.every(isDrainable)) continue;
    for (const pod of bound) displace(state, pod, name);
  }
  // Pods bound to a node that is gone (its claim deleted: an interruption, a failed instance) are
  // planned too, so their new capacity launches now rather than after pod garbage collection.
  for (const [name, bound] of state.podsByNode) {
    if (state.nodes.has(name)) continue;
    for (const pod of bound) displace(state, pod, name);
  }
  for (const [name, claim] of state.claims) {
    if (state.nodes.has(name) || isDeleting(claim) || launchFailed(claim)) continue;
    const offering = claimOffering(claim, state.snapshot.offerings, state.catalogue);
    if (offering && claim.spec.nodePool)
      state.snapshot.claims.push(inFlight(name, claim.spec.nodePool, offering));
  }
  state.snapshot.pools = [...state.pools.values()]
    .filter((pool) => !isDeleting(pool))
    .map((pool) => poolOf(pool, poolUsage(pool.metadata.name ?? '', state)));
  return state;
}

/** The annotation that keeps a pod's node (or a node, or a claim) from being disrupted. */
export const DO_NOT_DISRUPT = 'karpenter.sh/do-not-disrupt';

/** A pod a drain may delete: being deleted already, or recreated by its controller and not marked do-not-disrupt. */
export function isDrainable(pod: KubeObject): boolean {
  return isDeleting(pod) || (isControlled(pod) && pod.metadata.annotations?.[DO_NOT_DISRUPT] !== 'true');
}

/** Plans a bound pod like a pending one (if its controller would recreate it), never binding it. */
function displace(state: ClusterState, pod: Pod, node: string): void {
  if (!isControlled(pod) || isDeleting(pod)) return;
  const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
  state.displaced.set(key, node);
  state.pods.set(key, pod);
  state.snapshot.pending.push(pendingPodOf(pod));
}

/**
 * The offering a claim holds: as launched once its controller has launched it (a fallback may
 * differ from the plan; the claim's labels then say what was launched, as Karpenter's do), as
 * planned before. Pods pending now are planned onto it again (it holds nothing until its node
 * registers), so a claim in flight absorbs them before a new one is opened.
 */
function claimOffering(
  claim: NodeClaim,
  offerings: readonly Offering[],
  catalogue: ReadonlyMap<string, InstanceType>,
): Offering | undefined {
  const { instanceType, capacityType, zone } = launchedAs(claim);
  const sameType = offerings.filter((o) => o.instanceType === instanceType);
  const exact = sameType.find(
    (o) => o.capacityType === capacityType && (zone === undefined || o.zone === zone),
  );
  const base = exact ?? sameType[0] ?? unofferedOffering(catalogue.get(instanceType), capacityType, zone);
  if (!base) return undefined;
  const asPlanned = instanceType === claim.spec.instanceType && capacityType === claim.spec.capacityType;
  const usdPerHour =
    asPlanned && claim.spec.usdPerHour !== undefined ? Number(claim.spec.usdPerHour) : base.usdPerHour;
  return { ...base, capacityType, zone: zone ?? base.zone, usdPerHour };
}

/**
 * A launched claim's offering when the catalogue no longer offers it (sold out since, so left out
 * of the offerings): the claim still holds that capacity, and leaving it out would plan its pods
 * onto a second claim.
 */
function unofferedOffering(
  type: InstanceType | undefined,
  capacityType: Offering['capacityType'],
  zone: string | undefined,
): Offering | undefined {
  if (!type) return undefined;
  const priced = {
    ...type,
    capacityTypes: ['on-demand'] as InstanceType['capacityTypes'],
    onDemandUsdPerHour: type.onDemandUsdPerHour ?? 0,
  };
  const [offering] = offeringsOf([{ ...priced, spotUsdPerHourByZone: {} }], [zone ?? 'unknown']);
  return offering && { ...offering, capacityType };
}

/** The type, capacity type and zone a claim's instance has (its labels), or was planned with. */
function launchedAs(claim: NodeClaim): {
  instanceType: string;
  capacityType: 'on-demand' | 'spot';
  zone?: string;
} {
  const labels = claim.metadata.labels ?? {};
  const capacityType = labels[LABELS.capacityType];
  return {
    instanceType: labels[LABELS.instanceType] ?? claim.spec.instanceType,
    capacityType:
      capacityType === 'spot' || capacityType === 'on-demand' ? capacityType : claim.spec.capacityType,
    zone: labels[LABELS.zone] ?? claim.spec.zone,
  };
}

function inFlight(name: string, pool: string, offering: Offering): ClaimInFlight {
  return { name, pool, offering, pods: [], requested: {} };
}

/** What a pool's live claims (not deleting) add up to, for its limits. */
function poolUsage(pool: string, state: ClusterState): { cpu: number; memory: number; usdPerHour: number } {
  const used = { cpu: 0, memory: 0, usdPerHour: 0 };
  for (const claim of state.claims.values()) {
    if (claim.spec.nodePool !== pool || isDeleting(claim) || launchFailed(claim)) continue;
    const type = state.catalogue.get(launchedAs(claim).instanceType);
    used.cpu += (type?.vcpu ?? 0) * 1000;
    used.memory += (type?.memoryMiB ?? 0) * 2 ** 20;
    used.usdPerHour += Number(claim.spec.usdPerHour ?? type?.onDemandUsdPerHour ?? 0);
  }
  return used;
}
