import type { Binding, Launch } from '../model';
import { allowedDisruptions } from './budgets';
import { formatDuration, ineligibility } from './eligibility';
import type {
  ConsolidationInput,
  ConsolidationPlan,
  Disruption,
  DisruptionReason,
  NodeToConsolidate,
  PoolDisruption,
  Undisrupted,
} from './model';
import { compare } from './pool-offerings';
import { Round } from './round';
import { simulate } from './simulate';
import { allocatableOf, belowWarmFloor, describeWarmFloor, type WarmHolding } from './warm-floor';

/**
 * Decides which nodes to take away this round and says why for every candidate left alone. Pure
 * and deterministic: the same input gives the same plan, byte for byte.
 *
 * Order (Karpenter's methods, one round composing several decisions):
 * 1. Empty nodes, most expensive first, deleted (reason Empty) under either policy.
 * 2. Under WhenEmptyOrUnderutilized, the others by least disruption (fewest pods, then highest
 *    price, then name): deleted when every pod fits on the other nodes.
 * 3. The rest in the same order: replaced when their pods fit on the other nodes plus ONE new
 *    node cheaper than them (single-node consolidation; spot is not replaced by spot).
 *
 * Each decision changes the cluster the next one is simulated on: a node taken away takes no
 * pods, the pods moved take room on their targets, and a node that receives pods (or pending
 * pods, planned first) is not taken away in the same round. A decision must also keep the pool
 * within its disruption budget for the reason (nodes already disrupting count) and at or above
 * its warm floor.
 */
export function consolidate(input: ConsolidationInput): ConsolidationPlan {
  return new Consolidation(input).run();
}

class Consolidation {
  private readonly prefix: string;
  private readonly round: Round;
  private readonly pools: Map<string, PoolDisruption>;
  private readonly disruptions: Disruption[] = [];
  private readonly undisrupted = new Map<string, Undisrupted>();

  constructor(private readonly input: ConsolidationInput) {
    this.prefix = input.claimPrefix ?? 'consolidation';
    this.round = new Round(input.snapshot, input.candidates, this.prefix);
    this.pools = new Map(input.pools.map((pool) => [pool.name, pool]));
  }

  run(): ConsolidationPlan {
    const eligible = this.eligible();
    const empty = eligible.filter((c) => c.pods.length === 0).sort(byPrice);
    for (const candidate of empty) this.tryEmpty(candidate);
    const busy = eligible.filter((c) => c.pods.length > 0).sort(byLeastDisruption);
    // Every deletion first: a replacement launches a node, a deletion only frees one.
    const replaceable: NodeToConsolidate[] = [];
    for (const candidate of busy) if (this.tryDelete(candidate)) replaceable.push(candidate);
    for (const candidate of replaceable) this.tryReplace(candidate);
    const usdPerHourSaved = round(this.disruptions.reduce((sum, d) => sum + d.savingsUsdPerHour, 0));
    return {
      disruptions: this.disruptions,
      undisrupted: [...this.undisrupted.values()].sort((a, b) => compare(a.node, b.node)),
      usdPerHourSaved,
    };
  }

  /** Candidates that pass the static filters (one per node); the others are left with their reason. */
  private eligible(): NodeToConsolidate[] {
    const seen = new Set<string>();
    const eligible: NodeToConsolidate[] = [];
    for (const candidate of [...this.input.candidates].sort((a, b) => compare(a.node, b.node))) {
      if (seen.has(candidate.node)) continue;
      seen.add(candidate.node);
      const why = ineligibility(
        candidate,
        this.round.node(candidate.node),
        this.pools.get(candidate.pool),
        this.input.now,
      );
      if (why) this.leave(candidate, why);
      else eligible.push(candidate);
    }
    return eligible;
  }

  private tryEmpty(candidate: NodeToConsolidate): void {
    const why = this.blocked(candidate, 'Empty') ?? this.floorBlocks(candidate);
    if (why) return this.leave(candidate, why);
    const pool = this.pools.get(candidate.pool) as PoolDisruption;
    this.round.remove(candidate, []);
    this.disruptions.push({
      action: 'Delete',
      reason: 'Empty',
      node: candidate.node,
      claim: candidate.claim,
      pool: candidate.pool,
      moves: [],
      savingsUsdPerHour: round(candidate.usdPerHour),
      message: `Empty: no pods, consolidateAfter ${formatDuration(pool.consolidateAfterSeconds ?? 0)} elapsed; saves ${usd(candidate.usdPerHour)}/hour`,
    });
  }

  /** Deletes the candidate if its pods fit on the other nodes; true when only a replacement could remove it. */
  private tryDelete(candidate: NodeToConsolidate): boolean {
    const why = this.blocked(candidate, 'Underutilized');
    if (why) {
      this.leave(candidate, why);
      return false;
    }
    const simulation = simulate(this.round, candidate, `${this.prefix}-simulated`);
    if (simulation.outcome === 'replace') return true;
    if (simulation.outcome === 'none') {
      this.leave(candidate, simulation.reason);
      return false;
    }
    this.delete(candidate, simulation.moves);
    return false;
  }

