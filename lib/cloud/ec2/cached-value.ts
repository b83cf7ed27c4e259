/**
 * A value loaded on demand and kept for a while: what the catalogue's slow reads share. Callers
 * that ask while a load is under way wait for that load rather than starting another. A failed
 * load is not kept: the next caller tries again.
 *
 * @example const types = new CachedValue(() => describeAllTypes(), 60 * 60_000); await types.get();
 */
export class CachedValue<T> {
  private value: { data: T; until: number } | undefined;
  private inFlight: Promise<T> | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<T> {
    if (this.value !== undefined && this.now() < this.value.until) return this.value.data;
    this.inFlight ??= this.load()
      .then((data) => {
        this.value = { data, until: this.now() + this.ttlMs };
        return data;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }
}
