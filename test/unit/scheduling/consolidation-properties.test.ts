import fc from 'fast-check';
import { consolidate } from '../../../lib/scheduling/consolidation/consolidate';
import type {
  ConsolidationInput,
  ConsolidationPlan,
  DisruptablePod,
  PoolDisruption,
} from '../../../lib/scheduling/consolidation/model';
import type { ExistingNode, Offering, Resources } from '../../../lib/scheduling/model';
import { mulberry32 } from '../../support/seeded-random';
import {
  Gi,
  Mi,
  NOW,
  OVERHEAD,
  aNode,
  aPod,
  aPool,
  aSnapshot,
  type BuiltNode,
} from './consolidation-builders';

const ZONES = ['zone-a', 'zone-b'];

/** A random small cluster of two pools: nodes with pods (some pinned, some alone), pending pods, offerings. */
function randomInput(seed: number): ConsolidationInput {
  const random = mulberry32(seed);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
  const offerings: Offering[] = [];
  for (const vcpu of [1, 2, 4, 8])
    for (const zone of ZONES)
      for (const capacityType of ['on-demand', 'spot'] as const)
        offerings.push({
          instanceType: `type-${vcpu}`,
          capacityType,
          zone,
          usdPerHour: Math.round(vcpu * (capacityType === 'spot' ? 0.015 : 0.05) * 1e4) / 1e4,
          capacity: { cpu: vcpu * 1000, memory: vcpu * 4 * Gi, pods: 10 * vcpu },
          labels: { 'kubernetes.io/arch': 'amd64' },
        });
  const pools: PoolDisruption[] = ['default', 'other'].map((name) => ({
    name,
    policy: random() < 0.2 ? 'WhenEmpty' : 'WhenEmptyOrUnderutilized',
    consolidateAfterSeconds: random() < 0.1 ? undefined : pick([0, 60, 3600]),
    budgets: [{ nodes: pick(['1', '2', '50%', '100%']) }],
    ...(random() < 0.3 ? { warm: { minNodes: pick([1, 2]) } } : {}),
  }));
  const built: BuiltNode[] = Array.from({ length: 2 + Math.floor(random() * 6) }, (_, i) => {
    const name = `node-${i}`;
    const cpu = pick([1900, 3900, 7900]);
    const memory = pick([4, 8, 16]) * Gi;
    const pods: DisruptablePod[] = [];
    let free = cpu - pick([0, 200]);
    let freeMemory = memory;
    for (let j = 0; j < Math.floor(random() * 5); j++) {
      const requests = {
        cpu: pick([100, 250, 500, 1000, 1500]),
        memory: pick([128, 512, 1024]) * Mi,
        pods: 1,
      };
      if (requests.cpu > free || requests.memory > freeMemory) continue;
      free -= requests.cpu;
      freeMemory -= requests.memory;
      const app = pick(['web', 'db', 'cache']);
      pods.push(
        aPod(`${name}-pod-${j}`, {
          labels: { app },
          requests,
          controlled: random() > 0.05,
          doNotDisrupt: random() < 0.05,
          ...(random() < 0.2 ? { nodeSelector: { 'topology.kubernetes.io/zone': pick(ZONES) } } : {}),
          ...(random() < 0.2
            ? {
                podAntiAffinity: [
                  { labelSelector: { matchLabels: { app } }, topologyKey: 'kubernetes.io/hostname' },
                ],
              }
            : {}),
        }),
      );
    }
    return aNode(name, {
      pods,
      cpu,
      memory,
      pool: pick(['default', 'default', 'other']),
      zone: pick(ZONES),
      capacityType: random() < 0.3 ? 'spot' : 'on-demand',
      usdPerHour: Math.round(cpu * pick([0.00002, 0.00005, 0.0001]) * 1e4) / 1e4,
      requested: { cpu: cpu - pick([0, 200]) - free - pods.reduce((s, p) => s + (p.requests.cpu ?? 0), 0) },
      lastPodEventTime: pick(['2025-01-01T11:59:30Z', '2025-01-01T10:00:00Z']),
      disrupting: random() < 0.1,
    });
  });
  // A node's pods selecting a zone must be on a node of that zone, as the cluster would have them.
  for (const { node, candidate } of built)
    for (const pod of candidate.pods)
      if (pod.nodeSelector)
        pod.nodeSelector['topology.kubernetes.io/zone'] = node.labels['topology.kubernetes.io/zone'];
  const pending = Array.from({ length: Math.floor(random() * 3) }, (_, i) =>
    aPod(`pending-${i}`, { requests: { cpu: pick([250, 1000]), memory: 256 * Mi, pods: 1 } }),
  );
  return {
    snapshot: aSnapshot({
      nodes: built.map(({ node }) => node),
      pending,
      pools: [
        aPool(),
        aPool({
          name: 'other',
          requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }],
        }),
      ],
      offerings,
    }),
    candidates: built.map(({ candidate }) => candidate),
    pools,
    now: NOW,
    claimPrefix: `round-${seed}`,
  };
}

function add(into: Resources, amounts: Resources): void {
  for (const [name, amount] of Object.entries(amounts)) into[name] = (into[name] ?? 0) + amount;
}

