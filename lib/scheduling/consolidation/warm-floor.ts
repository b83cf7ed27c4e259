import { LABELS, type ExistingNode, type Launch, type Offering, type Pool, type Snapshot } from '../model';
import { DISRUPTED_TAINT } from '../../kinds/node-claim';
import type { PoolDisruption } from './model';
import { compare, poolOfferings } from './pool-offerings';

/**
 * Skiff's warm floor (NodePool `spec.warm`): nodes, or CPU and memory, a pool keeps launched even
 * with no pods, so a burst lands on ready nodes instead of waiting for instances. Karpenter has no
 * such field. Two sides keep it: consolidation never takes a pool below it, and `warmLaunches`
 * brings a pool up to it.
 */

/** What a pool holds toward its floor: nodes, and their allocatable CPU (millicores) and memory (bytes). */
export interface WarmHolding {
  nodes: number;
  cpu: number;
  memory: number;
}

/** The pool a node belongs to: its `pool`, else its `karpenter.sh/nodepool` label. */
export function poolOfNode(node: ExistingNode): string | undefined {
  return node.pool ?? node.labels[LABELS.pool];
}

/** Whether a node is on its way out (deleting, or tainted `karpenter.sh/disrupted`): it holds nothing. */
export function leaving(node: ExistingNode): boolean {
  return node.deleting === true || node.taints.some((taint) => taint.key === DISRUPTED_TAINT.key);
}

/**
 * The floor in words, or undefined for a pool without one.
 * @example describeWarmFloor({ name: 'default', warm: { minNodes: 2 }, ... }) // 'warm floor: pool default keeps 2 nodes'
 */
export function describeWarmFloor(pool: PoolDisruption): string | undefined {
  const parts: string[] = [];
  const { minNodes, minCapacity } = pool.warm ?? {};
  if (minNodes) parts.push(`${minNodes} node${minNodes === 1 ? '' : 's'}`);
  const capacity: string[] = [];
  if (minCapacity?.cpu) capacity.push(`cpu ${minCapacity.cpu}m`);
  if (minCapacity?.memory) capacity.push(`memory ${Math.ceil(minCapacity.memory / 2 ** 20)}Mi`);
  if (capacity.length > 0) parts.push(capacity.join(', '));
  return parts.length > 0 ? `warm floor: pool ${pool.name} keeps ${parts.join(' and ')}` : undefined;
}

/** Whether `holding` is short of the pool's floor in nodes, CPU or memory. */
export function belowWarmFloor(pool: PoolDisruption, holding: WarmHolding): boolean {
  const { minNodes = 0, minCapacity = {} } = pool.warm ?? {};
  return (
    holding.nodes < minNodes ||
    holding.cpu < (minCapacity.cpu ?? 0) ||
    holding.memory < (minCapacity.memory ?? 0)
  );
}

/**
 * The launches that bring each pool with a warm floor up to it: its nodes (not deleting, not
 * being disrupted) and its claims in flight count, and what is missing is made up with the one
 * offering of the pool (planner's filtering: the pool's requirements over the offering's labels)
 * that does it for the least price per hour, within the pool's limits. Claims are named
 * `<claimPrefix>-warm-<n>`, numbered over pools in name order, so the same snapshot gives the
 * same launches. A pool missing from `snapshot.pools` gets none: its requirements are unknown.
 *
 * @example warmLaunches(snapshot, [{ name: 'default', warm: { minNodes: 2 }, ... }], 'sched-42')
 * // [{ claim: 'sched-42-warm-1', pool: 'default', reason: 'warm floor: pool default keeps 2 nodes; ...' }]
 */
export function warmLaunches(snapshot: Snapshot, pools: PoolDisruption[], claimPrefix: string): Launch[] {
  const launches: Launch[] = [];
  for (const pool of [...pools].sort((a, b) => compare(a.name, b.name))) {
    const floor = describeWarmFloor(pool);
    const planned = snapshot.pools.find((candidate) => candidate.name === pool.name);
    if (!floor || !planned) continue;
    const holding = warmHolding(snapshot, pool.name);
    if (!belowWarmFloor(pool, holding)) continue;
    const choice = cheapestMakeUp(snapshot, planned, pool, holding);
    if (!choice) continue;
    const { offering, count, limited } = choice;
    const reason =
      `${floor}; it has ${describeHolding(holding)} with its claims in flight, so ${count} ` +
      `${offering.instanceType} (${offering.capacityType}, ${offering.zone}) at $${offering.usdPerHour}/hour, ` +
      `the cheapest offering that makes it up${limited ? ", as many as the pool's limits allow" : ''}`;
    for (let i = 0; i < count; i++)
      launches.push({
        claim: `${claimPrefix}-warm-${launches.length + 1}`,
        pool: pool.name,
        offering,
        pods: [],
        reason,
      });
  }
  return launches;
}

