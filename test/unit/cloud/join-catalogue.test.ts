import type { InstanceTypeInfo, SpotPrice } from '@aws-sdk/client-ec2';
import { joinCatalogue } from '../../../lib/cloud/instance-catalogue/join-catalogue';
import {
  ON_DEMAND_PRICES_DATE,
  ON_DEMAND_PRICES_US_EAST_1,
} from '../../../lib/cloud/instance-catalogue/on-demand-prices-us-east-1';

function anEc2Type(name: string, overrides: Partial<InstanceTypeInfo> = {}): InstanceTypeInfo {
  return {
    InstanceType: name as InstanceTypeInfo['InstanceType'],
    CurrentGeneration: true,
    SupportedUsageClasses: ['on-demand', 'spot'],
    ProcessorInfo: { SupportedArchitectures: ['x86_64'] },
    VCpuInfo: { DefaultVCpus: 2 },
    MemoryInfo: { SizeInMiB: 8192 },
    ...overrides,
  };
}

function aSpotPrice(type: string, zone: string, price: string, at: string): SpotPrice {
  return {
    InstanceType: type as SpotPrice['InstanceType'],
    AvailabilityZone: zone,
    SpotPrice: price,
    Timestamp: new Date(at),
  };
}

describe('the instance catalogue', () => {
  it('joins what EC2 says of a type with its on-demand price', () => {
    const [type] = joinCatalogue(
      [
        anEc2Type('g5.12xlarge', {
          VCpuInfo: { DefaultVCpus: 48 },
          MemoryInfo: { SizeInMiB: 196608 },
          GpuInfo: {
            Gpus: [
              { Name: 'A10G', Count: 3 },
              { Name: 'A10G', Count: 1 },
            ],
          },
          SupportedUsageClasses: ['on-demand', 'spot', 'capacity-block'],
        }),
      ],
      { 'g5.12xlarge': 5.672 },
      [],
    );
    expect(type).toEqual({
      name: 'g5.12xlarge',
      vcpu: 48,
      memoryMiB: 196608,
      architectures: ['x86_64'],
      gpus: 4,
      currentGeneration: true,
      capacityTypes: ['on-demand', 'spot'],
      onDemandUsdPerHour: 5.672,
      spotUsdPerHourByZone: {},
    });
  });

  it('keeps the latest spot price of each type in each zone, whatever order the history comes in', () => {
    const [type] = joinCatalogue([anEc2Type('m5.large')], {}, [
      aSpotPrice('m5.large', 'us-east-1a', '0.040', '2026-11-30T10:00:00Z'),
      aSpotPrice('m5.large', 'us-east-1a', '0.035', '2026-11-30T12:00:00Z'),
      aSpotPrice('m5.large', 'us-east-1a', '0.050', '2026-11-30T08:00:00Z'),
      aSpotPrice('m5.large', 'us-east-1b', '0.031', '2026-11-29T00:00:00Z'),
      aSpotPrice('c5.large', 'us-east-1a', '0.020', '2026-11-30T12:00:00Z'),
    ]);
    expect(type?.spotUsdPerHourByZone).toEqual({ 'us-east-1a': 0.035, 'us-east-1b': 0.031 });
  });

  it('leaves the on-demand price out when the table has none, and leaves out types EC2 does not offer', () => {
    const catalogue = joinCatalogue([anEc2Type('x9.huge')], { 'm5.large': 0.096 }, []);
    expect(catalogue.map((type) => type.name)).toEqual(['x9.huge']);
    expect(catalogue[0]).not.toHaveProperty('onDemandUsdPerHour');
    expect(joinCatalogue([anEc2Type('constructor')], {}, [])[0]).not.toHaveProperty('onDemandUsdPerHour');
  });

  it('is sorted by name, so the scheduler’s input does not depend on the order of EC2’s pages', () => {
    const catalogue = joinCatalogue(
      [anEc2Type('t3.micro'), anEc2Type('c5.large'), anEc2Type('m5.large')],
      {},
      [],
    );
    expect(catalogue.map((type) => type.name)).toEqual(['c5.large', 'm5.large', 't3.micro']);
  });

  it('bundles dated us-east-1 on-demand prices for the catalogue’s types', () => {
    expect(ON_DEMAND_PRICES_DATE).toBe('2026-07-20');
    expect(Object.keys(ON_DEMAND_PRICES_US_EAST_1).length).toBeGreaterThanOrEqual(1300);
    expect(ON_DEMAND_PRICES_US_EAST_1['m5.large']).toBe(0.096);
    expect(ON_DEMAND_PRICES_US_EAST_1['m7i.large']).toBe(0.1008);
    for (const price of Object.values(ON_DEMAND_PRICES_US_EAST_1)) expect(price).toBeGreaterThan(0);
  });
});
