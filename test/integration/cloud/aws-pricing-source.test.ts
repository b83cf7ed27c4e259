import { PricingClient } from '@aws-sdk/client-pricing';
import {
  awsPricingSource,
  fetchOnDemandPriceTable,
} from '../../../lib/cloud/instance-catalogue/aws-pricing-source';
import { BUNDLED_PRICE_TABLE } from '../../../lib/cloud/instance-catalogue/price-table';
import { PRICE_RETRY_AFTER_FAILURE_MS } from '../../../lib/cloud/instance-catalogue/refreshing-pricing-source';
import { freePort } from '../../support/engines/free-port';

/**
 * moto 5.2.5 does not implement the Pricing API (it has no `pricing` backend), so the real client is
 * pointed at a closed port on loopback: the fallback is what a Lambda without a route to the
 * Pricing endpoint, or without `pricing:GetProducts`, gets.
 */
describe('on-demand prices when the Pricing API cannot be reached', () => {
  let client: PricingClient;
  /** GetProducts calls the client made, counted at the SDK's first middleware step. */
  let requests = 0;
  beforeAll(async () => {
    const closedPort = await freePort();
    client = new PricingClient({
      endpoint: `http://127.0.0.1:${closedPort}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    client.middlewareStack.add(
      (next) => async (args) => {
        requests++;
        return next(args);
      },
      { step: 'initialize' },
    );
  });
  afterAll(() => client.destroy());

  it('fetching fails with the connection error', async () => {
    await expect(fetchOnDemandPriceTable(client, 'us-east-1')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('answers the bundled table with its date, logs once, and tries again only after the retry interval', async () => {
    const clock = { now: 0 };
    const logged: Array<{ message: string; error: unknown }> = [];
    const source = awsPricingSource({
      region: 'us-east-1',
      client,
      now: () => clock.now,
      log: (message, error) => logged.push({ message, error }),
    });

    const before = requests;
    const first = await source.onDemandPrices();
    const second = await source.onDemandPrices();
    expect(requests - before).toBe(1);
    clock.now = PRICE_RETRY_AFTER_FAILURE_MS;
    const third = await source.onDemandPrices();
    expect(requests - before).toBe(2);

    for (const table of [first, second, third]) expect(table).toBe(BUNDLED_PRICE_TABLE);
    expect(first).toMatchObject({ source: 'bundled', date: '2026-07-20' });
    expect(first.prices['m7i.large']).toBe(0.1008);
    expect(logged).toHaveLength(1);
    expect(logged[0]?.message).toBe(
      'on-demand prices could not be refreshed; using the bundled table of 2026-07-20 until a refresh succeeds',
    );
    expect(String(logged[0]?.error)).toMatch(/ECONNREFUSED/);
  });

  it('keeps the bundled table in a partition the Pricing API does not price, without asking it', async () => {
    const logged: string[] = [];
    const source = awsPricingSource({ region: 'cn-north-1', log: (message) => logged.push(message) });

    expect(await source.onDemandPrices()).toBe(BUNDLED_PRICE_TABLE);
    expect(logged).toEqual([]);
  });
});
