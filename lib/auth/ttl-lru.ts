/**
 * A small least-recently-used map whose entries also expire at their own deadline. The token
 * verifier keeps a verified token until its presigned URL would expire, so a client reusing its
 * token (kubectl does, for up to 14 minutes) costs one STS call, not one per request.
 */
export class TtlLru<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly capacity: number,
    private readonly now: () => number,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (this.now() > entry.expiresAt) return undefined;
    // Re-inserting makes it the most recently used (Map keeps insertion order).
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, expiresAt: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
