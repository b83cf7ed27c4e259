import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { ServiceUnavailableError } from '../../api/errors';
import type { Item } from '../../store/object-item';
import { TABLE } from '../../store/table-schema';
import { CachedValue } from '../ec2/cached-value';
import type { InstanceType, NodeProvider } from '../node-provider';

/**
 * The instance catalogue as the schedule function publishes it in the object table, so that the
 * API's dry run plans over the scheduler's own catalogue without an EC2 or Pricing client of its
 * own (they would double the API function's bundle). One item under the `~` prefix of the log
 * machinery (lib/store/change-log/log-item.ts): no object key starts with `~`, so no index or
 * reconciler stream filter sees it. The types are gzip-compressed JSON in a Binary attribute:
 * EC2's ~1,340 types with six zones' spot prices are some 430 KB of JSON, over DynamoDB's 400 KB
 * item limit, and about 50 KB compressed.
 */
export const CATALOGUE_KEY: Item = {
  [TABLE.partitionKey]: { S: '~catalogue' },
  [TABLE.sortKey]: { S: 'catalogue' },
};

const ATTRIBUTES = {
  /** The InstanceType[] as gzip-compressed JSON (B). */
  types: 'types',
  /** When the schedule function read the catalogue it saved (N, ms since the epoch). */
  savedAt: 'savedAt',
} as const;

/** How long the dry run reuses the catalogue it read: the publisher's tick is a minute too. */
export const STORED_CATALOGUE_TTL_MS = 60_000;

/** What the item holds, checked when read: the writer is another function, maybe of another version. */
const StoredInstanceTypes = z.array(
  z.object({
    name: z.string(),
    vcpu: z.number(),
    memoryMiB: z.number(),
    architectures: z.array(z.string()),
    gpus: z.number(),
    currentGeneration: z.boolean(),
    capacityTypes: z.array(z.enum(['on-demand', 'spot'])),
    onDemandUsdPerHour: z.number().optional(),
    spotUsdPerHourByZone: z.record(z.string(), z.number()),
  }),
) satisfies z.ZodType<InstanceType[]>;

/** A catalogue as stored: its types and when they were read. */
export interface SavedCatalogue {
  types: InstanceType[];
  savedAt: Date;
}

/** The dry run was asked for before the schedule function's first publish (503 until its next tick). */
export class CatalogueNotPublishedError extends ServiceUnavailableError {
  constructor() {
    super('the scheduler has not published its instance catalogue yet; it does on its minute tick', 60);
  }
}

/** The item saveCatalogue writes: exported so a test can hold its size to DynamoDB's 400 KB limit. */
export async function catalogueItem(types: readonly InstanceType[], now: Date): Promise<Item> {
  return {
    ...CATALOGUE_KEY,
    [ATTRIBUTES.types]: { B: await promisify(gzip)(JSON.stringify(types)) },
    [ATTRIBUTES.savedAt]: { N: String(now.getTime()) },
  };
}

/** Replaces the stored catalogue with `types`, read at `now`: one unconditional PutItem. */
export async function saveCatalogue(
  client: DynamoDBClient,
  tableName: string,
  types: readonly InstanceType[],
  now: Date,
): Promise<void> {
  await client.send(new PutItemCommand({ TableName: tableName, Item: await catalogueItem(types, now) }));
}

/** The stored catalogue, or undefined when none was saved yet. Throws when the item is not one saveCatalogue wrote. */
export async function loadCatalogue(
  client: DynamoDBClient,
  tableName: string,
): Promise<SavedCatalogue | undefined> {
  const { Item: item } = await client.send(new GetItemCommand({ TableName: tableName, Key: CATALOGUE_KEY }));
  if (!item) return undefined;
  const packed = item[ATTRIBUTES.types]?.B;
  const savedAt = Number(item[ATTRIBUTES.savedAt]?.N);
  if (!packed || !Number.isFinite(savedAt)) throw new Error('the stored instance catalogue is malformed');
  const json = (await promisify(gunzip)(packed)).toString('utf8');
  return { types: StoredInstanceTypes.parse(JSON.parse(json)), savedAt: new Date(savedAt) };
}

/**
 * The stored catalogue as a provider's catalogue, for the dry run: read at most once per
 * `ttlMs` (a minute by default, the publisher's tick). Until the first publish, catalogue()
 * throws CatalogueNotPublishedError (503), and that answer is not kept: the next call reads again.
 */
export function storedCatalogue(
  client: DynamoDBClient,
  tableName: string,
  options: { ttlMs?: number; now?: () => number } = {},
): Pick<NodeProvider, 'catalogue'> {
  const stored = new CachedValue(
    async () => {
      const saved = await loadCatalogue(client, tableName);
      if (!saved) throw new CatalogueNotPublishedError();
      return saved.types;
    },
    options.ttlMs ?? STORED_CATALOGUE_TTL_MS,
    options.now,
  );
  return { catalogue: () => stored.get() };
}
