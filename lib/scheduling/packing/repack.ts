import type { PendingPod, Resources } from '../model';
import { podSize } from '../slots';
import { needsOf, type Needs, type OfferingMenu } from './offering-menu';

/** One node of a repacking: the pods it holds and where on the menu's frontier it settles. */
export interface RepackedNode {
  pods: PendingPod[];
  /** The sum of its pods' requests (the overhead not included). */
  requested: Resources;
  /** The index on the menu's frontier of the cheapest offering that holds it with the overhead. */
  at: number;
}

export interface Repacking {
  nodes: RepackedNode[];
  usdPerHour: number;
}

/** How many bin types First-Fit-Decreasing is run with: those with the best fluid price for the pods. */
const BIN_TYPES = 10;

/**
 * Packs `pods` afresh onto new nodes of one menu (one pool, one zone), as the cheapest of several
 * First-Fit-Decreasing runs: each fills bins the size of one offering, largest pods first, then
 * settles every bin on the cheapest offering that holds it. The bin offerings tried are the
 * frontier's with the best fluid price for the pods' totals (every resource, the overhead counted
 * per node), because a greedy pass that opens the cheapest node for each pod in turn ends with many
 * part-filled small nodes, which one size of bin packs tighter.
 *
 * Only for pods that nothing constrains but their requests: the caller decides which. Pure and
 * deterministic; undefined when no offering holds the largest pod.
 */
export function repack(
  pods: readonly PendingPod[],
  menu: OfferingMenu,
  overhead: Resources,
): Repacking | undefined {
  if (pods.length === 0) return { nodes: [], usdPerHour: 0 };
  const names = [...new Set([...Object.keys(overhead), ...pods.flatMap((pod) => Object.keys(pod.requests))])];
  const base = names.map((name) => overhead[name] ?? 0);
  const overheadNeeds = needsOf({}, overhead);
  const bins = binTypes(pods, menu, overhead);
  let best: { sorted: PendingPod[]; packing: Packing } | undefined;
  for (const sorted of orders(pods)) {
    const prepared = new Prepared(sorted, names);
    for (const at of bins) {
      const capacity = names.map((name) => menu.frontier[at].capacity[name] ?? 0);
      const packing = firstFitDecreasing(prepared, capacity, base);
      const price = settle(
        packing,
        prepared,
        menu,
        base,
        overheadNeeds,
        best?.packing.usdPerHour ?? Infinity,
      );
      if (price !== undefined) best = { sorted, packing };
    }
  }
  if (!best) return undefined;
  const { sorted, packing } = best;
  const nodes: RepackedNode[] = packing.at.map((at) => ({ pods: [], requested: {}, at }));
  sorted.forEach((pod, i) => {
    const node = nodes[packing.binOf[i]];
    node.pods.push(pod);
    for (const name in pod.requests) node.requested[name] = (node.requested[name] ?? 0) + pod.requests[name];
  });
  return { nodes, usdPerHour: packing.usdPerHour };
}

/** The pods of one order as flat arrays: each one's shape number and its requests by resource. */
class Prepared {
  readonly shape: Int32Array;
  readonly demand: Float64Array;

  constructor(
    readonly sorted: readonly PendingPod[],
    readonly names: readonly string[],
  ) {
    const shapes = new Map<string, number>();
    this.shape = new Int32Array(sorted.length);
    this.demand = new Float64Array(sorted.length * names.length);
    sorted.forEach((pod, i) => {
      names.forEach((name, d) => (this.demand[i * names.length + d] = pod.requests[name] ?? 0));
      const key = this.demand.subarray(i * names.length, (i + 1) * names.length).join(',');
      let shape = shapes.get(key);
      if (shape === undefined) shapes.set(key, (shape = shapes.size));
      this.shape[i] = shape;
    });
  }
}

/** A First-Fit-Decreasing fill: the bin of each pod, then each bin's settled offering and the total. */
interface Packing {
  binOf: Int32Array;
  used: Float64Array;
  bins: number;
  at: number[];
  usdPerHour: number;
}

/**
 * First-Fit-Decreasing into bins of `capacity` (by resource, as `prepared.names`), each starting
 * with the overhead. Bins only fill, so a bin that could not take a pod of some shape cannot take
 * the next pod of that shape either: each shape's search starts where its last one ended, which
 * keeps 10,000 pods to about a pass over the bins per shape.
 */
