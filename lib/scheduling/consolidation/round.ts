import {
  podKey,
  type Binding,
  type ClaimInFlight,
  type ExistingNode,
  type Offering,
  type PendingPod,
  type Pool,
  type Resources,
  type Snapshot,
} from '../model';
import { plan } from '../planner';
import { add } from '../slots';
import type { NodeToConsolidate } from './model';
import { allocatableOf, leaving, poolOfNode, type WarmHolding } from './warm-floor';

/**
 * The cluster as one consolidation round changes it, so its decisions compose: a node taken away
 * is gone from later simulations (no pod moves onto it), the pods a decision moves take room on
 * their targets, and a replacement is a claim in flight. Built from a copy of the snapshot: the
 * caller's input is never changed.
 *
 * Pending pods are planned first (with the pools, as the provisioning plan would) and hold the
 * room they get, so consolidation never moves pods into room a pending pod is about to take.
 */
export class Round {
  private readonly nodes: ExistingNode[];
  private readonly claims: ClaimInFlight[];
  private readonly pools: Pool[];
  private readonly removed = new Set<string>();
  /** Nodes that receive pods this round, and from where: they are not taken away in the same round. */
  private readonly receivers = new Map<string, string>();
  /** Claims planned for pending pods: internal to the round, never in its answer. */
  readonly pendingClaims = new Set<string>();
  private readonly disruptedThisRound = new Map<string, number>();
  private readonly replacements: ClaimInFlight[] = [];
  /** Nodes per pool at the start, and those already being disrupted (Karpenter counts NotReady ones too). */
  private readonly poolNodes = new Map<string, number>();
  private readonly poolDisrupting = new Map<string, number>();

  constructor(
    private readonly snapshot: Snapshot,
    candidates: readonly NodeToConsolidate[],
    private readonly claimPrefix: string,
  ) {
    const disrupting = new Set(candidates.filter((c) => c.disrupting).map((c) => c.node));
    const candidatePool = new Map(candidates.map((c) => [c.node, c.pool]));
    this.nodes = snapshot.nodes.map((node) => ({
      ...node,
      requested: { ...node.requested },
      pods: [...node.pods],
      // A node being disrupted takes no pods, even from a pod that tolerates every taint.
      ...(disrupting.has(node.name) || leaving(node) ? { deleting: true } : {}),
    }));
    this.claims = snapshot.claims.map((claim) => ({
      ...claim,
      requested: { ...claim.requested },
      pods: [...claim.pods],
    }));
    this.pools = snapshot.pools.map((pool) => ({ ...pool, used: { ...pool.used } }));
    for (const node of this.nodes) {
      const pool = poolOfNode(node) ?? candidatePool.get(node.name);
      if (pool === undefined) continue;
      this.poolNodes.set(pool, (this.poolNodes.get(pool) ?? 0) + 1);
      if (node.deleting || !node.ready)
        this.poolDisrupting.set(pool, (this.poolDisrupting.get(pool) ?? 0) + 1);
    }
    this.reservePending();
  }

  /** The pool's node count, for percentage budgets. */
  nodeCount(pool: string): number {
    return this.poolNodes.get(pool) ?? 0;
  }

  /** Nodes of the pool being disrupted: already before this round, and decided in it. */
  disruptingCount(pool: string): number {
    return (this.poolDisrupting.get(pool) ?? 0) + (this.disruptedThisRound.get(pool) ?? 0);
  }

  /** Why `node` receives pods this round, if it does. */
  receives(node: string): string | undefined {
    return this.receivers.get(node);
  }

  /**
   * What the pool holds toward its warm floor now: its nodes not leaving nor taken away this
   * round, plus the replacements decided for it. Claims in flight do not count here: a launch
   * may still fail, and a floor kept by a node that never comes is no floor.
   */
  holding(pool: string): WarmHolding {
    const holding: WarmHolding = { nodes: 0, cpu: 0, memory: 0 };
    for (const node of this.nodes) {
      if (poolOfNode(node) !== pool || node.deleting || this.removed.has(node.name)) continue;
      holding.nodes++;
      holding.cpu += node.allocatable.cpu ?? 0;
      holding.memory += node.allocatable.memory ?? 0;
    }
    for (const claim of this.replacements) {
      if (claim.pool !== pool) continue;
      const allocatable = allocatableOf(claim.offering, this.snapshot);
      holding.nodes++;
      holding.cpu += allocatable.cpu;
      holding.memory += allocatable.memory;
    }
    return holding;
  }

