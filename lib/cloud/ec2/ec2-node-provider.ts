import {
  CreateFleetCommand,
  TerminateInstancesCommand,
  paginateDescribeInstanceTypes,
  paginateDescribeInstances,
  paginateDescribeSpotPriceHistory,
  type EC2Client,
  type Filter,
  type InstanceTypeInfo,
  type SpotPrice,
} from '@aws-sdk/client-ec2';
import { joinCatalogue } from '../instance-catalogue/join-catalogue';
import { staticPricingSource, type PriceTable, type PricingSource } from '../instance-catalogue/price-table';
import {
  CLUSTER_TAG,
  InsufficientCapacityError,
  NODECLAIM_TAG,
  NODEPOOL_TAG,
  type InstanceInfo,
  type InstanceType,
  type LaunchRequest,
  type LaunchResult,
  type NodeProvider,
} from '../node-provider';
import { withoutUnavailable } from './available-catalogue';
import { CachedValue } from './cached-value';
import { classifyFleetErrors, fleetClientToken, fleetOverride, selectFleetOfferings } from './fleet-request';
import { LISTED_STATES, SERVING_STATES, toInstanceInfo } from './instance-info';
import { UnavailableOfferings } from './unavailable-offerings';

/** The launch template every instance starts from (AMI, user data, security groups, profile). */
export type LaunchTemplateRef = { id: string; version?: string } | { name: string; version?: string };

/** A subnet the provider may launch into, with its zone. */
export interface Subnet {
  subnetId: string;
  zone: string;
}

export interface Ec2NodeProviderOptions {
  launchTemplate: LaunchTemplateRef;
  /**
   * Subnets by zone. An offering with a zone launches into that zone's subnet; without subnets
   * the zone alone is sent and EC2 picks the zone's default subnet.
   */
  subnets?: readonly Subnet[];
  /** Recently refused offerings; shared by the provider's launches, 3 minutes by default. */
  unavailable?: UnavailableOfferings;
  /**
   * Where on-demand prices come from: awsPricingSource (the Pricing API, falling back to the
   * bundled table) in a deployment; the bundled us-east-1 table alone by default.
   */
  pricing?: PricingSource;
  /** How long the catalogue's reads are reused; CATALOGUE_TTL by default. */
  catalogueTtl?: Partial<CatalogueTtl>;
  /** The clock the catalogue's caches read (milliseconds); injected by tests. */
  now?: () => number;
  /** DescribeInstances page size (5 to 1000); small only in tests, to cross pages. */
  pageSize?: number;
}

/** CreateFleet failed for a reason other than capacity (a bad template, permissions). */
export class FleetLaunchError extends Error {
  override readonly name = 'FleetLaunchError';
}

/** How long each of the catalogue's reads is reused, in milliseconds. */
export interface CatalogueTtl {
  /** DescribeInstanceTypes: what a type is changes only when AWS launches new types. */
  typesMs: number;
  /** DescribeSpotPriceHistory: spot prices move by the hour, and a plan should see the move. */
  spotPricesMs: number;
}

/**
 * One hour for the types and five minutes for spot prices: a scheduler round every few seconds
 * then pages DescribeInstanceTypes (15 calls) once an hour instead of every round.
 */
export const CATALOGUE_TTL: CatalogueTtl = { typesMs: 60 * 60_000, spotPricesMs: 5 * 60_000 };

/** TerminateInstances takes at most 1,000 ids per call. */
const TERMINATE_BATCH = 1000;

/**
 * The NodeProvider over EC2. Launch is one `instant` CreateFleet from the launch template with an
 * override per offering; list is DescribeInstances by the cluster tag; catalogue joins
 * DescribeInstanceTypes, the pricing source's on-demand prices and DescribeSpotPriceHistory, each
 * cached (CATALOGUE_TTL), and leaves out what UnavailableOfferings holds now. The client's
 * endpoint follows AWS_ENDPOINT_URL[_EC2], which the SDK reads itself (moto in tests).
 *
 * Launch is idempotent twice over: before launching, the provider looks for a serving instance
 * tagged with the claim uid (moto ignores ClientToken, and a retry may send other offerings);
 * and the ClientToken is derived from the claim uid and the offerings sent, which covers the
 * moment after a launch when EC2 does not list the new instance yet.
 */
