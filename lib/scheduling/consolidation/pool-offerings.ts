import type { Offering, Pool } from '../model';
import { satisfiesAll } from '../selectors';
import { offeringLabels } from '../slots';

/**
 * The offerings `pool` may launch, cheapest first: those whose labels (the instance type's, the
 * pool's, zone and capacity type) satisfy the pool's requirements. The planner filters and orders
 * them the same way (price, on-demand before spot, zone, type), so a warm node or a replacement
 * is what the planner itself would pick.
 */
export function poolOfferings(offerings: readonly Offering[], pool: Pool): Offering[] {
  return offerings
    .filter((offering) => satisfiesAll(offeringLabels(offering, pool, ''), pool.requirements))
    .sort(byOfferingPrice);
}

/** The planner's order of offerings: price, on-demand before spot, zone, instance type. */
export function byOfferingPrice(a: Offering, b: Offering): number {
  return (
    a.usdPerHour - b.usdPerHour ||
    (a.capacityType === b.capacityType ? 0 : a.capacityType === 'on-demand' ? -1 : 1) ||
    compare(a.zone, b.zone) ||
    compare(a.instanceType, b.instanceType)
  );
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether one more node of `offering` keeps `pool` within its limits (CPU, memory, dollars per hour). */
export function withinLimits(pool: Pool, offering: Offering): boolean {
  const { limits, used } = pool;
  return (
    (limits.cpu === undefined || used.cpu + (offering.capacity.cpu ?? 0) <= limits.cpu) &&
    (limits.memory === undefined || used.memory + (offering.capacity.memory ?? 0) <= limits.memory) &&
    (limits.usdPerHour === undefined || used.usdPerHour + offering.usdPerHour <= limits.usdPerHour + 1e-9)
  );
}
