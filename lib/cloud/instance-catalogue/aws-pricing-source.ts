import {
  PricingClient,
  paginateGetProducts,
  type Filter,
  type GetProductsCommandInput,
} from '@aws-sdk/client-pricing';
import { parsePriceList } from './price-list';
import { BUNDLED_PRICE_TABLE, staticPricingSource, type PriceTable, type PricingSource } from './price-table';
import { RefreshingPricingSource, type RefreshingPricingSourceOptions } from './refreshing-pricing-source';

/**
 * The regions whose endpoint serves the AWS Pricing API (`api.pricing.<region>.amazonaws.com`).
 * Each answers for every commercial region: the region priced is a filter, not the endpoint.
 */
export const PRICING_ENDPOINT_REGIONS = ['us-east-1', 'eu-central-1', 'ap-south-1'] as const;

/**
 * The Pricing API endpoint nearest to an EC2 region, as Karpenter picks it: Europe asks
 * eu-central-1, Asia Pacific ap-south-1, the rest us-east-1. China and GovCloud are other
 * partitions this API does not price (undefined): their catalogue keeps the bundled table.
 */
export function pricingEndpointRegion(region: string): string | undefined {
  if (region.startsWith('cn-') || region.startsWith('us-gov-') || region.startsWith('us-iso'))
    return undefined;
  if (region.startsWith('eu-')) return 'eu-central-1';
  if (region.startsWith('ap-')) return 'ap-south-1';
  return 'us-east-1';
}

/**
 * The GetProducts queries for a region's Linux on-demand prices, Karpenter's two: instances on
 * shared tenancy, and bare-metal ones, which the Price List files under dedicated tenancy. Both
 * ask for no pre-installed software (`preInstalledSw NA`) and `capacitystatus Used` (the price of
 * a running instance, not of an unused reservation or an allocated Dedicated Host).
 */
export function onDemandPriceQueries(region: string): GetProductsCommandInput[] {
  const match = (Field: string, Value: string): Filter => ({ Type: 'TERM_MATCH', Field, Value });
  const common = [
    match('regionCode', region),
    match('serviceCode', 'AmazonEC2'),
    match('operatingSystem', 'Linux'),
    match('preInstalledSw', 'NA'),
    match('capacitystatus', 'Used'),
    match('marketoption', 'OnDemand'),
  ];
  return [
    [match('tenancy', 'Shared'), match('productFamily', 'Compute Instance')],
    [match('tenancy', 'Dedicated'), match('productFamily', 'Compute Instance (bare metal)')],
  ].map((extra) => ({ ServiceCode: 'AmazonEC2', Filters: [...common, ...extra], MaxResults: 100 }));
}

/**
 * Reads a region's on-demand price table from the Pricing API, every page of both queries. Its
 * date is the Price List's latest publication date, or today's when no entry says.
 */
export async function fetchOnDemandPriceTable(
  client: PricingClient,
  region: string,
  now: () => number = Date.now,
): Promise<PriceTable> {
  const entries: string[] = [];
  for (const query of onDemandPriceQueries(region))
    for await (const page of paginateGetProducts({ client }, query)) {
      // The SDK types PriceList loosely; on the wire it is an array of JSON strings.
      const list: unknown = page.PriceList;
      if (Array.isArray(list)) entries.push(...list.map(String));
    }
  const parsed = parsePriceList(entries);
  return {
    prices: parsed.prices,
    date: parsed.date ?? new Date(now()).toISOString().slice(0, 10),
    source: 'pricing-api',
  };
}

/**
 * A Pricing API client for an endpoint region, built so an unreachable endpoint (a private subnet
 * without a NAT or endpoint) fails in seconds rather than hanging a scheduler round. The endpoint
 * follows AWS_ENDPOINT_URL[_PRICING], which the SDK reads itself.
 */
export function pricingClientFor(endpointRegion: string): PricingClient {
  return new PricingClient({
    region: endpointRegion,
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 20_000 },
  });
}

export interface AwsPricingSourceOptions extends Omit<RefreshingPricingSourceOptions, 'fetch'> {
  /** The EC2 region whose prices are wanted (the Lambda's AWS_REGION). */
  region: string;
  /** A client for the Pricing endpoint; by default one for pricingEndpointRegion(region). */
  client?: PricingClient;
}

/**
 * On-demand prices from the AWS Pricing API for `region`, refreshed every 12 hours, falling back
 * to the bundled table (logged once) while the API cannot be reached or refuses (no
 * `pricing:GetProducts` permission). In a partition the API does not price, the bundled table.
 */
export function awsPricingSource(options: AwsPricingSourceOptions): PricingSource {
  const endpointRegion = pricingEndpointRegion(options.region);
  if (options.client === undefined && endpointRegion === undefined)
    return staticPricingSource(options.fallback ?? BUNDLED_PRICE_TABLE);
  const client = options.client ?? pricingClientFor(endpointRegion ?? 'us-east-1');
  const now = options.now ?? Date.now;
  return new RefreshingPricingSource({
    ...options,
    now,
    fetch: () => fetchOnDemandPriceTable(client, options.region, now),
  });
}
