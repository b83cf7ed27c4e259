/**
 * kube's EventSourceObjectSpamFilter: each (component, involved object) pair has a token bucket,
 * 25 Events in a burst and one more every 5 minutes, and Events beyond it are dropped. Scaling a
 * ReplicaSet to 1,000 pods thus records its first 25 SuccessfulCreate Events, not 1,000: Events
 * are for humans, and one write per pod for them would double the writes of a scale-up.
 */
export const EVENT_BURST = 25;
export const EVENT_REFILL_SECONDS = 300;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class EventSpamFilter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly burst = EVENT_BURST,
    private readonly refillSeconds = EVENT_REFILL_SECONDS,
  ) {}

  /** Takes a token for `source` at `now` (ms); false when the bucket is empty and the Event should be dropped. */
  allow(source: string, now: number): boolean {
    const bucket = this.buckets.get(source) ?? { tokens: this.burst, updatedAt: now };
    const refilled = Math.min(
      this.burst,
      bucket.tokens + (now - bucket.updatedAt) / (this.refillSeconds * 1000),
    );
    const allowed = refilled >= 1;
    this.buckets.set(source, { tokens: allowed ? refilled - 1 : refilled, updatedAt: now });
    return allowed;
  }
}
