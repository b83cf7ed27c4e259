import { withoutUnavailable } from '../../../lib/cloud/ec2/available-catalogue';
import { CachedValue } from '../../../lib/cloud/ec2/cached-value';
import { UnavailableOfferings } from '../../../lib/cloud/ec2/unavailable-offerings';
import type { InstanceType } from '../../../lib/cloud/node-provider';
import { anInstanceType } from '../../support/instance-types';

function aType(name: string, overrides: Partial<InstanceType> = {}): InstanceType {
  return anInstanceType({
    name,
    spotUsdPerHourByZone: { 'us-east-1a': 0.04, 'us-east-1b': 0.05 },
    ...overrides,
  });
}

describe('the catalogue without unavailable offerings', () => {
  it('drops a spot zone refused for capacity, keeping the other zones and on-demand', () => {
    const unavailable = new UnavailableOfferings();
    unavailable.mark({ instanceType: 'm5.large', capacityType: 'spot', zone: 'us-east-1a' });

    const [m5, c5] = withoutUnavailable([aType('m5.large'), aType('c5.large')], unavailable);

    expect(m5).toEqual(aType('m5.large', { spotUsdPerHourByZone: { 'us-east-1b': 0.05 } }));
    expect(c5).toEqual(aType('c5.large'));
  });

  it('drops every spot zone when spot was refused without a zone', () => {
    const unavailable = new UnavailableOfferings();
    unavailable.mark({ instanceType: 'm5.large', capacityType: 'spot' });

    const [m5] = withoutUnavailable([aType('m5.large')], unavailable);

    expect(m5?.spotUsdPerHourByZone).toEqual({});
    expect(m5?.capacityTypes).toEqual(['on-demand', 'spot']);
  });

  it('takes on-demand out only when it was refused in every zone', () => {
    const inOneZone = new UnavailableOfferings();
    inOneZone.mark({ instanceType: 'm5.large', capacityType: 'on-demand', zone: 'us-east-1a' });
    const everywhere = new UnavailableOfferings();
    everywhere.mark({ instanceType: 'm5.large', capacityType: 'on-demand' });

    expect(withoutUnavailable([aType('m5.large')], inOneZone)[0]).toEqual(aType('m5.large'));
    expect(withoutUnavailable([aType('m5.large')], everywhere)[0]?.capacityTypes).toEqual(['spot']);
  });

  it('gives the offerings back once the cache forgets them', () => {
    const clock = { now: 0 };
    const unavailable = new UnavailableOfferings(1000, () => clock.now);
    unavailable.mark({ instanceType: 'm5.large', capacityType: 'spot', zone: 'us-east-1b' });
    expect(withoutUnavailable([aType('m5.large')], unavailable)[0]?.spotUsdPerHourByZone).toEqual({
      'us-east-1a': 0.04,
    });

    clock.now = 1000;
    expect(withoutUnavailable([aType('m5.large')], unavailable)[0]).toEqual(aType('m5.large'));
  });
});

describe('a cached value', () => {
  function aCounter(results: Array<number | Error>) {
    let calls = 0;
    const load = async () => {
      const result = results[Math.min(calls++, results.length - 1)]!;
      if (result instanceof Error) throw result;
      return result;
    };
    return { load, calls: () => calls };
  }

  it('is loaded once for its lifetime, then again', async () => {
    const clock = { now: 0 };
    const { load, calls } = aCounter([1, 2]);
    const value = new CachedValue(load, 100, () => clock.now);

    expect(await value.get()).toBe(1);
    clock.now = 99;
    expect(await value.get()).toBe(1);
    clock.now = 100;
    expect(await value.get()).toBe(2);
    expect(calls()).toBe(2);
  });

  it('shares one load among callers arriving together, and keeps no failure', async () => {
    const { load, calls } = aCounter([new Error('throttled'), 7]);
    const value = new CachedValue(load, 100);

    const first = await Promise.allSettled([value.get(), value.get()]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls()).toBe(1);
    expect(await value.get()).toBe(7);
  });
});
