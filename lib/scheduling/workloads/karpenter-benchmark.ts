import type { Offering, PendingPod, Snapshot } from '../model';
import { openPool } from './open-pool';

/**
 * The workload of Karpenter's own scheduling benchmark (scheduling_benchmark_test.go in
 * kubernetes-sigs/karpenter), reproduced from its description: N pods in five groups of N/5, no
 * nodes, one pool without requirements or limits, 400 fake instance types. Used by
 * `npm run bench:scheduler` and the planner's tests, with a seeded random source.
 */

const MILLICORES = [100, 250, 500, 1000, 1500];
const MEBIBYTES = [100, 256, 512, 1024, 2048, 4096];
const LABEL_VALUES = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
const ZONES = ['test-zone-1', 'test-zone-2', 'test-zone-3'];
/** Every fake type's price per vCPU, as the benchmark sets it. */
export const FAKE_PRICE_PER_VCPU = 0.3147483648;
const MiB = 2 ** 20;
const GiB = 2 ** 30;

/** 400 types `fake-it-0..399`: type i has i+1 vCPU, 2(i+1) GiB, 10(i+1) pods; spot in zones 1-2, on-demand in 1-3. */
export function fakeOfferings(count = 400): Offering[] {
  const offerings: Offering[] = [];
  for (let i = 0; i < count; i++) {
    const size = i + 1;
    const capacity = { cpu: size * 1000, memory: 2 * size * GiB, pods: 10 * size };
    const labels = { 'kubernetes.io/arch': 'amd64', 'skiff.dev/instance-cpu': String(size) };
    const price = FAKE_PRICE_PER_VCPU * size;
    for (const zone of ZONES)
      offerings.push({
        instanceType: `fake-it-${i}`,
        capacityType: 'on-demand',
        zone,
        usdPerHour: price,
        capacity,
        labels,
      });
    for (const zone of ZONES.slice(0, 2))
      offerings.push({
        instanceType: `fake-it-${i}`,
        capacityType: 'spot',
        zone,
        usdPerHour: price,
        capacity,
        labels,
      });
  }
  return offerings;
}

/** The benchmark's snapshot for `count` pods (a multiple of 5), drawn from `random`. */
export function karpenterBenchmarkSnapshot(count: number, random: () => number): Snapshot {
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
  const perGroup = Math.floor(count / 5);
  const pending: PendingPod[] = [];
  const pod = (group: string, i: number, extra: Partial<PendingPod>): PendingPod => ({
    namespace: 'default',
    name: `${group}-${i}`,
    labels: {},
    requests: { cpu: pick(MILLICORES), memory: pick(MEBIBYTES) * MiB, pods: 1 },
    ...extra,
  });
  for (let i = 0; i < perGroup; i++)
    pending.push(pod('plain', i, { labels: { 'my-label': pick(LABEL_VALUES) } }));
  for (const [group, topologyKey] of [
    ['zone-spread', 'topology.kubernetes.io/zone'],
    ['host-spread', 'kubernetes.io/hostname'],
  ] as const)
    for (let i = 0; i < perGroup; i++)
      pending.push(
        pod(group, i, {
          labels: { 'my-label': pick(LABEL_VALUES) },
          topologySpread: [
            {
              maxSkew: 1,
              topologyKey,
              whenUnsatisfiable: 'DoNotSchedule',
              labelSelector: { matchLabels: { 'my-label': pick(LABEL_VALUES) } },
            },
          ],
        }),
      );
  for (let i = 0; i < perGroup; i++) {
    const value = pick(LABEL_VALUES);
    pending.push(
      pod('affinity', i, {
        labels: { 'my-affininity': value },
        podAffinity: [
          {
            labelSelector: { matchLabels: { 'my-affininity': value } },
            topologyKey: 'topology.kubernetes.io/zone',
          },
        ],
      }),
    );
  }
  for (let i = 0; i < perGroup; i++)
    pending.push(
      pod('anti-affinity', i, {
        labels: { app: 'nginx' },
        podAntiAffinity: [
          { labelSelector: { matchLabels: { app: 'nginx' } }, topologyKey: 'kubernetes.io/hostname' },
        ],
      }),
    );
  return {
    pending,
    nodes: [],
    claims: [],
    pools: [openPool()],
    offerings: fakeOfferings(),
    overhead: { cpu: 100, memory: 10 * MiB },
  };
}

/** The benchmark's lower bound: the price per vCPU times max(total vCPU, total GiB / 2). */
export function karpenterLowerBound(pods: readonly PendingPod[]): number {
  let cpu = 0;
  let memory = 0;
  for (const pod of pods) {
    cpu += (pod.requests.cpu ?? 0) / 1000;
    memory += (pod.requests.memory ?? 0) / GiB;
  }
  return FAKE_PRICE_PER_VCPU * Math.max(cpu, memory / 2);
}
