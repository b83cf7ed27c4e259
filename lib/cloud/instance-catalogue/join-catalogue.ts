import type { InstanceTypeInfo, SpotPrice } from '@aws-sdk/client-ec2';
import type { CapacityType, InstanceType } from '../node-provider';

/**
 * Builds the catalogue from what EC2 says about each type (DescribeInstanceTypes), a table of
 * on-demand prices, and spot price history. Only the latest spot price per type and zone counts.
 * Types EC2 does not name are left out whatever the price table says: the account cannot launch
 * them here. Sorted by name, so the scheduler's input does not depend on EC2's page order.
 */
export function joinCatalogue(
  types: readonly InstanceTypeInfo[],
  onDemandPrices: Readonly<Record<string, number>>,
  spotPrices: readonly SpotPrice[],
): InstanceType[] {
  const spot = latestSpotPrices(spotPrices);
  return types
    .filter((type): type is InstanceTypeInfo & { InstanceType: string } => type.InstanceType !== undefined)
    .map((type) => {
      const name = type.InstanceType;
      const onDemandUsdPerHour = Object.hasOwn(onDemandPrices, name) ? onDemandPrices[name] : undefined;
      return {
        name,
        vcpu: type.VCpuInfo?.DefaultVCpus ?? 0,
        memoryMiB: type.MemoryInfo?.SizeInMiB ?? 0,
        architectures: [...(type.ProcessorInfo?.SupportedArchitectures ?? [])],
        gpus: (type.GpuInfo?.Gpus ?? []).reduce((sum, gpu) => sum + (gpu.Count ?? 0), 0),
        currentGeneration: type.CurrentGeneration ?? false,
        capacityTypes: (type.SupportedUsageClasses ?? []).filter(
          (usage): usage is CapacityType => usage === 'on-demand' || usage === 'spot',
        ),
        ...(onDemandUsdPerHour === undefined ? {} : { onDemandUsdPerHour }),
        spotUsdPerHourByZone: spot.get(name) ?? {},
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The latest price per type and zone: spot price history lists every change, newest not first. */
function latestSpotPrices(prices: readonly SpotPrice[]): Map<string, Record<string, number>> {
  const latest = new Map<string, { at: number; price: number }>();
  for (const { InstanceType: type, AvailabilityZone: zone, SpotPrice: price, Timestamp } of prices) {
    if (type === undefined || zone === undefined || price === undefined) continue;
    const key = `${type} ${zone}`;
    const at = Timestamp?.getTime() ?? 0;
    const seen = latest.get(key);
    if (seen === undefined || at >= seen.at) latest.set(key, { at, price: Number(price) });
  }
  const byType = new Map<string, Record<string, number>>();
  for (const [key, { price }] of latest) {
    const [type, zone] = key.split(' ') as [string, string];
    if (!Number.isFinite(price)) continue;
    const zones = byType.get(type) ?? {};
    zones[zone] = price;
    byType.set(type, zones);
  }
  return byType;
}
