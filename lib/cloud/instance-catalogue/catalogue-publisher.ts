import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { InstanceType } from '../node-provider';
import { saveCatalogue } from './stored-catalogue';

/**
 * The longest the stored catalogue goes without a write while it does not change, so that its
 * `savedAt` tells a reader the scheduler is still publishing.
 */
export const CATALOGUE_REPUBLISH_MS = 5 * 60_000;

/** Publishes the scheduler's catalogue for the API's dry run (lib/cloud/instance-catalogue/stored-catalogue.ts). */
export interface CataloguePublisher {
  /**
   * Saves `types` unless this publisher saved the same types less than CATALOGUE_REPUBLISH_MS
   * ago; answers whether it wrote. The catalogue changes when spot prices are re-read (every
   * 5 min), when on-demand prices are, or when an offering is found sold out, so called on each
   * minute tick it writes at most once a minute, mostly once per 5: one PutItem of ~50 KB.
   */
  publish(types: readonly InstanceType[], now: Date): Promise<boolean>;
}

/**
 * A publisher that remembers, for its container's life, what it last wrote, so deciding needs no
 * read: a new container writes on its first call.
 */
export function cataloguePublisher(client: DynamoDBClient, tableName: string): CataloguePublisher {
  let last: { json: string; at: number } | undefined;
  return {
    async publish(types, now) {
      const json = JSON.stringify(types);
      if (last && last.json === json && now.getTime() - last.at < CATALOGUE_REPUBLISH_MS) return false;
      await saveCatalogue(client, tableName, types, now);
      last = { json, at: now.getTime() };
      return true;
    },
  };
}
