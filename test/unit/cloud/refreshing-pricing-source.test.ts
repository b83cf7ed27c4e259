import type { PriceTable } from '../../../lib/cloud/instance-catalogue/price-table';
import {
  PRICE_RETRY_AFTER_FAILURE_MS,
  PRICE_TABLE_TTL_MS,
  RefreshingPricingSource,
} from '../../../lib/cloud/instance-catalogue/refreshing-pricing-source';

const bundled: PriceTable = {
  prices: { 'm5.large': 0.096, 'c5.large': 0.085 },
  date: '2026-07-20',
  source: 'bundled',
};

function anApiTable(prices: Record<string, number>, date = '2026-09-01'): PriceTable {
  return { prices, date, source: 'pricing-api' };
}

/** A source over a scripted origin (the fetch port) and a clock the test moves. */
function aSource(answers: Array<PriceTable | Error>) {
  const clock = { now: 0 };
  const logged: string[] = [];
  let calls = 0;
  const source = new RefreshingPricingSource({
    fallback: bundled,
    now: () => clock.now,
    log: (message) => logged.push(message),
    fetch: async () => {
      const answer = answers[Math.min(calls++, answers.length - 1)]!;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  });
  return { source, clock, logged, calls: () => calls };
}

describe('on-demand prices refreshed from the Pricing API', () => {
  it('answers the fetched table laid over the bundled one, dated by the price list', async () => {
    const { source } = aSource([anApiTable({ 'm5.large': 0.1, 'm8g.large': 0.09 })]);

    expect(await source.onDemandPrices()).toEqual({
      prices: { 'm5.large': 0.1, 'c5.large': 0.085, 'm8g.large': 0.09 },
      date: '2026-09-01',
      source: 'pricing-api',
    });
  });

  it('keeps a fetched table for 12 hours, then fetches again', async () => {
    const { source, clock, calls } = aSource([
      anApiTable({ 'm5.large': 0.1 }),
      anApiTable({ 'm5.large': 0.11 }, '2026-09-02'),
    ]);
    await source.onDemandPrices();
    clock.now = PRICE_TABLE_TTL_MS - 1;
    expect((await source.onDemandPrices()).prices['m5.large']).toBe(0.1);
    expect(calls()).toBe(1);

    clock.now = PRICE_TABLE_TTL_MS;
    expect(await source.onDemandPrices()).toMatchObject({ date: '2026-09-02', prices: { 'm5.large': 0.11 } });
    expect(calls()).toBe(2);
    expect(PRICE_TABLE_TTL_MS).toBe(12 * 3_600_000);
  });

  it('falls back to the bundled table when the API fails, logs once, and asks again an hour later', async () => {
    const { source, clock, logged, calls } = aSource([
      new Error('connect ECONNREFUSED'),
      new Error('connect ECONNREFUSED'),
      anApiTable({ 'm5.large': 0.1 }),
    ]);

    expect(await source.onDemandPrices()).toBe(bundled);
    clock.now = PRICE_RETRY_AFTER_FAILURE_MS - 1;
    expect(await source.onDemandPrices()).toBe(bundled);
    expect(calls()).toBe(1);
    clock.now = PRICE_RETRY_AFTER_FAILURE_MS;
    expect(await source.onDemandPrices()).toBe(bundled);
    expect(calls()).toBe(2);
    expect(logged).toEqual([
      'on-demand prices could not be refreshed; using the bundled table of 2026-07-20 until a refresh succeeds',
    ]);

    clock.now = 2 * PRICE_RETRY_AFTER_FAILURE_MS;
    expect((await source.onDemandPrices()).source).toBe('pricing-api');
  });

  it('keeps the last fetched table through a later failure, and logs the new run of failures once', async () => {
    const { source, clock, logged } = aSource([anApiTable({ 'm5.large': 0.1 }), new Error('AccessDenied')]);
    const fetched = await source.onDemandPrices();

    clock.now = PRICE_TABLE_TTL_MS;
    expect(await source.onDemandPrices()).toEqual(fetched);
    clock.now += PRICE_RETRY_AFTER_FAILURE_MS;
    expect(await source.onDemandPrices()).toEqual(fetched);
    expect(logged).toEqual([
      'on-demand prices could not be refreshed; using the pricing-api table of 2026-09-01 until a refresh succeeds',
    ]);
  });

  it('treats a price list naming no type as a failure, not as a table without prices', async () => {
    const { source, logged } = aSource([anApiTable({})]);

    expect(await source.onDemandPrices()).toBe(bundled);
    expect(logged).toHaveLength(1);
  });

  it('lets callers arriving together share one fetch', async () => {
    const { source, calls } = aSource([anApiTable({ 'm5.large': 0.1 })]);

    const tables = await Promise.all([
      source.onDemandPrices(),
      source.onDemandPrices(),
      source.onDemandPrices(),
    ]);

    expect(calls()).toBe(1);
    expect(new Set(tables).size).toBe(1);
  });
});
