import type {
  ExistingNode,
  Offering,
  PendingPod,
  Plan,
  Pool,
  Resources,
  Snapshot,
} from '../../../lib/scheduling/model';
import { plan } from '../../../lib/scheduling/planner';
import { matchesNodeSelection, satisfiesAll, untoleratedTaint } from '../../../lib/scheduling/selectors';
import { offeringLabels } from '../../../lib/scheduling/slots';
import { karpenterBenchmarkSnapshot } from '../../../lib/scheduling/workloads/karpenter-benchmark';
import { mulberry32 } from '../../support/seeded-random';

const Mi = 2 ** 20;
const Gi = 2 ** 30;
const ZONES = ['zone-a', 'zone-b'];

/** A random cluster: a few nodes (some tainted, cordoned or not ready), pools, offerings and pods. */
function randomSnapshot(random: () => number): Snapshot {
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
  const offerings: Offering[] = [];
  for (const [i, vcpu] of [1, 2, 4, 8, 16, 32].entries())
    for (const arch of ['amd64', 'arm64'])
      for (const zone of ZONES)
        offerings.push({
          instanceType: `${arch}-${vcpu}`,
          capacityType: 'on-demand',
          zone,
          usdPerHour: Math.round(vcpu * (arch === 'arm64' ? 0.04 : 0.05) * (1 + i / 50) * 1e4) / 1e4,
          capacity: {
            cpu: vcpu * 1000,
            memory: vcpu * pick([2, 4]) * Gi,
            pods: 8 * vcpu,
            ...(vcpu >= 8 ? { 'nvidia.com/gpu': 1 } : {}),
          },
          labels: { 'kubernetes.io/arch': arch },
        });
  const pools: Pool[] = Array.from({ length: 1 + Math.floor(random() * 2) }, (_, i) => ({
    name: `pool-${i}`,
    weight: Math.floor(random() * 3),
    requirements:
      random() < 0.3
        ? [{ key: 'kubernetes.io/arch', operator: 'In', values: [pick(['amd64', 'arm64'])] }]
        : [],
    labels: { team: pick(['a', 'b']) },
    taints: random() < 0.25 ? [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }] : [],
    limits: {},
    used: { cpu: 0, memory: 0, usdPerHour: 0 },
  }));
  const nodes: ExistingNode[] = Array.from({ length: Math.floor(random() * 5) }, (_, i) => ({
    name: `node-${i}`,
    labels: {
      'topology.kubernetes.io/zone': pick(ZONES),
      'kubernetes.io/arch': 'amd64',
      team: pick(['a', 'b']),
    },
    taints: random() < 0.2 ? [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] : [],
    allocatable: { cpu: pick([1000, 2000, 4000]), memory: pick([2, 4, 8]) * Gi, pods: pick([3, 10]) },
    requested: { cpu: pick([0, 500]), memory: pick([0, 256]) * Mi, pods: 0 },
    pods: [],
    unschedulable: random() < 0.1,
    ready: random() > 0.1,
  }));
  const pending: PendingPod[] = Array.from({ length: 5 + Math.floor(random() * 35) }, (_, i) => {
    const pod: PendingPod = {
      namespace: 'default',
      name: `pod-${i}`,
      labels: { app: pick(['web', 'db', 'cache']) },
      requests: { cpu: pick([100, 250, 500, 1000, 3000]), memory: pick([64, 256, 1024, 4096]) * Mi, pods: 1 },
    };
    if (random() < 0.1) pod.requests['nvidia.com/gpu'] = 1;
    if (random() < 0.2) pod.nodeSelector = { 'topology.kubernetes.io/zone': pick(ZONES) };
    if (random() < 0.15)
      pod.nodeSelector = { ...pod.nodeSelector, 'kubernetes.io/arch': pick(['amd64', 'arm64']) };
    if (random() < 0.3) pod.tolerations = [{ key: pick(['dedicated', 'gpu']), operator: 'Exists' }];
    if (random() < 0.15)
      pod.podAntiAffinity = [
        { labelSelector: { matchLabels: { app: pod.labels.app } }, topologyKey: 'kubernetes.io/hostname' },
      ];
    if (random() < 0.05) pod.requests.cpu = 64_000; // fits no offering
    return pod;
  });
  return { pending, nodes, claims: [], pools, offerings, overhead: { cpu: 100, memory: 100 * Mi } };
}

function sum(into: Resources, amounts: Resources): void {
  for (const [name, amount] of Object.entries(amounts)) into[name] = (into[name] ?? 0) + amount;
}

function overcommitted(used: Resources, capacity: Resources): string[] {
  return Object.entries(used)
    .filter(([name, amount]) => amount > (capacity[name] ?? 0))
    .map(([name]) => name);
}

