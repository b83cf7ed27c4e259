import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { storedCatalogue } from '../../lib/cloud/instance-catalogue/stored-catalogue';
import type { DryRunConfig } from '../../lib/config/api-config';
import { dryRunPlan, type SchedulingPlan } from '../../lib/scheduling/runner/dry-run';
import type { ObjectStore } from '../../lib/store/object-store';

/**
 * The scheduler's dry run in the API function: the plan a round would apply now, over the
 * catalogue the schedule function last published in the object table (re-read at most once a
 * minute). The API function holds no EC2 or Pricing client: 503 until the first publish.
 */
export function storedCatalogueDryRun(
  store: ObjectStore,
  client: DynamoDBClient,
  tableName: string,
  config: DryRunConfig,
): () => Promise<SchedulingPlan> {
  const catalogue = storedCatalogue(client, tableName);
  return () => dryRunPlan(store, catalogue, config.zones, new Date());
}
