import type { Offering, PendingPod, Pool, Resources, Snapshot } from '../../../lib/scheduling/model';
import { movablePods } from '../../../lib/scheduling/packing/movable-pods';
import { menuOf } from '../../../lib/scheduling/packing/offering-menu';
import { repack } from '../../../lib/scheduling/packing/repack';
import { plan } from '../../../lib/scheduling/planner';
import { openPool } from '../../../lib/scheduling/workloads/open-pool';
import { mulberry32 } from '../../support/seeded-random';

const Mi = 2 ** 20;
const Gi = 2 ** 30;
const HOSTNAME = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const OVERHEAD = { cpu: 100, memory: 256 * Mi };

/** Compute (2 GiB per vCPU), general (4) and memory (8) families in three sizes, priced as EC2's c, m and r. */
function families(): Offering[] {
  const offerings: Offering[] = [];
  for (const [family, gibPerCpu, usdPerCpu] of [
    ['c', 2, 0.0425],
    ['m', 4, 0.048],
    ['r', 8, 0.063],
  ] as const)
    for (const cpus of [2, 4, 8])
      offerings.push({
        instanceType: `${family}.${cpus}x`,
        capacityType: 'on-demand',
        zone: 'zone-a',
        usdPerHour: Math.round(usdPerCpu * cpus * 1e4) / 1e4,
        capacity: { cpu: cpus * 1000, memory: gibPerCpu * cpus * Gi, pods: 110 },
        labels: {},
      });
  return offerings;
}

function aPod(name: string, cpu: number, memoryMi: number, extra: Partial<PendingPod> = {}): PendingPod {
  return {
    namespace: 'default',
    name,
    labels: { app: 'web' },
    requests: { cpu, memory: memoryMi * Mi, pods: 1 },
    ...extra,
  };
}

function snapshot(pending: PendingPod[], pool: Pool = openPool()): Snapshot {
  return { pending, nodes: [], claims: [], pools: [pool], offerings: families(), overhead: OVERHEAD };
}

function launched(result: ReturnType<typeof plan>): string[] {
  return result.launches.map((launch) => `${launch.offering.instanceType}:${launch.pods.length}`).sort();
}

/** Five pods the greedy pass plans onto one c.8x ($0.34): two m nodes hold them for $0.288. */
const FIVE = [
  aPod('a', 500, 4096),
  aPod('b', 1000, 4096),
  aPod('c', 1000, 2048),
  aPod('d', 500, 4096),
  aPod('e', 2000, 1024),
];

describe('the planner repacks the claims of pods nothing constrains', () => {
  it('replaces a node grown pod by pod with the cheapest packing', () => {
    const result = plan(snapshot(FIVE));

    expect(launched(result)).toEqual(['m.2x:2', 'm.4x:3']);
    expect(result.usdPerHourAdded).toBeCloseTo(0.288, 6);
    expect(result.launches.every((launch) => /packed First-Fit-Decreasing/.test(launch.reason))).toBe(true);
    // Every pod is nominated to the claim whose launch lists it, and claim names stay unique.
    const claimOf = new Map(result.nominations.map(({ pod, node }) => [pod, node]));
    for (const launch of result.launches)
      for (const pod of launch.pods) expect(claimOf.get(pod)).toBe(launch.claim);
    expect(new Set(result.launches.map((launch) => launch.claim)).size).toBe(result.launches.length);
  });

  it("keeps the one-by-one plan when the packing would pass the pool's memory limit", () => {
    const pool = { ...openPool(), limits: { memory: 16 * Gi } };

    const result = plan(snapshot(FIVE, pool));

    expect(launched(result)).toEqual(['c.8x:5']);
    expect(result.usdPerHourAdded).toBeCloseTo(0.34, 6);
  });

  it('leaves a claim as planned when one of its pods has an inter-pod term', () => {
    const [a, b, c, d, e] = FIVE;
    const guarded = {
      ...a,
      podAntiAffinity: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: HOSTNAME }],
    };

    const result = plan(snapshot([guarded, b, c, d, e]));

    expect(launched(result)).toEqual(['c.8x:5']);
    expect(result.launches[0].reason).not.toMatch(/First-Fit-Decreasing/);
  });

  it('plans the same input to the same plan, byte for byte', () => {
    const pods = randomPods(mulberry32(7), 300);
    expect(JSON.stringify(plan(snapshot(pods)))).toBe(JSON.stringify(plan(snapshot(pods))));
  });
});