function firstFitDecreasing(
  prepared: Prepared,
  capacity: readonly number[],
  base: readonly number[],
): Packing {
  const { demand, shape } = prepared;
  const count = prepared.sorted.length;
  const width = capacity.length;
  const used = new Float64Array(count * width);
  const binOf = new Int32Array(count);
  const start = new Map<number, number>();
  let bins = 0;
  for (let i = 0; i < count; i++) {
    let bin = start.get(shape[i]) ?? 0;
    for (; bin < bins; bin++) {
      let fits = true;
      for (let d = 0; d < width && fits; d++) {
        const amount = demand[i * width + d];
        fits = amount <= 0 || used[bin * width + d] + amount <= capacity[d];
      }
      if (fits) break;
    }
    start.set(shape[i], bin);
    if (bin === bins) {
      for (let d = 0; d < width; d++) used[bin * width + d] = base[d];
      bins++;
    }
    for (let d = 0; d < width; d++) used[bin * width + d] += demand[i * width + d];
    binOf[i] = bin;
  }
  return { binOf, used, bins, at: [], usdPerHour: 0 };
}

/**
 * Settles each bin of `packing` on the cheapest offering of `menu` that holds it, and answers the
 * total, or undefined (leaving the packing unsettled) once it passes `ceiling`.
 */
function settle(
  packing: Packing,
  prepared: Prepared,
  menu: OfferingMenu,
  base: readonly number[],
  overheadNeeds: Needs,
  ceiling: number,
): number | undefined {
  const { names } = prepared;
  const width = names.length;
  let total = 0;
  const at: number[] = [];
  for (let bin = 0; bin < packing.bins; bin++) {
    const requested: Resources = {};
    names.forEach((name, d) => {
      requested[name] = packing.used[bin * width + d] - base[d];
    });
    at.push(menu.firstHolding(requested, overheadNeeds));
    total += menu.frontier[at[bin]].usdPerHour;
    if (total >= ceiling - 1e-9) return undefined;
  }
  packing.at = at;
  packing.usdPerHour = total;
  return total;
}

/**
 * Largest first, in three orders of the pods of equal size: as given (the snapshot's order), by
 * key, and by CPU. Pods of one size but different shapes (250m with 1 GiB, 500m with 512 MiB)
 * interleave differently in each, and which packs tighter varies from workload to workload.
 */
function orders(pods: readonly PendingPod[]): PendingPod[][] {
  const key = (pod: PendingPod) => `${pod.namespace}/${pod.name}`;
  const bySize = (a: PendingPod, b: PendingPod) => podSize(b) - podSize(a);
  return [
    [...pods].sort(bySize),
    [...pods].sort((a, b) => bySize(a, b) || compare(key(a), key(b))),
    [...pods].sort(
      (a, b) => bySize(a, b) || (b.requests.cpu ?? 0) - (a.requests.cpu ?? 0) || compare(key(a), key(b)),
    ),
  ];
}

/**
 * The frontier indexes of the offerings to try as bins: those that hold every pod alone, by the
 * fluid price of the pods' totals (the price per node times the most nodes any resource needs,
 * the overhead taken from each), cheapest first.
 */
function binTypes(pods: readonly PendingPod[], menu: OfferingMenu, overhead: Resources): number[] {
  const total: Resources = {};
  const largest: Resources = {};
  for (const pod of pods)
    for (const name in pod.requests) {
      total[name] = (total[name] ?? 0) + pod.requests[name];
      largest[name] = Math.max(largest[name] ?? 0, pod.requests[name]);
    }
  const largestNeeds = needsOf(largest, overhead);
  const ranked: { at: number; fluid: number }[] = [];
  menu.frontier.forEach((offering, at) => {
    if (menu.firstHolding({}, largestNeeds, at) !== at) return;
    let nodes = 0;
    for (const name in total) {
      const room = (offering.capacity[name] ?? 0) - (overhead[name] ?? 0);
      nodes = Math.max(nodes, total[name] / room);
    }
    ranked.push({ at, fluid: offering.usdPerHour * nodes });
  });
  ranked.sort((a, b) => a.fluid - b.fluid || a.at - b.at);
  return ranked.slice(0, BIN_TYPES).map(({ at }) => at);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
