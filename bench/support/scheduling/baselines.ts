import type { Offering, PendingPod, Resources } from '../../../lib/scheduling/model';

/**
 * What the planner's cost is measured against, for workloads without placement constraints.
 */

/**
 * The fluid lower bound: the least total price of (fractional) nodes whose summed capacity covers
 * the total CPU and memory requested. A linear programme with two constraints has an optimum on at
 * most two types, so scanning single types and pairs is exact.
 */
export function fluidLowerBound(pods: readonly PendingPod[], offerings: readonly Offering[]): number {
  const cpu = pods.reduce((total, pod) => total + (pod.requests.cpu ?? 0), 0);
  const memory = pods.reduce((total, pod) => total + (pod.requests.memory ?? 0), 0);
  const types = cheapestPerType(offerings);
  let best = Infinity;
  for (const t of types)
    best = Math.min(best, t.usdPerHour * Math.max(cpu / t.capacity.cpu, memory / t.capacity.memory));
  for (let i = 0; i < types.length; i++)
    for (let j = i + 1; j < types.length; j++) {
      const a = types[i];
      const b = types[j];
      // x·a + y·b covers (cpu, memory) exactly: solve the 2x2 system.
      const det = a.capacity.cpu * b.capacity.memory - b.capacity.cpu * a.capacity.memory;
      if (det === 0) continue;
      const x = (cpu * b.capacity.memory - b.capacity.cpu * memory) / det;
      const y = (a.capacity.cpu * memory - cpu * a.capacity.memory) / det;
      if (x >= 0 && y >= 0) best = Math.min(best, x * a.usdPerHour + y * b.usdPerHour);
    }
  return best;
}

/**
 * First-Fit-Decreasing: pods largest first, each into the first open node of one instance type it
 * fits, else a new one; every node then takes the cheapest type that holds its pods. Run for each
 * of the 10 types with the best fluid price for the workload; the cheapest packing is the baseline.
 */
export function firstFitDecreasing(
  pods: readonly PendingPod[],
  offerings: readonly Offering[],
  overhead: Resources,
): { usdPerHour: number; nodes: number; binType: Offering } {
  const types = cheapestPerType(offerings);
  const sorted = [...pods].sort((a, b) => size(b) - size(a));
  const cpu = pods.reduce((total, pod) => total + (pod.requests.cpu ?? 0), 0);
  const memory = pods.reduce((total, pod) => total + (pod.requests.memory ?? 0), 0);
  const byFluidPrice = [...types]
    .filter((type) => sorted.length === 0 || fitsIn(sorted[0].requests, overhead, type.capacity))
    .sort((a, b) => fluid(a, cpu, memory) - fluid(b, cpu, memory))
    .slice(0, 10);
  let best: { usdPerHour: number; nodes: number; binType: Offering } | undefined;
  for (const binType of byFluidPrice) {
    const bins: Resources[] = [];
    for (const pod of sorted) {
      let bin = bins.find((candidate) => fitsWith(candidate, pod.requests, binType.capacity));
      if (!bin) bins.push((bin = { ...overhead }));
      for (const [name, amount] of Object.entries(pod.requests)) bin[name] = (bin[name] ?? 0) + amount;
    }
    const usdPerHour = bins.reduce(
      (total, bin) =>
        total + (types.find((type) => fitsWith(bin, {}, type.capacity))?.usdPerHour ?? Infinity),
      0,
    );
    if (!best || usdPerHour < best.usdPerHour) best = { usdPerHour, nodes: bins.length, binType };
  }
  if (!best) throw new Error('no instance type holds the largest pod');
  return best;
}

/**
 * How many nodes a spreading scheduler (kube's default, least allocated first) occupies on a fixed
 * fleet twice the size FFD needed, of FFD's bin type: the waste Skiff's bin-packing avoids.
 */
export function spreadingNodes(
  pods: readonly PendingPod[],
  binType: Offering,
  fleet: number,
  overhead: Resources,
): number {
  const nodes: Resources[] = Array.from({ length: fleet }, () => ({ ...overhead }));
  const capacity = binType.capacity;
  for (const pod of pods) {
    let best = -1;
    let bestScore = Infinity;
    nodes.forEach((node, i) => {
      if (!fitsWith(node, pod.requests, capacity)) return;
      const score = (node.cpu ?? 0) / capacity.cpu + (node.memory ?? 0) / capacity.memory;
      if (score < bestScore) [best, bestScore] = [i, score];
    });
    if (best < 0) continue;
    for (const [name, amount] of Object.entries(pod.requests))
      nodes[best][name] = (nodes[best][name] ?? 0) + amount;
  }
  return nodes.filter((node) => (node.pods ?? 0) > 0).length;
}

/** One offering per instance type: the cheapest. */
function cheapestPerType(offerings: readonly Offering[]): Offering[] {
  const byType = new Map<string, Offering>();
  for (const offering of offerings) {
    const known = byType.get(offering.instanceType);
    if (!known || offering.usdPerHour < known.usdPerHour) byType.set(offering.instanceType, offering);
  }
  return [...byType.values()].sort((a, b) => a.usdPerHour - b.usdPerHour);
}

function fluid(type: Offering, cpu: number, memory: number): number {
  return type.usdPerHour * Math.max(cpu / type.capacity.cpu, memory / type.capacity.memory);
}

function size(pod: PendingPod): number {
  return (pod.requests.cpu ?? 0) / 1000 + (pod.requests.memory ?? 0) / 2 ** 31;
}

function fitsIn(requests: Resources, overhead: Resources, capacity: Resources): boolean {
  return fitsWith(overhead, requests, capacity);
}

function fitsWith(used: Resources, requests: Resources, capacity: Resources): boolean {
  for (const name of new Set([...Object.keys(used), ...Object.keys(requests)]))
    if ((used[name] ?? 0) + (requests[name] ?? 0) > (capacity[name] ?? 0)) return false;
  return true;
}