  get offerings(): readonly Offering[] {
    return this.snapshot.offerings;
  }

  node(name: string): ExistingNode | undefined {
    return this.nodes.find((node) => node.name === name && !this.removed.has(name));
  }

  poolOffering(pool: string): Pool | undefined {
    return this.pools.find((candidate) => candidate.name === pool);
  }

  /**
   * The snapshot a candidate's pods are planned on: without its node, with its pods pending,
   * with every pool (so zone spread counts the zones pools can launch in, as it will when the
   * pods come back). Its pool's `used` leaves out the node, which goes whatever replaces it.
   */
  simulation(candidate: NodeToConsolidate): Snapshot {
    const node = this.node(candidate.node);
    const pools = this.pools.map((pool) => {
      if (!node || pool.name !== candidate.pool) return pool;
      const capacity: Resources = { ...node.allocatable };
      add(capacity, this.snapshot.overhead);
      return {
        ...pool,
        used: {
          cpu: Math.max(0, pool.used.cpu - (capacity.cpu ?? 0)),
          memory: Math.max(0, pool.used.memory - (capacity.memory ?? 0)),
          usdPerHour: Math.max(0, pool.used.usdPerHour - candidate.usdPerHour),
        },
      };
    });
    return {
      ...this.snapshot,
      pending: candidate.pods,
      nodes: this.nodes.filter((other) => other.name !== candidate.node && !this.removed.has(other.name)),
      claims: this.claims,
      pools,
    };
  }

  /** Takes `node` away and puts its pods where `moves` say (nodes, or claims added before). */
  remove(candidate: NodeToConsolidate, moves: readonly Binding[]): void {
    this.removed.add(candidate.node);
    this.disruptedThisRound.set(candidate.pool, (this.disruptedThisRound.get(candidate.pool) ?? 0) + 1);
    const pods = new Map(candidate.pods.map((pod) => [podKey(pod), pod]));
    for (const move of moves) {
      const pod = pods.get(move.pod);
      if (pod) this.place(pod, move.node, `pods moved from node ${candidate.node}`);
    }
  }

  /** Adds a replacement claim (empty; `remove` then moves pods onto it). */
  addReplacement(name: string, pool: string, offering: Offering): void {
    const claim: ClaimInFlight = { name, pool, offering, pods: [], requested: {} };
    this.claims.push(claim);
    this.replacements.push(claim);
    this.account(pool, offering);
  }

  /** Plans the pending pods with the pools and holds what they get: room on nodes, claims in flight, new claims. */
  private reservePending(): void {
    if (this.snapshot.pending.length === 0) return;
    const prefix = `${this.claimPrefix}-pending`;
    const result = plan(
      { ...this.snapshot, nodes: this.nodes, claims: this.claims, pools: this.pools },
      { claimPrefix: prefix },
    );
    for (const launch of result.launches) {
      this.claims.push({
        name: launch.claim,
        pool: launch.pool,
        offering: launch.offering,
        pods: [],
        requested: {},
      });
      this.pendingClaims.add(launch.claim);
      this.account(launch.pool, launch.offering);
    }
    const pending = new Map(this.snapshot.pending.map((pod) => [podKey(pod), pod]));
    for (const binding of [...result.bindings, ...result.nominations]) {
      const pod = pending.get(binding.pod);
      if (pod) this.place(pod, binding.node, 'pending pods');
    }
  }

  private place(pod: PendingPod, target: string, why: string): void {
    const placed = {
      namespace: pod.namespace,
      name: pod.name,
      labels: pod.labels,
      ...(pod.podAntiAffinity ? { podAntiAffinity: pod.podAntiAffinity } : {}),
    };
    const node = this.nodes.find((candidate) => candidate.name === target);
    const into = node ?? this.claims.find((claim) => claim.name === target);
    if (!into) return;
    add(into.requested, pod.requests);
    into.pods.push(placed);
    if (node && !this.receivers.has(target)) this.receivers.set(target, why);
  }

  private account(pool: string, offering: Offering): void {
    const planned = this.pools.find((candidate) => candidate.name === pool);
    if (!planned) return;
    planned.used.cpu += offering.capacity.cpu ?? 0;
    planned.used.memory += offering.capacity.memory ?? 0;
    planned.used.usdPerHour += offering.usdPerHour;
  }
}
