import { randomUUID } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeInstancesCommand, RunInstancesCommand, type Instance } from '@aws-sdk/client-ec2';
import { staticPricingSource } from '../../../lib/cloud/instance-catalogue/price-table';
import { CLUSTER_TAG, NODECLAIM_TAG, NODEPOOL_TAG } from '../../../lib/cloud/node-provider';
import {
  SKIFF_CLUSTER_NAME,
  SKIFF_LAUNCH_TEMPLATE_ID,
  SKIFF_SUBNETS,
  SKIFF_TABLE_NAME,
} from '../../../lib/config/env-names';
import { subnetsVariable } from '../../../lib/config/scheduler-config';
import type { StreamRecord } from '../../../lib/controllers/stream-record';
import {
  collectOrphanInstances,
  ORPHAN_GRACE_SECONDS,
} from '../../../lib/controllers/node-claim/orphan-instances';
import { decodeObject } from '../../../lib/kinds/decode';
import type { KindInfo } from '../../../lib/kinds/kind-info';
import { NamespaceKind } from '../../../lib/kinds/namespace';
import { NodeClaimKind, type NodeClaim } from '../../../lib/kinds/node-claim';
import { NodePoolKind } from '../../../lib/kinds/node-pool';
import { PodKind } from '../../../lib/kinds/pod';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { keyOf } from '../../../lib/store/object-item';
import { scheduleOnRecords, scheduleOnTick } from '../../../functions/schedule/schedule-invocation';
import { createSchedulerRuntime, type SchedulerRuntime } from '../../../functions/schedule/scheduler-runtime';
import { aNamespace, aPod } from '../../support/builders';
import { dynamoClient, uniqueTableName } from '../../support/dynamo-engines';
import { engineEndpoint } from '../../support/engines/test-engines';
import { aPoolOf } from '../../unit/kinds/capacity-builders';
import { motoDefaultSubnets, motoEc2Client, motoLaunchTemplate } from '../../support/moto-ec2';

// moto serves both of the function's services: the object table (transactions) and EC2.
const endpoint = engineEndpoint('moto');
const describeOnMoto = endpoint === undefined ? describe.skip : describe;

/**
 * The schedule function's runtime as its module builds it on a cold start (configuration from the
 * environment, its own clients, the lease), against moto for DynamoDB and EC2, and the invocations
 * its handler makes for a stream batch and for the minute tick. Prices are the bundled table: moto
 * has no Pricing API. Built once: the catalogue's first read takes moto some seconds.
 *
 * The tests run in order over one cluster: a pending pod, its claim, the claim's instance, then the
 * tick's orphan collection beside that instance.
 */
