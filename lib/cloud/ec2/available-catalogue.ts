import type { InstanceType } from '../node-provider';
import type { UnavailableOfferings } from './unavailable-offerings';

/**
 * The catalogue without the offerings recently refused for capacity, so the scheduler stops
 * planning onto a sold-out pool until the cache forgets it (3 minutes), as Karpenter's offerings
 * carry its unavailable-offerings cache:
 *
 * - a spot zone refused (or spot refused in every zone) leaves `spotUsdPerHourByZone`, which is
 *   how the planner learns where spot can be had;
 * - on-demand refused in every zone takes `on-demand` out of `capacityTypes`. On-demand refused
 *   in one zone stays: the catalogue prices on-demand per type, not per zone, and the launch
 *   skips that zone's offering anyway and falls to the claim's next one.
 *
 * Types are copied only when something is left out; the others are returned as they are.
 */
export function withoutUnavailable(
  catalogue: readonly InstanceType[],
  unavailable: UnavailableOfferings,
): InstanceType[] {
  return catalogue.map((type) => {
    const onDemandGone =
      type.capacityTypes.includes('on-demand') &&
      unavailable.has({ instanceType: type.name, capacityType: 'on-demand' });
    const spotZones = Object.entries(type.spotUsdPerHourByZone);
    const spotLeft = spotZones.filter(
      ([zone]) => !unavailable.has({ instanceType: type.name, capacityType: 'spot', zone }),
    );
    if (!onDemandGone && spotLeft.length === spotZones.length) return type;
    return {
      ...type,
      capacityTypes: onDemandGone ? type.capacityTypes.filter((c) => c !== 'on-demand') : type.capacityTypes,
      spotUsdPerHourByZone: Object.fromEntries(spotLeft),
    };
  });
}