describe('movable pods', () => {
  const web = { matchLabels: { app: 'web' } };
  it.each<[string, PendingPod[], boolean]>([
    ['a pod with requests alone', [aPod('p', 100, 64)], true],
    ['a pod with a node selector', [aPod('p', 100, 64, { nodeSelector: { team: 'a' } })], false],
    [
      'a pod with required node affinity',
      [aPod('p', 100, 64, { nodeAffinity: [[{ key: 'team', operator: 'Exists' }]] })],
      false,
    ],
    [
      'a pod with required pod affinity',
      [aPod('p', 100, 64, { podAffinity: [{ labelSelector: web, topologyKey: ZONE }] })],
      false,
    ],
    [
      'a pod with required anti-affinity',
      [aPod('p', 100, 64, { podAntiAffinity: [{ labelSelector: web, topologyKey: HOSTNAME }] })],
      false,
    ],
    [
      'a pod with its own DoNotSchedule spread',
      [
        aPod('p', 100, 64, {
          topologySpread: [
            { maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: web },
          ],
        }),
      ],
      false,
    ],
    [
      'a pod with only a ScheduleAnyway spread',
      [
        aPod('p', 100, 64, {
          topologySpread: [
            { maxSkew: 1, topologyKey: HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: web },
          ],
        }),
      ],
      true,
    ],
    [
      "a pod another pending pod's hostname anti-affinity selects",
      [
        aPod('p', 100, 64),
        aPod('q', 100, 64, { labels: {}, podAntiAffinity: [{ labelSelector: web, topologyKey: HOSTNAME }] }),
      ],
      false,
    ],
    [
      "a pod another pending pod's zone spread counts (pods stay in their zone)",
      [
        aPod('p', 100, 64),
        aPod('q', 100, 64, {
          labels: {},
          topologySpread: [
            { maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: web },
          ],
        }),
      ],
      true,
    ],
    [
      "a pod in another namespace than a hostname term's",
      [
        aPod('p', 100, 64, { namespace: 'other' }),
        aPod('q', 100, 64, { labels: {}, podAffinity: [{ labelSelector: web, topologyKey: HOSTNAME }] }),
      ],
      true,
    ],
  ])('%s: %s', (_, pods, movable) => {
    expect(movablePods(pods).has(pods[0])).toBe(movable);
  });
});

describe('repack', () => {
  it.each(Array.from({ length: 50 }, (_, i) => i + 1))(
    'seed %i: places every pod once, overcommits no node and settles each on its cheapest offering',
    (seed) => {
      const offerings = families().sort((a, b) => a.usdPerHour - b.usdPerHour);
      const menu = menuOf(offerings);
      const pods = randomPods(mulberry32(seed), 20 + seed * 4);

      const packing = repack(pods, menu, OVERHEAD);

      if (!packing) throw new Error('every pod fits some offering');
      expect(packing.nodes.flatMap((node) => node.pods).sort(byName)).toEqual([...pods].sort(byName));
      let total = 0;
      for (const node of packing.nodes) {
        const used: Resources = { ...OVERHEAD };
        for (const pod of node.pods)
          for (const [name, amount] of Object.entries(pod.requests)) used[name] = (used[name] ?? 0) + amount;
        const offering = menu.frontier[node.at];
        for (const [name, amount] of Object.entries(used))
          expect(amount).toBeLessThanOrEqual(offering.capacity[name]);
        const cheapest = offerings.find((candidate) =>
          Object.entries(used).every(([name, amount]) => amount <= (candidate.capacity[name] ?? 0)),
        );
        expect(offering.usdPerHour).toBe(cheapest?.usdPerHour);
        total += offering.usdPerHour;
      }
      expect(packing.usdPerHour).toBeCloseTo(total, 9);
    },
  );

  it('answers undefined when no offering holds the largest pod', () => {
    expect(repack([aPod('huge', 64_000, 1024)], menuOf(families()), OVERHEAD)).toBeUndefined();
  });
});

function randomPods(random: () => number, count: number): PendingPod[] {
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
  return Array.from({ length: count }, (_, i) =>
    aPod(`pod-${i}`, pick([100, 250, 500, 1000, 2000]), pick([128, 512, 1024, 2048, 4096])),
  );
}

function byName(a: PendingPod, b: PendingPod): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
