import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CATALOGUE_REPUBLISH_MS,
  cataloguePublisher,
} from '../../../lib/cloud/instance-catalogue/catalogue-publisher';
import { ON_DEMAND_PRICES_US_EAST_1 } from '../../../lib/cloud/instance-catalogue/on-demand-prices-us-east-1';
import {
  CATALOGUE_KEY,
  CatalogueNotPublishedError,
  STORED_CATALOGUE_TTL_MS,
  catalogueItem,
  loadCatalogue,
  saveCatalogue,
  storedCatalogue,
} from '../../../lib/cloud/instance-catalogue/stored-catalogue';
import type { InstanceType } from '../../../lib/cloud/node-provider';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { dynamoClient, dynamoEngines, uniqueTableName } from '../../support/dynamo-engines';
import { anInstanceType } from '../../support/instance-types';

/** DynamoDB's limit on one item: names and values together. */
const ITEM_LIMIT_BYTES = 400 * 1024;

const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f'];

/**
 * EC2's whole catalogue as the scheduler holds it in us-east-1: every type of the bundled price
 * table (1,340), both capacity types, a spot price in each of six zones. Sizes and prices vary
 * per type so that compression has no more repetition to use than the real catalogue offers.
 */
function fullCatalogue(): InstanceType[] {
  return Object.entries(ON_DEMAND_PRICES_US_EAST_1).map(([name, price], i) => ({
    name,
    vcpu: 2 ** (i % 8),
    memoryMiB: 1024 * ((i * 7919) % 3072),
    architectures: i % 3 === 0 ? ['arm64'] : ['x86_64'],
    gpus: i % 17 === 0 ? 4 : 0,
    currentGeneration: i % 5 !== 0,
    capacityTypes: ['on-demand', 'spot'],
    onDemandUsdPerHour: price,
    spotUsdPerHourByZone: Object.fromEntries(
      ZONES.map((zone, z) => [
        zone,
        Math.round(price * (0.25 + ((i * 31 + z * 97) % 500) / 1000) * 1e5) / 1e5,
      ]),
    ),
  }));
}

const m5Large = (spot: number): InstanceType =>
  anInstanceType({ spotUsdPerHourByZone: { 'us-east-1a': spot } });

describe.each(dynamoEngines())('The published instance catalogue on $name', (engine) => {
  const client = dynamoClient(engine.endpoint);
  const tableName = uniqueTableName('catalogue');
  const fresh = () => uniqueTableName('catalogue');

  beforeAll(() => createObjectTable(client, tableName));
  afterAll(() => client.destroy());

  describe('saveCatalogue and loadCatalogue', () => {
    it('answers nothing before the first save', async () => {
      const empty = fresh();
      await createObjectTable(client, empty);
      expect(await loadCatalogue(client, empty)).toBeUndefined();
    });

    it('reads back the 1,340 types of the full catalogue and when they were saved', async () => {
      const types = fullCatalogue();
      expect(types).toHaveLength(1340);
      const savedAt = new Date('2025-06-01T12:00:00.000Z');

      await saveCatalogue(client, tableName, types, savedAt);

      expect(await loadCatalogue(client, tableName)).toEqual({ types, savedAt });
    });

    it('holds the full catalogue in one item far under the 400 KB limit, which its plain JSON exceeds', async () => {
      const types = fullCatalogue();
      const item = await catalogueItem(types, new Date());
      const itemBytes = Object.entries(item).reduce(
        (sum, [name, value]) =>
          sum + name.length + (value.B?.length ?? value.S?.length ?? value.N?.length ?? 0),
        0,
      );
      expect(JSON.stringify(types).length).toBeGreaterThan(ITEM_LIMIT_BYTES);
      expect(itemBytes).toBeLessThan(ITEM_LIMIT_BYTES / 4);
      // As the engine stores it: one Binary attribute beside the key and the time.
      await saveCatalogue(client, tableName, types, new Date());
      const stored = await client.send(new GetItemCommand({ TableName: tableName, Key: CATALOGUE_KEY }));
      expect(Object.keys(stored.Item ?? {}).sort()).toEqual(['pk', 'savedAt', 'sk', 'types']);
      expect(stored.Item?.types?.B?.length).toBeLessThan(ITEM_LIMIT_BYTES / 4);
    });

    it('replaces the previous catalogue', async () => {
      const table = fresh();
      await createObjectTable(client, table);
      await saveCatalogue(client, table, [m5Large(0.03)], new Date(1_000));
      await saveCatalogue(client, table, [m5Large(0.04)], new Date(2_000));
      expect(await loadCatalogue(client, table)).toEqual({
        types: [m5Large(0.04)],
        savedAt: new Date(2_000),
      });
    });
  });

  describe('storedCatalogue, the dry run’s catalogue', () => {
    it('throws CatalogueNotPublishedError (503) until the first publish, then answers it', async () => {
      const table = fresh();
      await createObjectTable(client, table);
      const catalogue = storedCatalogue(client, table);

      const before = catalogue.catalogue();
      await expect(before).rejects.toBeInstanceOf(CatalogueNotPublishedError);
      await expect(before).rejects.toMatchObject({ retryAfterSeconds: 60 });
      await saveCatalogue(client, table, [m5Large(0.03)], new Date());

      // The refusal was not kept: the next call reads again.
      expect(await catalogue.catalogue()).toEqual([m5Large(0.03)]);
    });

    it('reuses what it read for a minute, then reads the newer publish', async () => {
      const table = fresh();
      await createObjectTable(client, table);
      let clock = 0;
      const catalogue = storedCatalogue(client, table, { now: () => clock });
      await saveCatalogue(client, table, [m5Large(0.03)], new Date());
      expect(await catalogue.catalogue()).toEqual([m5Large(0.03)]);

      await saveCatalogue(client, table, [m5Large(0.05)], new Date());
      clock = STORED_CATALOGUE_TTL_MS - 1;
      expect(await catalogue.catalogue()).toEqual([m5Large(0.03)]);
      clock = STORED_CATALOGUE_TTL_MS;
      expect(await catalogue.catalogue()).toEqual([m5Large(0.05)]);
    });
  });

  describe('cataloguePublisher, the schedule tick’s', () => {
    it('writes on its first call, when the catalogue changes, and every 5 minutes while it does not', async () => {
      const table = fresh();
      await createObjectTable(client, table);
      const publisher = cataloguePublisher(client, table);
      const at = (ms: number) => new Date(Date.UTC(2025, 5, 1) + ms);
      const savedAt = async () => (await loadCatalogue(client, table))?.savedAt;

      expect(await publisher.publish([m5Large(0.03)], at(0))).toBe(true);
      expect(await publisher.publish([m5Large(0.03)], at(60_000))).toBe(false);
      expect(await savedAt()).toEqual(at(0));

      expect(await publisher.publish([m5Large(0.04)], at(120_000))).toBe(true);
      expect(await loadCatalogue(client, table)).toEqual({ types: [m5Large(0.04)], savedAt: at(120_000) });

      expect(await publisher.publish([m5Large(0.04)], at(120_000 + CATALOGUE_REPUBLISH_MS - 1))).toBe(false);
      expect(await publisher.publish([m5Large(0.04)], at(120_000 + CATALOGUE_REPUBLISH_MS))).toBe(true);
      expect(await savedAt()).toEqual(at(120_000 + CATALOGUE_REPUBLISH_MS));
    });
  });
});
