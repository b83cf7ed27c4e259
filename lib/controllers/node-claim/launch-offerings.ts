import { MAX_LAUNCH_OFFERINGS, type InstanceType, type Offering } from '../../cloud/node-provider';
import type { NodeClaimSpec } from '../../kinds/node-claim';
import { WELL_KNOWN_LABELS } from '../../kinds/node-requirement';
import { LABELS, type Offering as PricedOffering, type Requirement } from '../../scheduling/model';
import { NODE_OVERHEAD } from '../../scheduling/snapshot/capacity-objects';
import { resourceList } from '../../scheduling/snapshot/from-objects';
import { satisfiesAll } from '../../scheduling/selectors';

/**
 * What a claim's launch asks the provider for: the offering the scheduler chose, then fallbacks
 * the provider may take when that one has no capacity, as Karpenter sends every compatible
 * instance type to CreateFleet and lets the cloud skip the sold-out ones.
 */

/** The zone of a provider that names none: the local provider's. */
const DEFAULT_ZONE = 'local';

/** Label keys that differ between offerings: requirements on other keys hold for every fallback alike. */
const OFFERING_KEYS = new Set<string>([
  ...Object.values(WELL_KNOWN_LABELS),
  LABELS.zone,
  LABELS.capacityType,
]);

/**
 * The zones on-demand offerings are in when the controller is not told: every zone the catalogue
 * has a spot price for (EC2 reports them per zone), else the local provider's single zone.
 */
export function launchZones(catalogue: readonly InstanceType[]): string[] {
  const zones = new Set(catalogue.flatMap((type) => Object.keys(type.spotUsdPerHourByZone)));
  return zones.size > 0 ? [...zones].sort() : [DEFAULT_ZONE];
}

/**
 * The offerings of one launch, at most MAX_LAUNCH_OFFERINGS: the claim's own (its spec's type,
 * capacity type and zone) first, then every other priced offering, cheapest first, that
 * satisfies the claim's requirements and can hold what its pods request plus the per-node
 * overhead. Requirements on keys no offering sets (a pool's own labels) are the same for every
 * offering, so they do not filter. A claim that pins its zone or capacity type does so with a
 * requirement, as in Karpenter: fallbacks may otherwise change both.
 *
 * @example launchOfferings({ instanceType: 'm5.large', capacityType: 'spot', zone: 'us-east-1a', ... }, offerings)
 * // [{ instanceType: 'm5.large', capacityType: 'spot', zone: 'us-east-1a' }, { instanceType: 'm6a.large', ... }, ...]
 */
export function launchOfferings(spec: NodeClaimSpec, priced: readonly PricedOffering[]): Offering[] {
  const chosen: Offering = {
    instanceType: spec.instanceType,
    capacityType: spec.capacityType,
    ...(spec.zone !== undefined ? { zone: spec.zone } : {}),
  };
  const requirements = (spec.requirements ?? [])
    .filter((requirement) => OFFERING_KEYS.has(requirement.key))
    .map(({ key, operator, values }) => ({ key, operator, values }) as Requirement);
  const requests = resourceList(spec.resources?.requests);
  const fallbacks = priced
    .filter(
      (offering) =>
        !isChosen(offering, chosen) &&
        satisfiesAll(labelsOf(offering), requirements) &&
        holds(offering.capacity, requests),
    )
    .sort(cheapestFirst)
    .map(({ instanceType, capacityType, zone }): Offering => ({ instanceType, capacityType, zone }));
  return [chosen, ...fallbacks].slice(0, MAX_LAUNCH_OFFERINGS);
}

/** The chosen offering, or one it already covers (same type and capacity type when it names no zone). */
function isChosen(offering: PricedOffering, chosen: Offering): boolean {
  return (
    offering.instanceType === chosen.instanceType &&
    offering.capacityType === chosen.capacityType &&
    (chosen.zone === undefined || offering.zone === chosen.zone)
  );
}

function labelsOf(offering: PricedOffering): Record<string, string> {
  return { ...offering.labels, [LABELS.zone]: offering.zone, [LABELS.capacityType]: offering.capacityType };
}

/** Whether a node of `capacity`, less the per-node overhead, has room for `requests`. */
function holds(
  capacity: Readonly<Record<string, number>>,
  requests: Readonly<Record<string, number>>,
): boolean {
  return Object.entries(requests).every(
    ([name, amount]) => amount <= (capacity[name] ?? 0) - (NODE_OVERHEAD[name] ?? 0),
  );
}

/** By price, then by name, capacity type and zone, so the same catalogue gives the same launch. */
function cheapestFirst(a: PricedOffering, b: PricedOffering): number {
  return (
    a.usdPerHour - b.usdPerHour ||
    compare(a.instanceType, b.instanceType) ||
    compare(a.capacityType, b.capacityType) ||
    compare(a.zone, b.zone)
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
