import { ON_DEMAND_PRICES_DATE, ON_DEMAND_PRICES_US_EAST_1 } from './on-demand-prices-us-east-1';

/**
 * On-demand prices by instance type (USD per hour, Linux, shared tenancy) and the day they were
 * published: a plan's price is only as good as its table's date, so the two travel together.
 */
export interface PriceTable {
  prices: Readonly<Record<string, number>>;
  /** `YYYY-MM-DD`: when the Price List published these prices (or the table was generated). */
  date: string;
  /** Where the prices come from: the table bundled with Skiff, or the AWS Pricing API. */
  source: 'bundled' | 'pricing-api';
}

/**
 * Where the catalogue gets its on-demand prices. It always answers: a source that cannot reach its
 * origin answers the last table it had, or the bundled one, so the scheduler never stops for a
 * price list.
 */
export interface PricingSource {
  onDemandPrices(): Promise<PriceTable>;
}

/** The us-east-1 table bundled with Skiff (Karpenter's generated table), with its date. */
export const BUNDLED_PRICE_TABLE: PriceTable = {
  prices: ON_DEMAND_PRICES_US_EAST_1,
  date: ON_DEMAND_PRICES_DATE,
  source: 'bundled',
};

/** A source that always answers the same table: the bundled one by default, or one a test or region supplies. */
export function staticPricingSource(table: PriceTable = BUNDLED_PRICE_TABLE): PricingSource {
  return { onDemandPrices: async () => table };
}