function overcommitted(used: Resources, capacity: Resources): string[] {
  return Object.entries(used)
    .filter(([name, amount]) => amount > (capacity[name] ?? 0))
    .map(([name]) => name);
}

/** What every consolidation plan must hold, checked from the input, not from how it was decided. */
function checkPlan(input: ConsolidationInput, plan: ConsolidationPlan): void {
  const nodes = new Map(input.snapshot.nodes.map((node) => [node.name, node]));
  const candidates = new Map(input.candidates.map((c) => [c.node, c]));
  const podsByKey = new Map(
    input.candidates.flatMap((c) => c.pods.map((pod) => [`${pod.namespace}/${pod.name}`, pod])),
  );
  const disrupted = new Set(plan.disruptions.map((d) => d.node));

  // Every candidate is answered once: disrupted, or left with a reason.
  expect([...disrupted, ...plan.undisrupted.map((u) => u.node)].sort()).toEqual(
    [...candidates.keys()].sort(),
  );
  for (const left of plan.undisrupted) expect(left.reason).not.toBe('');

  const onNodes = new Map<string, DisruptablePod[]>();
  for (const disruption of plan.disruptions) {
    const candidate = candidates.get(disruption.node)!;
    expect(candidate.disrupting).toBeFalsy();
    // Never strand a pod: each has one target, none is do-not-disrupt or uncontrolled.
    expect(disruption.moves.map((m) => m.pod).sort()).toEqual(
      candidate.pods.map((p) => `${p.namespace}/${p.name}`).sort(),
    );
    for (const pod of candidate.pods) {
      expect(pod.doNotDisrupt).toBeFalsy();
      expect(pod.controlled).toBe(true);
    }
    expect(disruption.savingsUsdPerHour).toBeGreaterThan(0);
    const replacement = disruption.replacement;
    if (replacement) {
      expect(disruption.action).toBe('Replace');
      expect(replacement.offering.usdPerHour).toBeLessThan(candidate.usdPerHour);
      const used = { ...OVERHEAD };
      for (const move of disruption.moves.filter((m) => m.node === replacement.claim))
        add(used, podsByKey.get(move.pod)!.requests);
      expect(overcommitted(used, replacement.offering.capacity)).toEqual([]);
      const node = nodes.get(disruption.node)!;
      if (node.labels['karpenter.sh/capacity-type'] === 'spot')
        expect(replacement.offering.capacityType).toBe('on-demand');
    }
    for (const move of disruption.moves) {
      if (move.node === replacement?.claim) continue;
      const target = nodes.get(move.node) as ExistingNode;
      expect(target).toBeDefined();
      expect(disrupted.has(move.node)).toBe(false);
      expect(target.ready && !target.deleting && !candidates.get(move.node)?.disrupting).toBe(true);
      onNodes.set(move.node, [...(onNodes.get(move.node) ?? []), podsByKey.get(move.pod)!]);
    }
  }
  // No target overcommits: what it had plus what moved onto it fits its allocatable.
  for (const [name, moved] of onNodes) {
    const target = nodes.get(name)!;
    const used = { ...target.requested };
    for (const pod of moved) add(used, pod.requests);
    expect(overcommitted(used, target.allocatable)).toEqual([]);
    // Hostname anti-affinity holds between the pods moved and every pod on it.
    const all = [...(candidates.get(name)?.pods ?? []), ...moved];
    for (const pod of moved)
      for (const other of all) {
        if (other === pod || other.labels.app !== pod.labels.app) continue;
        expect([pod.podAntiAffinity, other.podAntiAffinity]).toEqual([undefined, undefined]);
      }
  }
  // Per pool: within the budget, and not below the warm floor.
  for (const pool of input.pools) {
    const poolNodes = input.snapshot.nodes.filter((node) => node.pool === pool.name);
    const taken = plan.disruptions.filter((d) => d.pool === pool.name);
    const busy = poolNodes.filter(
      (node) => !node.ready || node.deleting || candidates.get(node.name)?.disrupting,
    ).length;
    const budget = pool.budgets[0].nodes;
    const allowed = budget.endsWith('%')
      ? Math.ceil((Number(budget.slice(0, -1)) * poolNodes.length) / 100)
      : Number(budget);
    expect(taken.length).toBeLessThanOrEqual(Math.max(0, allowed - busy));
    if (taken.length > 0 && pool.warm?.minNodes) {
      const staying = poolNodes.filter(
        (node) => !disrupted.has(node.name) && !candidates.get(node.name)?.disrupting,
      ).length;
      const replacements = taken.filter((d) => d.replacement?.pool === pool.name).length;
      expect(staying + replacements).toBeGreaterThanOrEqual(pool.warm.minNodes);
    }
  }
}

describe('consolidation properties', () => {
  it('never strands a pod, overcommits a target, or breaks a budget or a floor, over 100 random clusters', () => {
    let disruptions = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const input = randomInput(seed);
        const plan = consolidate(input);
        checkPlan(input, plan);
        expect(JSON.stringify(consolidate(input))).toBe(JSON.stringify(plan));
        disruptions += plan.disruptions.length;
      }),
      { numRuns: 100, seed: 8 },
    );
    // The clusters are not so tight that nothing is ever consolidated.
    expect(disruptions).toBeGreaterThan(50);
  });
});
