import * as z from 'zod';

/**
 * One entry of GetProducts' PriceList, as the AWS Pricing API sends it (a JSON string per
 * product): only the parts a price is read from. Everything else (the dozens of product
 * attributes, Reserved terms) passes through unread.
 *
 * @example
 * {"product":{"productFamily":"Compute Instance","attributes":{"instanceType":"m5.large",…},"sku":"…"},
 *  "serviceCode":"AmazonEC2","publicationDate":"2026-07-18T21:04:10Z",
 *  "terms":{"OnDemand":{"SKU.JRTCKXETXF":{"priceDimensions":{"SKU.JRTCKXETXF.6YS6EN2CT7":
 *   {"unit":"Hrs","pricePerUnit":{"USD":"0.0960000000"},…}},…}}}}
 */
const PriceListEntry = z.looseObject({
  product: z.looseObject({
    attributes: z.looseObject({ instanceType: z.string().min(1) }),
  }),
  terms: z.looseObject({
    OnDemand: z
      .record(
        z.string(),
        z.looseObject({
          priceDimensions: z.record(
            z.string(),
            z.looseObject({ unit: z.string().optional(), pricePerUnit: z.record(z.string(), z.string()) }),
          ),
        }),
      )
      .optional(),
  }),
  publicationDate: z.string().optional(),
});

/** What a run of GetProducts pages says: a price per instance type, and when the list was published. */
export interface ParsedPriceList {
  prices: Record<string, number>;
  /** The latest `publicationDate` among the entries, as `YYYY-MM-DD`; undefined when none says. */
  date?: string;
  /** Entries that were not JSON, named no instance type, or had no positive hourly price. */
  skipped: number;
}

/**
 * Reads on-demand hourly prices out of GetProducts' PriceList strings. An entry that is not JSON,
 * names no instance type or carries no positive hourly price in `currency` is skipped, as
 * Karpenter's pricing provider skips it: one odd product must not cost the whole table. When two
 * entries price one type (they should not, under the filters Skiff sends), the later one wins.
 */
export function parsePriceList(entries: readonly string[], currency = 'USD'): ParsedPriceList {
  const prices: Record<string, number> = {};
  let latest: string | undefined;
  let skipped = 0;
  for (const entry of entries) {
    const parsed = PriceListEntry.safeParse(parseJson(entry));
    const price = parsed.success ? hourlyPrice(parsed.data.terms.OnDemand ?? {}, currency) : undefined;
    if (!parsed.success || price === undefined) {
      skipped++;
      continue;
    }
    prices[parsed.data.product.attributes.instanceType] = price;
    const published = parsed.data.publicationDate;
    if (published !== undefined && (latest === undefined || published > latest)) latest = published;
  }
  const date = latest !== undefined && /^\d{4}-\d{2}-\d{2}/.test(latest) ? latest.slice(0, 10) : undefined;
  return { prices, ...(date === undefined ? {} : { date }), skipped };
}

type OnDemandTerms = NonNullable<z.infer<typeof PriceListEntry>['terms']['OnDemand']>;

/** The first positive per-hour price among the terms' dimensions. */
function hourlyPrice(terms: OnDemandTerms, currency: string): number | undefined {
  for (const term of Object.values(terms))
    for (const dimension of Object.values(term.priceDimensions)) {
      if (dimension.unit !== undefined && dimension.unit !== 'Hrs') continue;
      const price = Number(dimension.pricePerUnit[currency]);
      if (Number.isFinite(price) && price > 0) return price;
    }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
