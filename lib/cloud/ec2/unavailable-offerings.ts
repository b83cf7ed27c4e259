import type { Offering } from '../node-provider';

/** Karpenter's figure: long enough to stop hammering a sold-out pool, short enough to retry it soon. */
export const UNAVAILABLE_OFFERING_TTL_MS = 3 * 60_000;

/**
 * Offerings the cloud recently refused for capacity, remembered for a while so the next launches
 * skip them and go to the next cheapest, as Karpenter's unavailable-offerings cache does. An
 * offering marked without a zone is unavailable in every zone. In memory: a cold Lambda starts
 * with an empty cache and learns again from one refused launch, which is harmless.
 */
export class UnavailableOfferings {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly ttlMs = UNAVAILABLE_OFFERING_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Remembers an offering as unavailable for the TTL from now. */
  mark(offering: Offering): void {
    this.until.set(offeringKey(offering), this.now() + this.ttlMs);
  }

  /** Whether the offering, or the same type and capacity type in any zone, was marked within the TTL. */
  has(offering: Offering): boolean {
    return this.live(offeringKey(offering)) || this.live(offeringKey({ ...offering, zone: undefined }));
  }

  private live(key: string): boolean {
    const until = this.until.get(key);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.until.delete(key);
    return false;
  }
}

function offeringKey({ instanceType, capacityType, zone }: Offering): string {
  return `${capacityType}:${instanceType}:${zone ?? '*'}`;
}
