import type { InstanceType, NodeProvider } from '../../cloud/node-provider';

/** How long a catalogue read serves launches: types and prices change by the hour, not the second. */
export const CATALOGUE_TTL_SECONDS = 5 * 60;

/**
 * The provider's catalogue, read at most once per CATALOGUE_TTL_SECONDS of the reconcile clock:
 * EC2's takes several paged calls, and every launch needs it for its fallbacks. A failed read is
 * not kept, so the next launch asks again.
 */
export class CatalogueCache {
  private cached?: { types: Promise<InstanceType[]>; expires: number };

  constructor(
    private readonly provider: NodeProvider,
    private readonly ttlSeconds = CATALOGUE_TTL_SECONDS,
  ) {}

  get(now: Date): Promise<InstanceType[]> {
    if (this.cached !== undefined && now.getTime() < this.cached.expires) return this.cached.types;
    const types = this.provider.catalogue();
    const entry = { types, expires: now.getTime() + this.ttlSeconds * 1000 };
    this.cached = entry;
    types.catch(() => {
      if (this.cached === entry) this.cached = undefined;
    });
    return types;
  }
}
