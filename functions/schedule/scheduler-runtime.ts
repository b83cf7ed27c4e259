import { randomUUID } from 'node:crypto';
import { EC2Client } from '@aws-sdk/client-ec2';
import { Ec2NodeProvider } from '../../lib/cloud/ec2/ec2-node-provider';
import { awsPricingSource } from '../../lib/cloud/instance-catalogue/aws-pricing-source';
import {
  cataloguePublisher,
  type CataloguePublisher,
} from '../../lib/cloud/instance-catalogue/catalogue-publisher';
import type { PricingSource } from '../../lib/cloud/instance-catalogue/price-table';
import type { Controller, ReconcileContext } from '../../lib/controllers/controller';
import { storeReconcileContext } from '../../lib/controllers/events/store-event-recorders';
import { nodeClaimController } from '../../lib/controllers/node-claim/node-claim-controller';
import { loadSchedulerConfig, zonesOf, type SchedulerConfig } from '../../lib/config/scheduler-config';
import type { SchedulerDeps } from '../../lib/scheduling/runner/scheduler-round';
import { DynamoSchedulerLease } from '../../lib/scheduling/runner/scheduler-lease';
import { TableChangeLog } from '../../lib/store/change-log/table-change-log';
import { functionDynamoClient } from '../../lib/store/dynamo-client-tuning';
import { DynamoObjectStore } from '../../lib/store/dynamo-object-store';

/**
 * What the schedule function runs with: the scheduler's dependencies (store, EC2 provider, lease)
 * and the NodeClaim controller, which runs here rather than in the reconcile function so that
 * only this function holds EC2 permissions.
 */
export interface SchedulerRuntime {
  config: SchedulerConfig;
  deps: SchedulerDeps;
  controllers: readonly Controller[];
  context: ReconcileContext;
  /** Where the tick publishes the provider's catalogue for the API's dry run. */
  catalogue: CataloguePublisher;
}

export interface SchedulerRuntimeOptions {
  /** The environment to configure from; process.env by default. */
  env?: Record<string, string | undefined>;
  /**
   * Where on-demand prices come from. By default the Pricing API for the function's region,
   * refreshed twice a day and falling back to the bundled table; tests inject a static table
   * (moto serves no Pricing API).
   */
  pricing?: PricingSource;
}

/** Built once per container (module scope), so clients and the provider's caches are reused. */
export function createSchedulerRuntime(options: SchedulerRuntimeOptions = {}): SchedulerRuntime {
  const config = loadSchedulerConfig(options.env);
  const dynamo = functionDynamoClient();
  const store = new DynamoObjectStore({
    client: dynamo,
    tableName: config.tableName,
    changes: new TableChangeLog({ client: dynamo, tableName: config.tableName }),
    // The scheduler and the claim controller never watch from a list's position.
    listsWithoutPosition: true,
  });
  const provider = new Ec2NodeProvider(new EC2Client({}), {
    launchTemplate: { id: config.launchTemplateId },
    subnets: config.subnets,
    pricing: options.pricing ?? awsPricingSource({ region: config.region }),
  });
  const context = storeReconcileContext(store);
  const zones = zonesOf(config.subnets);
  return {
    config,
    controllers: [
      nodeClaimController({
        provider,
        clusterName: config.clusterName,
        ...(zones.length > 0 ? { zones } : {}),
      }),
    ],
    context,
    catalogue: cataloguePublisher(dynamo, config.tableName),
    deps: {
      store,
      provider,
      lease: new DynamoSchedulerLease({
        client: dynamo,
        tableName: config.tableName,
        holder: `lambda-${randomUUID()}`,
      }),
      events: context.eventsFor?.('default-scheduler') ?? context.events,
      zones,
      now: () => new Date(),
    },
  };
}
