import type { Container } from '../kinds/container';
import type { ResourceList } from '../kinds/resource-requirements';
import { quantityToMillis, quantityToUnits } from '../kinds/quantity';

/** What a resourceFieldRef names: a container (this one unless named), a resource and a divisor. */
export interface ResourceFieldRef {
  containerName?: string;
  resource: string;
  divisor?: string;
}

/** The resources a resourceFieldRef may read (limits and requests of cpu, memory, ephemeral-storage). */
const READABLE = ['cpu', 'memory', 'ephemeral-storage'];

/**
 * The value the downward API gives for a container's resource (ExtractContainerResourceValue):
 * cpu in units of the divisor's millis, memory and ephemeral storage in units of the divisor's
 * bytes, both rounded up; divisor 1 by default. A limit the container does not set is the node's
 * allocatable (defaultPodLimitsForDownwardAPI); a request it does not set is 0.
 *
 * @example resourceFieldValue({ resource: 'limits.memory', divisor: '1Mi' }, container, containers, {}) // '512'
 * @throws Error with the kubelet's message for an unknown resource or container
 */
export function resourceFieldValue(
  ref: ResourceFieldRef,
  container: Container,
  podContainers: readonly Container[],
  allocatable: Readonly<ResourceList>,
): string {
  const target = ref.containerName ? podContainers.find((c) => c.name === ref.containerName) : container;
  if (!target) throw new Error(`container ${ref.containerName} not found`);
  const [kind, resource] = splitResource(ref.resource);
  if (!kind || !resource || !READABLE.includes(resource))
    throw new Error(`unsupported container resource : ${ref.resource}`);
  const quantity =
    kind === 'limits'
      ? (target.resources.limits?.[resource] ?? allocatable[resource] ?? '0')
      : (target.resources.requests?.[resource] ?? '0');
  const divisor = ref.divisor === undefined || isZero(ref.divisor) ? '1' : ref.divisor;
  if (resource === 'cpu') return ceilDivide(quantityToMillis(quantity), quantityToMillis(divisor)).toString();
  return ceilDivide(quantityToUnits(quantity), quantityToUnits(divisor)).toString();
}

function splitResource(resource: string): ['limits' | 'requests' | undefined, string | undefined] {
  const dot = resource.indexOf('.');
  const kind = resource.slice(0, dot);
  if (dot < 0 || (kind !== 'limits' && kind !== 'requests')) return [undefined, undefined];
  return [kind, resource.slice(dot + 1)];
}

function isZero(quantity: string): boolean {
  return quantityToMillis(quantity) === 0n;
}

function ceilDivide(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  return numerator % denominator > 0n ? quotient + 1n : quotient;
}
