import { createHash } from 'node:crypto';
import type { CreateFleetError, FleetLaunchTemplateOverridesRequest } from '@aws-sdk/client-ec2';
import { MAX_LAUNCH_OFFERINGS, type CapacityType, type Offering } from '../node-provider';
import type { UnavailableOfferings } from './unavailable-offerings';

/**
 * The offerings one CreateFleet call sends: those not recently refused, of a single capacity type
 * (a fleet buys one), the capacity type of the cheapest one left, in the caller's order, at most
 * MAX_LAUNCH_OFFERINGS. Spot comes first only when the caller put a spot offering first; when
 * every spot offering is sold out, the next launch falls to on-demand.
 *
 * @example selectFleetOfferings([{ instanceType: 'm5.large', capacityType: 'spot' }, …], cache)
 */
export function selectFleetOfferings(
  offerings: readonly Offering[],
  unavailable: UnavailableOfferings,
): { capacityType: CapacityType; offerings: Offering[] } | undefined {
  const available = offerings.filter((offering) => !unavailable.has(offering));
  const first = available[0];
  if (first === undefined) return undefined;
  return {
    capacityType: first.capacityType,
    offerings: available
      .filter((offering) => offering.capacityType === first.capacityType)
      .slice(0, MAX_LAUNCH_OFFERINGS),
  };
}

/**
 * The CreateFleet ClientToken for a claim's launch: the same claim sending the same offerings
 * always sends the same token, so EC2 answers a retried call with the fleet it already made
 * instead of launching again. The offerings are part of it because EC2 refuses a token reused
 * with other parameters (IdempotentParameterMismatch), and a launch after a capacity refusal
 * sends fewer offerings; that case is covered by the lookup by claim tag instead. Hashed, with
 * the cluster name so two clusters in one account never share one, to fit 64 characters.
 */
export function fleetClientToken(
  clusterName: string,
  claimUid: string,
  fleet: { capacityType: CapacityType; offerings: readonly Offering[] },
): string {
  const sent = fleet.offerings.map((o) => `${o.instanceType}/${o.zone ?? '*'}`).join(',');
  const digest = createHash('sha256')
    .update(`${clusterName}\n${claimUid}\n${fleet.capacityType}\n${sent}`)
    .digest('hex');
  return `skiff-${digest.slice(0, 48)}`;
}

/**
 * The launch template override for an offering: the zone's subnet when one is known (EC2 then
 * places the instance in it), else the zone itself, else nothing (EC2's default subnet).
 * Priority follows the caller's order, which the on-demand `prioritized` strategy honours.
 */
export function fleetOverride(
  offering: Offering,
  priority: number,
  subnetByZone: ReadonlyMap<string, string>,
): FleetLaunchTemplateOverridesRequest {
  const subnetId = offering.zone === undefined ? undefined : subnetByZone.get(offering.zone);
  return {
    InstanceType: offering.instanceType as FleetLaunchTemplateOverridesRequest['InstanceType'],
    Priority: priority,
    ...(subnetId !== undefined
      ? { SubnetId: subnetId }
      : offering.zone !== undefined
        ? { AvailabilityZone: offering.zone }
        : {}),
  };
}

/**
 * The error codes CreateFleet reports in its Errors array when an offering has no capacity for
 * us now (Karpenter's list): the offering is marked unavailable and another is tried. Any other
 * code (a bad launch template, missing permissions) is a fault to surface, not to route around.
 */
export const CAPACITY_ERROR_CODES: ReadonlySet<string> = new Set([
  'InsufficientInstanceCapacity',
  'InsufficientFreeAddressesInSubnet',
  'MaxSpotInstanceCountExceeded',
  'ReservationCapacityExceeded',
  'UnfulfillableCapacity',
  'Unsupported',
  'VcpuLimitExceeded',
]);

/** CreateFleet's Errors, sorted: capacity refusals by offering, and every other fault as text. */
export interface FleetErrors {
  unavailable: Offering[];
  faults: string[];
}

/**
 * Sorts CreateFleet's Errors into offerings refused for capacity and other faults. The refused
 * offering is read from the error's overrides; its zone is the subnet's zone when the override
 * named a subnet, and absent (every zone) when the error names neither. A capacity refusal that
 * names no type is neither: nothing is remembered, and the launch fails for capacity.
 */
export function classifyFleetErrors(
  errors: readonly CreateFleetError[],
  capacityType: CapacityType,
  zoneBySubnet: ReadonlyMap<string, string>,
): FleetErrors {
  const result: FleetErrors = { unavailable: [], faults: [] };
  for (const error of errors) {
    const overrides = error.LaunchTemplateAndOverrides?.Overrides;
    const code = error.ErrorCode ?? 'Unknown';
    if (CAPACITY_ERROR_CODES.has(code)) {
      // A refusal naming no type cannot be remembered; the launch still fails for capacity.
      if (overrides?.InstanceType === undefined) continue;
      const zone =
        overrides.AvailabilityZone ??
        (overrides.SubnetId === undefined ? undefined : zoneBySubnet.get(overrides.SubnetId));
      result.unavailable.push({
        instanceType: overrides.InstanceType,
        capacityType,
        ...(zone === undefined ? {} : { zone }),
      });
    } else {
      const where = overrides?.InstanceType ? ` (${overrides.InstanceType})` : '';
      result.faults.push(`${code}${where}: ${error.ErrorMessage ?? ''}`.trim());
    }
  }
  return result;
}
