import type { InstanceType } from '../node-provider';

/**
 * The instance types the embedded cluster offers by default: sizes of a laptop's share, priced
 * like EC2's general purpose types (m7i) so plans and their $/hour read as they would on AWS.
 */
export const LOCAL_INSTANCE_TYPES: readonly InstanceType[] = [
  localType('local.small', 2, 8192, 0.1008),
  localType('local.medium', 4, 16384, 0.2016),
  localType('local.large', 8, 32768, 0.4032),
];

function localType(name: string, vcpu: number, memoryMiB: number, onDemandUsdPerHour: number): InstanceType {
  return {
    name,
    vcpu,
    memoryMiB,
    architectures: [process.arch === 'arm64' ? 'arm64' : 'x86_64'],
    gpus: 0,
    currentGeneration: true,
    capacityTypes: ['on-demand'],
    onDemandUsdPerHour,
    spotUsdPerHourByZone: {},
  };
}