/** Everything a plan must hold, checked independently of how the planner decided. */
function checkPlan(snapshot: Snapshot, result: Plan): void {
  const pods = new Map(snapshot.pending.map((pod) => [`${pod.namespace}/${pod.name}`, pod]));
  const pools = new Map(snapshot.pools.map((pool) => [pool.name, pool]));
  const placed = new Map<string, PendingPod[]>();
  for (const { pod, node } of [...result.bindings, ...result.nominations])
    placed.set(node, [...(placed.get(node) ?? []), pods.get(pod) as PendingPod]);
  const accounted = new Set([...result.bindings, ...result.nominations].map((binding) => binding.pod));
  for (const { pod } of result.unschedulable) accounted.add(pod);
  expect(accounted.size).toBe(snapshot.pending.length);

  for (const node of snapshot.nodes) {
    const onIt = placed.get(node.name) ?? [];
    if (onIt.length === 0) continue;
    expect(node.unschedulable || !node.ready || node.deleting).toBeFalsy();
    const used = { ...node.requested };
    for (const pod of onIt) {
      sum(used, pod.requests);
      expect(untoleratedTaint(node.taints, pod.tolerations)).toBeUndefined();
      expect(
        matchesNodeSelection(
          { 'kubernetes.io/hostname': node.name, ...node.labels },
          pod.nodeSelector,
          pod.nodeAffinity,
        ),
      ).toBe(true);
    }
    expect(overcommitted(used, node.allocatable)).toEqual([]);
    expectAntiAffinityHeld(onIt);
  }
  for (const launch of result.launches) {
    const pool = pools.get(launch.pool) as Pool;
    const onIt = placed.get(launch.claim) ?? [];
    expect(onIt.map((pod) => `${pod.namespace}/${pod.name}`).sort()).toEqual([...launch.pods].sort());
    const used = { ...snapshot.overhead };
    const labels = offeringLabels(launch.offering, pool, launch.claim);
    expect(satisfiesAll(labels, pool.requirements)).toBe(true);
    for (const pod of onIt) {
      sum(used, pod.requests);
      expect(untoleratedTaint(pool.taints, pod.tolerations)).toBeUndefined();
      expect(matchesNodeSelection(labels, pod.nodeSelector, pod.nodeAffinity)).toBe(true);
    }
    expect(overcommitted(used, launch.offering.capacity)).toEqual([]);
    expectAntiAffinityHeld(onIt);
  }
  // A pod left unplaced is one no pool could launch a node for, alone.
  for (const { pod: key } of result.unschedulable) {
    const pod = pods.get(key) as PendingPod;
    const needed = { ...snapshot.overhead };
    sum(needed, pod.requests);
    for (const pool of snapshot.pools) {
      if (untoleratedTaint(pool.taints, pod.tolerations)) continue;
      const launchable = snapshot.offerings.find((offering) => {
        const labels = offeringLabels(offering, pool, 'x');
        return (
          satisfiesAll(labels, pool.requirements) &&
          matchesNodeSelection(labels, pod.nodeSelector, pod.nodeAffinity) &&
          overcommitted(needed, offering.capacity).length === 0
        );
      });
      expect(launchable).toBeUndefined();
    }
  }
}

function expectAntiAffinityHeld(onIt: PendingPod[]): void {
  for (const pod of onIt)
    for (const term of pod.podAntiAffinity ?? [])
      for (const other of onIt)
        if (other !== pod) expect(other.labels.app === term.labelSelector?.matchLabels?.app).toBe(false);
}

describe('planner properties', () => {
  it('over 200 seeds: no overcommit, no filter broken, no pod left that a pool could launch for', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const snapshot = randomSnapshot(mulberry32(seed));
      try {
        checkPlan(snapshot, plan(snapshot));
      } catch (error) {
        throw new Error(`seed ${seed}: ${(error as Error).message}`);
      }
    }
  });

  it('over 200 seeds with pool limits: what a plan launches keeps every pool within its CPU, memory and $/hour', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = mulberry32(seed);
      const snapshot = randomSnapshot(random);
      for (const pool of snapshot.pools)
        pool.limits = {
          cpu: Math.floor(random() * 24_000),
          ...(random() < 0.5 ? { memory: Math.floor(random() * 48) * Gi } : {}),
          ...(random() < 0.5 ? { usdPerHour: Math.round(random() * 150) / 100 } : {}),
        };
      const result = plan(snapshot);
      for (const pool of snapshot.pools) {
        const launched = result.launches.filter((launch) => launch.pool === pool.name);
        const total = (name: string) =>
          launched.reduce((sum, launch) => sum + (launch.offering.capacity[name] ?? 0), 0);
        const usd = launched.reduce((sum, launch) => sum + launch.offering.usdPerHour, 0);
        const where = `seed ${seed}, pool ${pool.name}`;
        expect([where, total('cpu') <= (pool.limits.cpu ?? Infinity)]).toEqual([where, true]);
        expect([where, total('memory') <= (pool.limits.memory ?? Infinity)]).toEqual([where, true]);
        expect([where, usd <= (pool.limits.usdPerHour ?? Infinity) + 1e-9]).toEqual([where, true]);
      }
    }
  });

  it('gives the same plan, byte for byte, when the same snapshot is planned twice', () => {
    for (const seed of [1, 2, 3]) {
      const first = JSON.stringify(plan(karpenterBenchmarkSnapshot(500, mulberry32(seed))));
      const second = JSON.stringify(plan(karpenterBenchmarkSnapshot(500, mulberry32(seed))));
      expect(second).toBe(first);
      const random = randomSnapshot(mulberry32(seed));
      expect(JSON.stringify(plan(structuredClone(random)))).toBe(JSON.stringify(plan(random)));
    }
  });

  it("keeps Karpenter's benchmark workload within every constraint it sets", () => {
    const snapshot = karpenterBenchmarkSnapshot(1000, mulberry32(7));
    const result = plan(snapshot);
    expect(result.unschedulable).toEqual([]);
    checkPlan(snapshot, result);
    // At most one app=nginx pod per node (required anti-affinity on hostname).
    const nginxPerNode = new Map<string, number>();
    for (const { pod, node } of result.nominations)
      if (pod.startsWith('default/anti-affinity-')) nginxPerNode.set(node, (nginxPerNode.get(node) ?? 0) + 1);
    expect(Math.max(...nginxPerNode.values())).toBe(1);
  });
});
