import { BUNDLED_PRICE_TABLE, type PriceTable, type PricingSource } from './price-table';

/** Price lists move a few times a month; twice a day is fresh enough and costs a few dozen calls. */
export const PRICE_TABLE_TTL_MS = 12 * 60 * 60_000;

/** After a failed refresh, how long the table in hand is used before the origin is asked again. */
export const PRICE_RETRY_AFTER_FAILURE_MS = 60 * 60_000;

export interface RefreshingPricingSourceOptions {
  /** Reads a whole table from the origin (the AWS Pricing API); throws when it cannot. */
  fetch: () => Promise<PriceTable>;
  /** What is answered until a fetch succeeds; the bundled us-east-1 table by default. */
  fallback?: PriceTable;
  ttlMs?: number;
  retryAfterFailureMs?: number;
  now?: () => number;
  /** Where the first failure of a run of failures is reported (default console.warn). */
  log?: (message: string, error: unknown) => void;
}

/**
 * A PricingSource that refreshes from an origin and never fails: a fetched table is kept for
 * `ttlMs` (12 h); a failed or empty fetch answers the table in hand (the last fetched one, else
 * the fallback) and is retried after `retryAfterFailureMs` (1 h), so a Lambda without network
 * access to the Pricing API pays the failure once an hour, not once per scheduler round. A run of
 * failures is logged once, when it starts. Concurrent callers share one fetch.
 *
 * Fetched prices are laid over the table in hand, as Karpenter's pricing provider keeps prices it
 * already had: a type the Pricing API stops listing keeps its last known price.
 */
export class RefreshingPricingSource implements PricingSource {
  private current: PriceTable;
  private freshUntil = Number.NEGATIVE_INFINITY;
  private failing = false;
  private inFlight: Promise<PriceTable> | undefined;
  private readonly ttlMs: number;
  private readonly retryAfterFailureMs: number;
  private readonly now: () => number;
  private readonly log: (message: string, error: unknown) => void;

  constructor(private readonly options: RefreshingPricingSourceOptions) {
    this.current = options.fallback ?? BUNDLED_PRICE_TABLE;
    this.ttlMs = options.ttlMs ?? PRICE_TABLE_TTL_MS;
    this.retryAfterFailureMs = options.retryAfterFailureMs ?? PRICE_RETRY_AFTER_FAILURE_MS;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((message, error) => console.warn(message, error));
  }

  async onDemandPrices(): Promise<PriceTable> {
    if (this.now() < this.freshUntil) return this.current;
    this.inFlight ??= this.refresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async refresh(): Promise<PriceTable> {
    try {
      const fetched = await this.options.fetch();
      if (Object.keys(fetched.prices).length === 0) throw new Error('the price list named no instance type');
      this.current = { ...fetched, prices: { ...this.current.prices, ...fetched.prices } };
      this.freshUntil = this.now() + this.ttlMs;
      this.failing = false;
    } catch (error) {
      if (!this.failing)
        this.log(
          `on-demand prices could not be refreshed; using the ${this.current.source} table of ${this.current.date} until a refresh succeeds`,
          error,
        );
      this.failing = true;
      this.freshUntil = this.now() + this.retryAfterFailureMs;
    }
    return this.current;
  }
}
