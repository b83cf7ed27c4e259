import {
  UnavailableOfferings,
  UNAVAILABLE_OFFERING_TTL_MS,
} from '../../../lib/cloud/ec2/unavailable-offerings';
import type { Offering } from '../../../lib/cloud/node-provider';

function aClock(start = 1_000_000) {
  const clock = { now: start, advance: (ms: number) => (clock.now += ms) };
  return clock;
}

const m5aSpot: Offering = { instanceType: 'm5.large', capacityType: 'spot', zone: 'us-east-1a' };

describe('the unavailable-offerings cache', () => {
  it('remembers a refused offering for three minutes, then forgets it', () => {
    const clock = aClock();
    const cache = new UnavailableOfferings(undefined, () => clock.now);
    cache.mark(m5aSpot);

    clock.advance(UNAVAILABLE_OFFERING_TTL_MS - 1);
    expect(cache.has(m5aSpot)).toBe(true);
    clock.advance(1);
    expect(cache.has(m5aSpot)).toBe(false);
    expect(UNAVAILABLE_OFFERING_TTL_MS).toBe(180_000);
  });

  it('keeps zones and capacity types apart', () => {
    const cache = new UnavailableOfferings();
    cache.mark(m5aSpot);

    expect(cache.has({ ...m5aSpot, zone: 'us-east-1b' })).toBe(false);
    expect(cache.has({ ...m5aSpot, capacityType: 'on-demand' })).toBe(false);
    expect(cache.has({ ...m5aSpot, instanceType: 'm5.xlarge' })).toBe(false);
    expect(cache.has({ instanceType: 'm5.large', capacityType: 'spot' })).toBe(false);
  });

  it('treats an offering marked without a zone as unavailable in every zone', () => {
    const cache = new UnavailableOfferings();
    cache.mark({ instanceType: 'm5.large', capacityType: 'spot' });

    expect(cache.has(m5aSpot)).toBe(true);
    expect(cache.has({ ...m5aSpot, zone: 'us-east-1f' })).toBe(true);
    expect(cache.has({ instanceType: 'm5.large', capacityType: 'spot' })).toBe(true);
    expect(cache.has({ instanceType: 'm5.large', capacityType: 'on-demand' })).toBe(false);
  });

  it('restarts the three minutes when an offering is refused again', () => {
    const clock = aClock();
    const cache = new UnavailableOfferings(undefined, () => clock.now);
    cache.mark(m5aSpot);
    clock.advance(UNAVAILABLE_OFFERING_TTL_MS - 10);
    cache.mark(m5aSpot);
    clock.advance(20);

    expect(cache.has(m5aSpot)).toBe(true);
  });
});
