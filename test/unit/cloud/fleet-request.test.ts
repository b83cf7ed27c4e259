import type { CreateFleetError } from '@aws-sdk/client-ec2';
import {
  classifyFleetErrors,
  fleetClientToken,
  fleetOverride,
  selectFleetOfferings,
} from '../../../lib/cloud/ec2/fleet-request';
import { UnavailableOfferings } from '../../../lib/cloud/ec2/unavailable-offerings';
import { MAX_LAUNCH_OFFERINGS, type Offering } from '../../../lib/cloud/node-provider';

const spot = (instanceType: string, zone?: string): Offering => ({
  instanceType,
  capacityType: 'spot',
  ...(zone ? { zone } : {}),
});
const onDemand = (instanceType: string, zone?: string): Offering => ({
  instanceType,
  capacityType: 'on-demand',
  ...(zone ? { zone } : {}),
});

function cacheOf(...offerings: Offering[]): UnavailableOfferings {
  const cache = new UnavailableOfferings();
  for (const offering of offerings) cache.mark(offering);
  return cache;
}

describe('the offerings a fleet request sends', () => {
  it.each([
    {
      case: 'keeps the caller’s cheapest-first order',
      offerings: [onDemand('t3.large'), onDemand('m5.large'), onDemand('c5.large')],
      unavailable: [],
      expected: {
        capacityType: 'on-demand',
        offerings: [onDemand('t3.large'), onDemand('m5.large'), onDemand('c5.large')],
      },
    },
    {
      case: 'buys the capacity type of the cheapest offering, and only that one',
      offerings: [spot('m5.large'), onDemand('t3.large'), spot('c5.large')],
      unavailable: [],
      expected: { capacityType: 'spot', offerings: [spot('m5.large'), spot('c5.large')] },
    },
    {
      case: 'skips offerings recently refused, per zone',
      offerings: [
        spot('m5.large', 'us-east-1a'),
        spot('m5.large', 'us-east-1b'),
        spot('c5.large', 'us-east-1a'),
      ],
      unavailable: [spot('m5.large', 'us-east-1a')],
      expected: {
        capacityType: 'spot',
        offerings: [spot('m5.large', 'us-east-1b'), spot('c5.large', 'us-east-1a')],
      },
    },
    {
      case: 'falls to on-demand when every spot offering is refused',
      offerings: [spot('m5.large'), spot('c5.large', 'us-east-1a'), onDemand('m5.large')],
      unavailable: [spot('m5.large'), spot('c5.large')],
      expected: { capacityType: 'on-demand', offerings: [onDemand('m5.large')] },
    },
  ])('$case', ({ offerings, unavailable, expected }) => {
    expect(selectFleetOfferings(offerings, cacheOf(...unavailable))).toEqual(expected);
  });

  it('sends at most 60 offerings, the first 60 still available', () => {
    const offerings = Array.from({ length: 100 }, (_, i) => onDemand(`type-${i}`));
    const selected = selectFleetOfferings(offerings, cacheOf(onDemand('type-0'), onDemand('type-5')));

    expect(MAX_LAUNCH_OFFERINGS).toBe(60);
    expect(selected?.offerings).toHaveLength(60);
    expect(selected?.offerings[0]).toEqual(onDemand('type-1'));
    expect(selected?.offerings.at(-1)).toEqual(onDemand('type-61'));
    expect(selected?.offerings).not.toContainEqual(onDemand('type-5'));
  });

  it('has nothing to send when every offering is refused, or none was given', () => {
    expect(selectFleetOfferings([spot('m5.large', 'us-east-1a')], cacheOf(spot('m5.large')))).toBeUndefined();
    expect(selectFleetOfferings([], new UnavailableOfferings())).toBeUndefined();
  });
});

