import { warmLaunches } from '../../../lib/scheduling/consolidation/warm-floor';
import { Gi, aNode, aPool, aPoolDisruption, aSnapshot, anOffering } from './consolidation-builders';

const offerings = [
  anOffering('medium', 2, 0.1),
  anOffering('large', 4, 0.15),
  anOffering('arm-medium', 2, 0.08, { labels: { 'kubernetes.io/arch': 'arm64' } }),
  anOffering('spot-medium', 2, 0.03, { capacityType: 'spot' }),
];
const onDemand = aPool({
  requirements: [
    { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
    { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
  ],
});

describe('warm launches', () => {
  it('brings a pool up to warm.minNodes with its cheapest offering that meets its requirements', () => {
    const snapshot = aSnapshot({ nodes: [aNode('a').node], pools: [onDemand], offerings });
    const launches = warmLaunches(snapshot, [aPoolDisruption({ warm: { minNodes: 3 } })], 'sched-1');
    expect(launches.map((l) => [l.claim, l.pool, l.offering.instanceType, l.pods])).toEqual([
      ['sched-1-warm-1', 'default', 'medium', []],
      ['sched-1-warm-2', 'default', 'medium', []],
    ]);
    expect(launches[0].reason).toBe(
      'warm floor: pool default keeps 3 nodes; it has 1 node (cpu 2000m, memory 4096Mi) with its claims in flight, so 2 medium (on-demand, zone-a) at $0.1/hour, the cheapest offering that makes it up',
    );
  });

  it('counts claims in flight, and not nodes on their way out', () => {
    const snapshot = aSnapshot({
      nodes: [
        aNode('a').node,
        aNode('leaving', { disrupting: true }).node,
        aNode('gone', { deleting: true }).node,
      ],
      claims: [{ name: 'coming', pool: 'default', offering: offerings[0], pods: [], requested: {} }],
      pools: [onDemand],
      offerings,
    });
    expect(warmLaunches(snapshot, [aPoolDisruption({ warm: { minNodes: 3 } })], 'p')).toHaveLength(1);
    expect(warmLaunches(snapshot, [aPoolDisruption({ warm: { minNodes: 2 } })], 'p')).toEqual([]);
  });

  it('counts only the pool’s own nodes', () => {
    const snapshot = aSnapshot({
      nodes: [aNode('other', { pool: 'other' }).node],
      pools: [onDemand],
      offerings,
    });
    expect(warmLaunches(snapshot, [aPoolDisruption({ warm: { minNodes: 1 } })], 'p')).toHaveLength(1);
  });

  it.each([
    // 5000m short: 3 medium (1900m each after overhead, $0.30) or 2 large (3900m, $0.30): fewer nodes win the tie.
    ['cpu', { cpu: 5000 }, 'large', 2],
    // 3 GiB short: one medium (4 GiB less 100 MiB) does it.
    ['memory', { memory: 3 * Gi }, 'medium', 1],
  ])('makes up warm.minCapacity (%s) for the least price per hour', (_, minCapacity, type, count) => {
    const snapshot = aSnapshot({ pools: [onDemand], offerings });
    const launches = warmLaunches(snapshot, [aPoolDisruption({ warm: { minCapacity } })], 'p');
    expect(launches.map((l) => l.offering.instanceType)).toEqual(Array(count).fill(type));
  });

  it('counts what the pool has toward its capacity floor', () => {
    const snapshot = aSnapshot({ nodes: [aNode('a', { cpu: 3000 }).node], pools: [onDemand], offerings });
    const launches = warmLaunches(snapshot, [aPoolDisruption({ warm: { minCapacity: { cpu: 4000 } } })], 'p');
    expect(launches.map((l) => l.offering.instanceType)).toEqual(['medium']);
  });

  it('launches only what the pool’s limits allow', () => {
    const limited = {
      ...onDemand,
      limits: { usdPerHour: 0.35 },
      used: { cpu: 0, memory: 0, usdPerHour: 0.1 },
    };
    const snapshot = aSnapshot({ pools: [limited], offerings });
    const launches = warmLaunches(snapshot, [aPoolDisruption({ warm: { minNodes: 4 } })], 'p');
    expect(launches).toHaveLength(2);
    expect(launches[0].reason).toMatch(/as many as the pool's limits allow$/);
  });

  it('launches nothing for a pool at its floor, without a floor, or not in the snapshot', () => {
    const snapshot = aSnapshot({ nodes: [aNode('a').node], pools: [onDemand], offerings });
    expect(
      warmLaunches(
        snapshot,
        [
          aPoolDisruption({ warm: { minNodes: 1 } }),
          aPoolDisruption({ name: 'bare' }),
          aPoolDisruption({ name: 'unknown', warm: { minNodes: 2 } }),
        ],
        'p',
      ),
    ).toEqual([]);
  });

  it('numbers its claims over pools in name order, the same on every call', () => {
    const second = { ...onDemand, name: 'b-pool' };
    const first = { ...onDemand, name: 'a-pool' };
    const snapshot = aSnapshot({ pools: [second, first], offerings });
    const pools = [
      aPoolDisruption({ name: 'b-pool', warm: { minNodes: 1 } }),
      aPoolDisruption({ name: 'a-pool', warm: { minNodes: 1 } }),
    ];
    const launches = warmLaunches(snapshot, pools, 'p');
    expect(launches.map((l) => [l.claim, l.pool])).toEqual([
      ['p-warm-1', 'a-pool'],
      ['p-warm-2', 'b-pool'],
    ]);
    expect(JSON.stringify(warmLaunches(snapshot, pools, 'p'))).toBe(JSON.stringify(launches));
  });
});
