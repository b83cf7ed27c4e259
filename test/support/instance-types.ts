import type { InstanceType } from '../../lib/cloud/node-provider';

/**
 * An instance type as a NodeProvider's catalogue answers it: an m5.large (2 vCPU, 8 GiB, x86,
 * on-demand and spot, current generation, $0.096/hour on-demand, no spot price) unless told
 * otherwise.
 * @example anInstanceType({ name: 'm5.xlarge', vcpu: 4, memoryMiB: 16384 })
 */
export function anInstanceType(overrides: Partial<InstanceType> = {}): InstanceType {
  return {
    name: 'm5.large',
    vcpu: 2,
    memoryMiB: 8192,
    architectures: ['x86_64'],
    gpus: 0,
    currentGeneration: true,
    capacityTypes: ['on-demand', 'spot'],
    onDemandUsdPerHour: 0.096,
    spotUsdPerHourByZone: {},
    ...overrides,
  };
}
