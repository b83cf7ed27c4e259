import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Offering, PendingPod, Pool, Snapshot } from '../../../lib/scheduling/model';
import { satisfiesAll } from '../../../lib/scheduling/selectors';
import { offeringLabels } from '../../../lib/scheduling/slots';
import { instanceLabels } from '../../../lib/scheduling/snapshot/capacity-objects';
import { openPool } from '../../../lib/scheduling/workloads/open-pool';

const Mi = 2 ** 20;

interface CatalogueEntry {
  instanceType: string;
  vcpu: number;
  memoryMiB: number;
  architectures: string[];
  gpus: number;
  currentGeneration: boolean;
  capacityTypes: ('on-demand' | 'spot')[];
  onDemandUsdPerHour?: number;
  maxPodsEni: number;
}

/**
 * On-demand offerings in one zone for every priced type of the EC2 catalogue in ../shared/data
 * (1,340 types, us-east-1 prices): the real price curve the planner must shop along.
 */
export function ec2Offerings(): Offering[] {
  const path = join(process.cwd(), '..', 'shared', 'data', 'ec2-instance-types-us-east-1.json');
  const catalogue = JSON.parse(readFileSync(path, 'utf8')) as { instanceTypes: CatalogueEntry[] };
  return catalogue.instanceTypes
    .filter((type) => type.onDemandUsdPerHour !== undefined && type.capacityTypes.includes('on-demand'))
    .map((type) => ({
      instanceType: type.instanceType,
      capacityType: 'on-demand' as const,
      zone: 'us-east-1a',
      usdPerHour: type.onDemandUsdPerHour as number,
      capacity: { cpu: type.vcpu * 1000, memory: type.memoryMiB * Mi, pods: Math.min(110, type.maxPodsEni) },
      labels: instanceLabels({ ...type, name: type.instanceType, spotUsdPerHourByZone: {} }),
    }));
}

/**
 * The pool the cost target is measured on: Karpenter's documented general-purpose NodePool, whose
 * requirements keep to the compute, general and memory categories of generation 3 and later. On the
 * whole catalogue the fluid bound counts the burstable t types' nominal vCPUs (t4g.nano: 2 vCPU, 512
 * MiB and 4 pods for $0.0042 an hour), which no packing can use for sustained requests, so the
 * bound there says little about a plan (the benchmark prints that figure too).
 */
export function generalPurposePool(): Pool {
  return {
    ...openPool('general-purpose'),
    requirements: [
      { key: 'skiff.dev/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
      { key: 'skiff.dev/instance-generation', operator: 'Gt', values: ['2'] },
    ],
  };
}

/** The offerings `pool`'s requirements allow, as the planner selects them. */
export function offeringsFor(pool: Pool, offerings: readonly Offering[]): Offering[] {
  return offerings.filter((offering) => satisfiesAll(offeringLabels(offering, pool, ''), pool.requirements));
}

/** `count` pods of mixed sizes and no placement constraints, drawn from `random`. */
export function mixedPods(count: number, random: () => number): PendingPod[] {
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
  return Array.from({ length: count }, (_, i) => ({
    namespace: 'default',
    name: `pod-${i}`,
    labels: {},
    requests: {
      cpu: pick([100, 250, 500, 1000, 2000, 4000]),
      memory: pick([128, 256, 512, 1024, 2048, 4096, 8192]) * Mi,
      pods: 1,
    },
  }));
}

export function ec2Snapshot(pods: PendingPod[], offerings: Offering[], pool = openPool()): Snapshot {
  return {
    pending: pods,
    nodes: [],
    claims: [],
    pools: [pool],
    offerings,
    overhead: { cpu: 100, memory: 256 * Mi },
  };
}
