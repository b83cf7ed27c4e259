import { EC2Client } from '@aws-sdk/client-ec2';
import { Ec2NodeProvider } from '../../lib/cloud/ec2/ec2-node-provider';
import { awsPricingSource } from '../../lib/cloud/instance-catalogue/aws-pricing-source';
import type { PricingSource } from '../../lib/cloud/instance-catalogue/price-table';
import type { DryRunConfig } from '../../lib/config/api-config';
import { zonesOf } from '../../lib/config/scheduler-config';
import { dryRunPlan, type SchedulingPlan } from '../../lib/scheduling/runner/dry-run';
import type { ObjectStore } from '../../lib/store/object-store';

/**
 * The scheduler's dry run in the API function: the plan a round would apply now, over the same
 * EC2 catalogue and prices as the schedule function (its own cache, kept for the container's
 * life). The provider is used for its catalogue alone; the function is granted no EC2 call but
 * the catalogue's reads (infra/constructs/object-api.ts enableDryRun).
 */
export function ec2DryRun(
  store: ObjectStore,
  config: DryRunConfig,
  pricing: PricingSource = awsPricingSource({ region: config.region }),
): () => Promise<SchedulingPlan> {
  const provider = new Ec2NodeProvider(new EC2Client({}), {
    launchTemplate: { id: config.launchTemplateId },
    subnets: config.subnets,
    pricing,
  });
  const zones = zonesOf(config.subnets);
  return () => dryRunPlan(store, provider, zones, new Date());
}