  private tryReplace(candidate: NodeToConsolidate): void {
    const why = this.blocked(candidate, 'Underutilized');
    if (why) return this.leave(candidate, why);
    const simulation = simulate(this.round, candidate, `${this.prefix}-simulated`);
    if (simulation.outcome === 'none') return this.leave(candidate, simulation.reason);
    if (simulation.outcome === 'delete') return this.delete(candidate, simulation.moves);
    const { launch } = simulation;
    const floor = this.floorBlocks(candidate, launch);
    if (floor) return this.leave(candidate, floor);
    const name = `${this.prefix}-replace-${this.disruptions.filter((d) => d.replacement).length + 1}`;
    const moves = simulation.moves.map((move) =>
      move.node === launch.claim ? { ...move, node: name } : move,
    );
    this.round.addReplacement(name, launch.pool, launch.offering);
    this.round.remove(candidate, moves);
    const { offering } = launch;
    const savings = candidate.usdPerHour - offering.usdPerHour;
    const onto = moves.filter((move) => move.node === name).map((move) => move.pod);
    const others = new Set(moves.filter((move) => move.node !== name).map((move) => move.node)).size;
    const cheaper = `a cheaper ${offering.instanceType} (${offering.capacityType}, ${offering.zone}) at ${usd(offering.usdPerHour)}/hour`;
    const replacement: Launch = {
      claim: name,
      pool: launch.pool,
      offering,
      pods: onto,
      reason: `consolidation: replaces node ${candidate.node} (${usd(candidate.usdPerHour)}/hour) with the cheapest offering that holds its ${onto.length} pod(s) and the node overhead`,
    };
    this.disruptions.push({
      action: 'Replace',
      reason: 'Underutilized',
      node: candidate.node,
      claim: candidate.claim,
      pool: candidate.pool,
      moves,
      replacement,
      savingsUsdPerHour: round(savings),
      message: `Underutilized: ${podsFit(candidate.pods.length)} ${others > 0 ? `${nodes(others)} and ` : ''}${cheaper}; saves ${usd(savings)}/hour`,
    });
  }

  private delete(candidate: NodeToConsolidate, moves: Binding[]): void {
    const floor = this.floorBlocks(candidate);
    if (floor) return this.leave(candidate, floor);
    this.round.remove(candidate, moves);
    const targets = new Set(moves.map((move) => move.node)).size;
    this.disruptions.push({
      action: 'Delete',
      reason: 'Underutilized',
      node: candidate.node,
      claim: candidate.claim,
      pool: candidate.pool,
      moves,
      savingsUsdPerHour: round(candidate.usdPerHour),
      message: `Underutilized: ${podsFit(candidate.pods.length)} ${nodes(targets)}; saves ${usd(candidate.usdPerHour)}/hour`,
    });
  }

  /** What stops any disruption of the candidate now: it receives pods this round, or the budget is spent. */
  private blocked(candidate: NodeToConsolidate, reason: DisruptionReason): string | undefined {
    const receives = this.round.receives(candidate.node);
    if (receives) return `it receives ${receives} in this round`;
    const pool = this.pools.get(candidate.pool) as PoolDisruption;
    const nodeCount = this.round.nodeCount(pool.name);
    const { allowed, strictest } = allowedDisruptions(pool, nodeCount, reason, this.input.now);
    const disrupting = this.round.disruptingCount(pool.name);
    if (allowed - disrupting > 0) return undefined;
    return (
      `disruption budget: NodePool ${pool.name} allows ${allowed} ${reason} disruption${allowed === 1 ? '' : 's'} ` +
      `at once (${strictest ?? 'no active budget'}) and ${disrupting} of its nodes ${disrupting === 1 ? 'is' : 'are'} being disrupted`
    );
  }

  /** The warm floor's words if taking the candidate away (for `replacement`, if any) leaves its pool below it. */
  private floorBlocks(candidate: NodeToConsolidate, replacement?: Launch): string | undefined {
    const pool = this.pools.get(candidate.pool) as PoolDisruption;
    const floor = describeWarmFloor(pool);
    if (!floor) return undefined;
    const node = this.round.node(candidate.node);
    const after: WarmHolding = { ...this.round.holding(pool.name) };
    after.nodes -= 1;
    after.cpu -= node?.allocatable.cpu ?? 0;
    after.memory -= node?.allocatable.memory ?? 0;
    if (replacement?.pool === pool.name) {
      const allocatable = allocatableOf(replacement.offering, this.input.snapshot);
      after.nodes += 1;
      after.cpu += allocatable.cpu;
      after.memory += allocatable.memory;
    }
    return belowWarmFloor(pool, after) ? floor : undefined;
  }

  private leave(candidate: NodeToConsolidate, reason: string): void {
    this.undisrupted.set(candidate.node, { node: candidate.node, claim: candidate.claim, reason });
  }
}

/** Most expensive first, then by name. */
function byPrice(a: NodeToConsolidate, b: NodeToConsolidate): number {
  return b.usdPerHour - a.usdPerHour || compare(a.node, b.node);
}

/** Fewest pods, then most expensive (the most a delete saves), then by name. */
function byLeastDisruption(a: NodeToConsolidate, b: NodeToConsolidate): number {
  return a.pods.length - b.pods.length || byPrice(a, b);
}

function podsFit(count: number): string {
  return count === 1 ? 'its 1 pod fits on' : `its ${count} pods fit on`;
}

function nodes(count: number): string {
  return `${count} other node${count === 1 ? '' : 's'}`;
}

/** Dollars with 4 decimals, as prices per hour are read. */
function usd(amount: number): string {
  return `$${amount.toFixed(4)}`;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