describeOnMoto('the schedule function on moto server', () => {
  const ec2 = motoEc2Client(endpoint ?? '');
  const dynamo = dynamoClient(endpoint ?? '');
  const tableName = uniqueTableName('schedule-fn');
  const clusterName = `schedule-fn-${randomUUID().slice(0, 8)}`;
  const saved = { ...process.env };
  let runtime: SchedulerRuntime;
  let imageId: string;

  const create = (kind: KindInfo, manifest: unknown) =>
    runtime.deps.store.create(kind, decodeObject(kind, manifest).object);
  const claims = async () => (await runtime.deps.store.list(NodeClaimKind)).items as NodeClaim[];

  /** The record Lambda delivers for an object's latest write: its item as the stream's NewImage. */
  async function recordOf(
    kind: KindInfo,
    namespace: string | undefined,
    name: string,
  ): Promise<StreamRecord> {
    const Keys = keyOf(kind, namespace, name);
    const { Item } = await dynamo.send(new GetItemCommand({ TableName: tableName, Key: Keys }));
    if (Item === undefined) throw new Error(`${kind.kind} ${name} is not stored`);
    return {
      eventID: randomUUID(),
      eventName: 'INSERT',
      dynamodb: { Keys, NewImage: Item, SequenceNumber: '1', StreamViewType: 'NEW_AND_OLD_IMAGES' },
    };
  }

  /** Every instance tagged for the cluster, terminated ones included, by id. */
  async function clusterInstances(): Promise<Map<string, Instance>> {
    const answer = await ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: `tag:${CLUSTER_TAG}`, Values: [clusterName] }] }),
    );
    const instances = (answer.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    return new Map(instances.map((instance) => [instance.InstanceId!, instance]));
  }
  const tagsOf = (instance: Instance | undefined) =>
    Object.fromEntries((instance?.Tags ?? []).map((tag) => [tag.Key, tag.Value]));
  const stateOf = (instance: Instance | undefined) => instance?.State?.Name;

  beforeAll(async () => {
    const template = await motoLaunchTemplate(ec2);
    imageId = template.imageId;
    const subnets = await motoDefaultSubnets(ec2, ['us-east-1a', 'us-east-1b']);
    await createObjectTable(dynamo, tableName);

    // What the stack sets on the function (infra/constructs/capacity.ts), and what Lambda sets.
    Object.assign(process.env, {
      [SKIFF_TABLE_NAME]: tableName,
      [SKIFF_CLUSTER_NAME]: clusterName,
      [SKIFF_LAUNCH_TEMPLATE_ID]: template.launchTemplateId,
      [SKIFF_SUBNETS]: subnetsVariable(subnets),
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    runtime = createSchedulerRuntime({ pricing: staticPricingSource() });

    await create(NamespaceKind, aNamespace({ name: 'default' }));
    await create(NodePoolKind, aPoolOf('m5.large'));
  });

  afterAll(() => {
    process.env = saved;
    ec2.destroy();
    dynamo.destroy();
  });

  it("plans a pending pod's stream record into one NodeClaim, launching nothing yet", async () => {
    expect(runtime.config.subnets.map((s) => s.zone)).toEqual(['us-east-1a', 'us-east-1b']);
    await create(PodKind, {
      ...aPod({ name: 'web-1', requests: { cpu: '500m', memory: '256Mi' } }),
      status: { phase: 'Pending' },
    });

    const result = await scheduleOnRecords([await recordOf(PodKind, 'default', 'web-1')], runtime);

    expect(result.batchItemFailures).toEqual([]);
    expect(result.round.skipped).toBeUndefined();
    const [claim, ...others] = await claims();
    expect(others).toEqual([]);
    expect(claim.metadata.finalizers).toEqual(['karpenter.sh/termination']);
    expect(claim.spec).toMatchObject({
      nodePool: 'general',
      instanceType: 'm5.large',
      capacityType: 'on-demand',
    });
    expect(['us-east-1a', 'us-east-1b']).toContain(claim.spec.zone);
    // The claim controller launches on the claim's own record, not the pod's.
    expect([...(await clusterInstances()).values()]).toEqual([]);
  });

  it("launches exactly one instance for the claim's record, tagged with cluster, pool and claim", async () => {
    const [planned] = await claims();

    const result = await scheduleOnRecords(
      [await recordOf(NodeClaimKind, undefined, planned.metadata.name ?? '')],
      runtime,
    );

    expect(result.batchItemFailures).toEqual([]);
    const instances = [...(await clusterInstances()).values()];
    expect(instances).toHaveLength(1);
    const [instance] = instances;
    expect(stateOf(instance)).toBe('running');
    expect(instance.InstanceType).toBe('m5.large');
    expect(instance.Placement?.AvailabilityZone).toBe(planned.spec.zone);
    expect(tagsOf(instance)).toMatchObject({
      [CLUSTER_TAG]: clusterName,
      [NODEPOOL_TAG]: 'general',
      [NODECLAIM_TAG]: planned.metadata.uid,
    });
    // The round of the same invocation counts the claim in flight: the pod waits for it, no second claim.
    const [claim, ...others] = await claims();
    expect(others).toEqual([]);
    expect(claim.status.providerID).toBe(`aws:///${planned.spec.zone}/${instance.InstanceId}`);
    expect(claim.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Launched', status: 'True' }),
    );
  });

  it('the tick ends an instance tagged for a claim that does not exist once past the grace, and no other', async () => {
    const launch = async (tags: Record<string, string>) => {
      const answer = await ec2.send(
        new RunInstancesCommand({
          ImageId: imageId,
          InstanceType: 't3.micro',
          MinCount: 1,
          MaxCount: 1,
          TagSpecifications: [
            { ResourceType: 'instance', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
          ],
        }),
      );
      return answer.Instances![0].InstanceId!;
    };
    // A claim deleted while its launch was in flight leaves such an instance; one without a claim tag was made by hand.
    const orphan = await launch({ [CLUSTER_TAG]: clusterName, [NODECLAIM_TAG]: randomUUID() });
    const handMade = await launch({ [CLUSTER_TAG]: clusterName });
    const [owned] = [...(await clusterInstances()).keys()].filter((id) => id !== orphan && id !== handMade);
    const tick = (now: Date) =>
      scheduleOnTick(runtime, () =>
        collectOrphanInstances(runtime.deps.store, runtime.deps.provider, runtime.config.clusterName, now),
      );

    // moto stamps launch times with the wall clock: the tick's clock is moved instead of the instance's age.
    await tick(new Date());
    expect(stateOf((await clusterInstances()).get(orphan))).toBe('running');

    await tick(new Date(Date.now() + (ORPHAN_GRACE_SECONDS + 1) * 1000));
    const after = await clusterInstances();
    expect(['shutting-down', 'terminated']).toContain(stateOf(after.get(orphan)));
    expect(stateOf(after.get(handMade))).toBe('running');
    expect(stateOf(after.get(owned))).toBe('running');
    expect(await claims()).toHaveLength(1);
  });
});
