import type { InstanceType } from '../../cloud/node-provider';
import type { KubeObject } from '../../kinds/meta';
import { USD_PER_HOUR_LIMIT } from '../../kinds/node-pool';
import { WELL_KNOWN_LABELS } from '../../kinds/node-requirement';
import { quantityToMillis, quantityToUnits } from '../../kinds/quantity';
import type { Offering, Pool, Requirement, Taint } from '../model';

/**
 * The capacity side of a snapshot: the provider's catalogue as offerings, and NodePools as the
 * planner reads them.
 */

type Loose = Record<string, unknown>;
const Mi = 2 ** 20;

/** How many pods a node may run when nothing else says: kubelet's default `maxPods`. */
export const DEFAULT_MAX_PODS = 110;

/**
 * What every node keeps for the agent and the system (kube-reserved plus system-reserved), taken
 * from each instance type's capacity before pods are packed: 100m CPU and 256Mi, about what EKS
 * reserves on a small node. The scheduler and the claim controller's fallback types both use it,
 * so a type the controller falls back to holds what the plan put on the claim.
 */
export const NODE_OVERHEAD: Readonly<Record<string, number>> = { cpu: 100, memory: 256 * Mi };

/**
 * Every (type, capacity type, zone) the catalogue prices: on-demand in each of `zones` at the
 * type's on-demand price, spot in each zone the provider has a spot price for. A type without a
 * price offers nothing (a plan cannot weigh it), as Karpenter leaves unpriced types out.
 */
export function offeringsOf(
  catalogue: readonly InstanceType[],
  zones: readonly string[],
  maxPods = DEFAULT_MAX_PODS,
): Offering[] {
  const offerings: Offering[] = [];
  for (const type of catalogue) {
    const capacity = {
      cpu: type.vcpu * 1000,
      memory: type.memoryMiB * Mi,
      pods: maxPods,
      ...(type.gpus > 0 ? { 'nvidia.com/gpu': type.gpus } : {}),
    };
    const labels = instanceLabels(type);
    const offering = (
      capacityType: Offering['capacityType'],
      zone: string,
      usdPerHour: number,
    ): Offering => ({
      instanceType: type.name,
      capacityType,
      zone,
      usdPerHour,
      capacity,
      labels,
    });
    if (type.onDemandUsdPerHour !== undefined && type.capacityTypes.includes('on-demand'))
      for (const zone of zones) offerings.push(offering('on-demand', zone, type.onDemandUsdPerHour));
    if (type.capacityTypes.includes('spot'))
      for (const [zone, price] of Object.entries(type.spotUsdPerHourByZone))
        if (zones.includes(zone)) offerings.push(offering('spot', zone, price));
  }
  return offerings;
}

/**
 * The well-known labels of an instance type (lib/kinds/node-requirement.ts), which NodePool
 * requirements and pods' node affinity select on: `m7g.xlarge` is category `m`, family `m7g`, size
 * `xlarge`, generation `7`.
 */
export function instanceLabels(type: InstanceType): Record<string, string> {
  const [family, size = ''] = type.name.split('.');
  const [, category, generation] = /^([a-z]+)(\d+)/.exec(family) ?? [];
  return {
    [WELL_KNOWN_LABELS.instanceType]: type.name,
    ...(category ? { [WELL_KNOWN_LABELS.instanceCategory]: category } : {}),
    [WELL_KNOWN_LABELS.instanceFamily]: family,
    [WELL_KNOWN_LABELS.instanceSize]: size,
    [WELL_KNOWN_LABELS.instanceCpu]: String(type.vcpu),
    [WELL_KNOWN_LABELS.instanceMemory]: String(type.memoryMiB),
    [WELL_KNOWN_LABELS.instanceGpuCount]: String(type.gpus),
    [WELL_KNOWN_LABELS.arch]: type.architectures.includes('arm64') ? 'arm64' : 'amd64',
    ...(generation ? { [WELL_KNOWN_LABELS.instanceGeneration]: generation } : {}),
  };
}

/**
 * A NodePool as the planner reads it; `used` is what its nodes and claims already add up to
 * (counted by the caller from its NodeClaims).
 */
export function poolOf(
  nodePool: KubeObject,
  used: Pool['used'] = { cpu: 0, memory: 0, usdPerHour: 0 },
): Pool {
  const spec = (nodePool.spec ?? {}) as Loose;
  const template = (spec.template ?? {}) as Loose;
  const templateSpec = (template.spec ?? {}) as Loose;
  const limits = (spec.limits ?? {}) as Record<string, string>;
  return {
    name: nodePool.metadata.name ?? '',
    weight: typeof spec.weight === 'number' ? spec.weight : 0,
    requirements: ((templateSpec.requirements ?? []) as Loose[]).map(
      ({ key, operator, values }): Requirement => ({
        key: String(key),
        operator: operator as Requirement['operator'],
        ...(Array.isArray(values) ? { values: values as string[] } : {}),
      }),
    ),
    labels: (((template.metadata ?? {}) as Loose).labels ?? {}) as Record<string, string>,
    taints: (templateSpec.taints ?? []) as Taint[],
    limits: {
      ...(limits.cpu !== undefined ? { cpu: Number(quantityToMillis(limits.cpu)) } : {}),
      ...(limits.memory !== undefined ? { memory: Number(quantityToUnits(limits.memory)) } : {}),
      ...(limits[USD_PER_HOUR_LIMIT] !== undefined ? { usdPerHour: Number(limits[USD_PER_HOUR_LIMIT]) } : {}),
    },
    used,
  };
}