describe('the fleet ClientToken', () => {
  const fleet = {
    capacityType: 'spot' as const,
    offerings: [spot('m5.large', 'us-east-1a'), spot('c5.large')],
  };

  it('is the same for the same claim sending the same offerings, so a retried call is the same request', () => {
    expect(fleetClientToken('prod', 'uid-1', fleet)).toBe(
      fleetClientToken('prod', 'uid-1', structuredClone(fleet)),
    );
  });

  it('differs between claims, clusters sharing an account, and offerings sent', () => {
    const tokens = new Set([
      fleetClientToken('prod', 'uid-1', fleet),
      fleetClientToken('prod', 'uid-2', fleet),
      fleetClientToken('staging', 'uid-1', fleet),
      fleetClientToken('prod', 'uid-1', { ...fleet, offerings: fleet.offerings.slice(1) }),
      fleetClientToken('prod', 'uid-1', {
        ...fleet,
        offerings: [spot('m5.large', 'us-east-1b'), spot('c5.large')],
      }),
      fleetClientToken('prod', 'uid-1', { capacityType: 'on-demand', offerings: fleet.offerings }),
    ]);
    expect(tokens.size).toBe(6);
  });

  it('fits EC2’s 64 ASCII characters whatever the uid', () => {
    const token = fleetClientToken('a'.repeat(300), 'ü'.repeat(300), fleet);
    expect(token.length).toBeLessThanOrEqual(64);
    expect(token).toMatch(/^[\x21-\x7e]+$/);
  });
});

describe('a fleet override', () => {
  const subnets = new Map([['us-east-1a', 'subnet-a']]);

  it('launches into the zone’s subnet when one is known', () => {
    expect(fleetOverride(spot('m5.large', 'us-east-1a'), 3, subnets)).toEqual({
      InstanceType: 'm5.large',
      Priority: 3,
      SubnetId: 'subnet-a',
    });
  });

  it('names the zone when its subnet is not known, and neither for any zone', () => {
    expect(fleetOverride(spot('m5.large', 'us-east-1b'), 0, subnets)).toEqual({
      InstanceType: 'm5.large',
      Priority: 0,
      AvailabilityZone: 'us-east-1b',
    });
    expect(fleetOverride(spot('m5.large'), 1, subnets)).toEqual({ InstanceType: 'm5.large', Priority: 1 });
  });
});

describe('CreateFleet errors', () => {
  const zoneBySubnet = new Map([['subnet-a', 'us-east-1a']]);
  const fleetError = (
    ErrorCode: string,
    Overrides?: { InstanceType?: string; SubnetId?: string; AvailabilityZone?: string },
  ): CreateFleetError =>
    ({
      ErrorCode,
      ErrorMessage: `${ErrorCode} happened`,
      ...(Overrides ? { LaunchTemplateAndOverrides: { Overrides } } : {}),
    }) as CreateFleetError;

  it.each([
    'InsufficientInstanceCapacity',
    'InsufficientFreeAddressesInSubnet',
    'MaxSpotInstanceCountExceeded',
    'ReservationCapacityExceeded',
    'UnfulfillableCapacity',
    'Unsupported',
    'VcpuLimitExceeded',
  ])('reads %s as the offering being unavailable', (code) => {
    expect(
      classifyFleetErrors(
        [fleetError(code, { InstanceType: 'm5.large', SubnetId: 'subnet-a' })],
        'spot',
        zoneBySubnet,
      ),
    ).toEqual({ unavailable: [spot('m5.large', 'us-east-1a')], faults: [] });
  });

  it('takes the zone from the override’s zone, its subnet, or else marks every zone', () => {
    const errors = [
      fleetError('InsufficientInstanceCapacity', {
        InstanceType: 'c5.large',
        AvailabilityZone: 'us-east-1c',
      }),
      fleetError('InsufficientInstanceCapacity', { InstanceType: 'r5.large' }),
      fleetError('InsufficientInstanceCapacity', { InstanceType: 'm5.large', SubnetId: 'subnet-unknown' }),
    ];
    expect(classifyFleetErrors(errors, 'on-demand', zoneBySubnet).unavailable).toEqual([
      onDemand('c5.large', 'us-east-1c'),
      onDemand('r5.large'),
      onDemand('m5.large'),
    ]);
  });

  it('reports every other error as a fault, not as missing capacity', () => {
    const errors = [
      fleetError('InvalidLaunchTemplateId.NotFound'),
      fleetError('UnauthorizedOperation', { InstanceType: 'm5.large' }),
    ];
    expect(classifyFleetErrors(errors, 'spot', zoneBySubnet)).toEqual({
      unavailable: [],
      faults: [
        'InvalidLaunchTemplateId.NotFound: InvalidLaunchTemplateId.NotFound happened',
        'UnauthorizedOperation (m5.large): UnauthorizedOperation happened',
      ],
    });
  });

  it('remembers nothing for a capacity refusal that names no type, and does not call it a fault', () => {
    expect(classifyFleetErrors([fleetError('InsufficientInstanceCapacity')], 'spot', zoneBySubnet)).toEqual({
      unavailable: [],
      faults: [],
    });
  });
});