/** What a pool's nodes (not leaving) and claims in flight hold toward its floor. */
export function warmHolding(snapshot: Snapshot, pool: string): WarmHolding {
  const holding: WarmHolding = { nodes: 0, cpu: 0, memory: 0 };
  for (const node of snapshot.nodes) {
    if (poolOfNode(node) !== pool || leaving(node)) continue;
    holding.nodes++;
    holding.cpu += node.allocatable.cpu ?? 0;
    holding.memory += node.allocatable.memory ?? 0;
  }
  for (const claim of snapshot.claims) {
    if (claim.pool !== pool) continue;
    holding.nodes++;
    holding.cpu += allocatableOf(claim.offering, snapshot).cpu;
    holding.memory += allocatableOf(claim.offering, snapshot).memory;
  }
  return holding;
}

/** What a node of `offering` can hold once the per-node overhead is taken. */
export function allocatableOf(offering: Offering, snapshot: Snapshot): { cpu: number; memory: number } {
  return {
    cpu: (offering.capacity.cpu ?? 0) - (snapshot.overhead.cpu ?? 0),
    memory: (offering.capacity.memory ?? 0) - (snapshot.overhead.memory ?? 0),
  };
}

interface MakeUp {
  offering: Offering;
  count: number;
  /** The pool's limits allow fewer than the floor needs. */
  limited: boolean;
}

/**
 * The offering whose nodes make up the shortfall for the least price per hour (then fewer nodes,
 * then the planner's offering order), preferring one the pool's limits allow in full.
 */
function cheapestMakeUp(
  snapshot: Snapshot,
  planned: Pool,
  pool: PoolDisruption,
  holding: WarmHolding,
): MakeUp | undefined {
  const { minNodes = 0, minCapacity = {} } = pool.warm ?? {};
  const shortNodes = Math.max(0, minNodes - holding.nodes);
  const shortCpu = Math.max(0, (minCapacity.cpu ?? 0) - holding.cpu);
  const shortMemory = Math.max(0, (minCapacity.memory ?? 0) - holding.memory);
  let best: { offering: Offering; count: number; room: number; cost: number } | undefined;
  const better = (count: number, room: number, cost: number) => {
    if (!best) return true;
    const fullNow = room >= count;
    const fullBest = best.room >= best.count;
    if (fullNow !== fullBest) return fullNow;
    return cost < best.cost - 1e-9 || (Math.abs(cost - best.cost) <= 1e-9 && count < best.count);
  };
  for (const offering of poolOfferings(snapshot.offerings, planned)) {
    const allocatable = allocatableOf(offering, snapshot);
    if ((shortCpu > 0 && allocatable.cpu <= 0) || (shortMemory > 0 && allocatable.memory <= 0)) continue;
    const count = Math.max(
      shortNodes,
      shortCpu > 0 ? Math.ceil(shortCpu / allocatable.cpu) : 0,
      shortMemory > 0 ? Math.ceil(shortMemory / allocatable.memory) : 0,
    );
    const room = roomWithinLimits(planned, offering);
    const cost = count * offering.usdPerHour;
    if (better(count, room, cost)) best = { offering, count, room, cost };
  }
  if (!best) return undefined;
  const count = Math.min(best.count, best.room);
  return count > 0 ? { offering: best.offering, count, limited: count < best.count } : undefined;
}

/** How many nodes of `offering` the pool's limits still allow (cpu, memory, dollars per hour). */
function roomWithinLimits(pool: Pool, offering: Offering): number {
  let room = Infinity;
  const within = (limit: number | undefined, used: number, each: number) => {
    if (limit === undefined) return;
    room = Math.min(room, each > 0 ? Math.floor((limit - used + 1e-9) / each) : Infinity);
  };
  within(pool.limits.cpu, pool.used.cpu, offering.capacity.cpu ?? 0);
  within(pool.limits.memory, pool.used.memory, offering.capacity.memory ?? 0);
  within(pool.limits.usdPerHour, pool.used.usdPerHour, offering.usdPerHour);
  return Math.max(0, room);
}

function describeHolding(holding: WarmHolding): string {
  return `${holding.nodes} node${holding.nodes === 1 ? '' : 's'} (cpu ${holding.cpu}m, memory ${Math.floor(holding.memory / 2 ** 20)}Mi)`;
}