export class Ec2NodeProvider implements NodeProvider {
  private readonly unavailable: UnavailableOfferings;
  private readonly subnetByZone: Map<string, string>;
  private readonly zoneBySubnet: Map<string, string>;
  private readonly pricing: PricingSource;
  private readonly instanceTypes: CachedValue<InstanceTypeInfo[]>;
  private readonly spotPrices: CachedValue<SpotPrice[]>;

  constructor(
    private readonly client: EC2Client,
    private readonly options: Ec2NodeProviderOptions,
  ) {
    this.unavailable = options.unavailable ?? new UnavailableOfferings();
    this.subnetByZone = new Map((options.subnets ?? []).map((s) => [s.zone, s.subnetId]));
    this.zoneBySubnet = new Map((options.subnets ?? []).map((s) => [s.subnetId, s.zone]));
    this.pricing = options.pricing ?? staticPricingSource();
    const ttl = { ...CATALOGUE_TTL, ...options.catalogueTtl };
    const now = options.now ?? Date.now;
    this.instanceTypes = new CachedValue(() => this.describeInstanceTypes(), ttl.typesMs, now);
    this.spotPrices = new CachedValue(() => this.describeSpotPrices(), ttl.spotPricesMs, now);
  }

  async launch(request: LaunchRequest): Promise<LaunchResult> {
    const existing = await this.describe(request.clusterName, [
      { Name: `tag:${NODECLAIM_TAG}`, Values: [request.claimUid] },
      { Name: 'instance-state-name', Values: [...SERVING_STATES] },
    ]);
    const found = existing.sort((a, b) => a.instanceId.localeCompare(b.instanceId))[0];
    if (found !== undefined) return launchResult(found);

    const selected = selectFleetOfferings(request.offerings, this.unavailable);
    if (selected === undefined) {
      const why = request.offerings.length > 0 ? 'each recently refused' : 'none offered';
      throw new InsufficientCapacityError(request.claimUid, request.offerings, why);
    }
    const tags = {
      ...request.tags,
      Name: request.claimName,
      [CLUSTER_TAG]: request.clusterName,
      [NODEPOOL_TAG]: request.poolName,
      [NODECLAIM_TAG]: request.claimUid,
    };
    const tagList = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    const template = this.options.launchTemplate;
    const answer = await this.client.send(
      new CreateFleetCommand({
        Type: 'instant',
        ClientToken: fleetClientToken(request.clusterName, request.claimUid, selected),
        TargetCapacitySpecification: {
          TotalTargetCapacity: 1,
          DefaultTargetCapacityType: selected.capacityType,
        },
        // On-demand honours the scheduler's cheapest-first order; spot weighs price against the
        // chance of interruption, as Karpenter does.
        OnDemandOptions: { AllocationStrategy: 'prioritized' },
        SpotOptions: { AllocationStrategy: 'price-capacity-optimized' },
        LaunchTemplateConfigs: [
          {
            LaunchTemplateSpecification: {
              ...('id' in template
                ? { LaunchTemplateId: template.id }
                : { LaunchTemplateName: template.name }),
              Version: template.version ?? '$Default',
            },
            Overrides: selected.offerings.map((offering, index) =>
              fleetOverride(offering, index, this.subnetByZone),
            ),
          },
        ],
        // The fleet too: the schedule function may create only resources tagged for the cluster
        // (infra/constructs/capacity-permissions.ts), the fleet of an instant launch included.
        TagSpecifications: [
          { ResourceType: 'instance', Tags: tagList },
          { ResourceType: 'volume', Tags: tagList },
          { ResourceType: 'fleet', Tags: tagList },
        ],
      }),
    );

    const launched = answer.Instances?.find((instance) => instance.InstanceIds?.length);
    const instanceId = launched?.InstanceIds?.[0];
    const errors = classifyFleetErrors(answer.Errors ?? [], selected.capacityType, this.zoneBySubnet);
    for (const offering of errors.unavailable) this.unavailable.mark(offering);
    if (launched === undefined || instanceId === undefined) {
      if (errors.faults.length > 0) {
        throw new FleetLaunchError(`CreateFleet for claim ${request.claimUid}: ${errors.faults.join('; ')}`);
      }
      throw new InsufficientCapacityError(
        request.claimUid,
        errors.unavailable.length > 0 ? errors.unavailable : selected.offerings,
      );
    }
    const override = launched.LaunchTemplateAndOverrides?.Overrides;
    const zone =
      (override?.SubnetId === undefined ? undefined : this.zoneBySubnet.get(override.SubnetId)) ??
      (await this.zoneOf(request.clusterName, instanceId)) ??
      override?.AvailabilityZone ??
      '';
    return {
      instanceId,
      instanceType: launched.InstanceType ?? override?.InstanceType ?? selected.offerings[0]!.instanceType,
      capacityType: launched.Lifecycle === 'spot' ? 'spot' : 'on-demand',
      zone,
    };
  }

  list(clusterName: string): Promise<InstanceInfo[]> {
    return this.describe(clusterName, [{ Name: 'instance-state-name', Values: [...LISTED_STATES] }]);
  }

  async terminate(instanceIds: readonly string[]): Promise<void> {
    for (let start = 0; start < instanceIds.length; start += TERMINATE_BATCH) {
      const batch = instanceIds.slice(start, start + TERMINATE_BATCH);
      try {
        await this.client.send(new TerminateInstancesCommand({ InstanceIds: batch }));
      } catch (error) {
        if (!isNotFound(error)) throw error;
        // One unknown id fails the whole call: terminate the others one by one.
        for (const instanceId of batch) {
          await this.client
            .send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }))
            .catch((single: unknown) => {
              if (!isNotFound(single)) throw single;
            });
        }
      }
    }
  }

  /**
   * Every type EC2 describes, priced, without the offerings recently refused for capacity. The
   * reads behind it are cached (types 1 h, spot prices 5 min, on-demand prices as the pricing
   * source keeps them); what is unavailable is applied on every call, so a refusal shows in the
   * next round's catalogue and a forgotten one comes back.
   */
  async catalogue(): Promise<InstanceType[]> {
    const [types, spotPrices, onDemand] = await Promise.all([
      this.instanceTypes.get(),
      this.spotPrices.get(),
      this.pricing.onDemandPrices(),
    ]);
    return withoutUnavailable(joinCatalogue(types, onDemand.prices, spotPrices), this.unavailable);
  }

  /** The on-demand price table the catalogue prices with now, and its date (what a plan's prices are as of). */
  onDemandPriceTable(): Promise<PriceTable> {
    return this.pricing.onDemandPrices();
  }

  private async describeInstanceTypes(): Promise<InstanceTypeInfo[]> {
    const types: InstanceTypeInfo[] = [];
    for await (const page of paginateDescribeInstanceTypes({ client: this.client }, { MaxResults: 100 }))
      types.push(...(page.InstanceTypes ?? []));
    return types;
  }

  private async describeSpotPrices(): Promise<SpotPrice[]> {
    const spotPrices: SpotPrice[] = [];
    for await (const page of paginateDescribeSpotPriceHistory(
      { client: this.client },
      // A start time of now asks for the price in force now, one entry per type and zone.
      { StartTime: new Date(), ProductDescriptions: ['Linux/UNIX', 'Linux/UNIX (Amazon VPC)'] },
    ))
      spotPrices.push(...(page.SpotPriceHistory ?? []));
    return spotPrices;
  }

  /** The live instances of the cluster matching more filters, every page. */
  private async describe(clusterName: string, filters: Filter[]): Promise<InstanceInfo[]> {
    const instances: InstanceInfo[] = [];
    const pages = paginateDescribeInstances(
      { client: this.client, pageSize: this.options.pageSize ?? 1000 },
      { Filters: [{ Name: `tag:${CLUSTER_TAG}`, Values: [clusterName] }, ...filters] },
    );
    for await (const page of pages)
      for (const reservation of page.Reservations ?? [])
        for (const instance of reservation.Instances ?? []) {
          const info = toInstanceInfo(instance);
          if (info !== undefined) instances.push(info);
        }
    return instances;
  }

  /**
   * The zone of a just-launched instance when the fleet's answer does not say it. EC2 may not
   * list an instance for a moment after launching it; the zone is then unknown (the Node's
   * registration reports it).
   */
  private async zoneOf(clusterName: string, instanceId: string): Promise<string | undefined> {
    const [instance] = await this.describe(clusterName, [{ Name: 'instance-id', Values: [instanceId] }]);
    return instance?.zone || undefined;
  }
}

function launchResult(instance: InstanceInfo): LaunchResult {
  const { instanceId, instanceType, capacityType, zone } = instance;
  return { instanceId, instanceType, capacityType, zone };
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === 'InvalidInstanceID.NotFound';
}
