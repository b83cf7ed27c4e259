import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { CLUSTER_TAG, NODECLAIM_TAG } from '../../lib/cloud/node-provider';
import { subnetsVariable } from '../../lib/config/scheduler-config';
import { decodeObject } from '../../lib/kinds/decode';
import type { KindInfo } from '../../lib/kinds/kind-info';
import { NamespaceKind } from '../../lib/kinds/namespace';
import { NodeClaimKind, type NodeClaim } from '../../lib/kinds/node-claim';
import { NodePoolKind } from '../../lib/kinds/node-pool';
import { PodKind } from '../../lib/kinds/pod';
import { TableChangeLog } from '../../lib/store/change-log/table-change-log';
import { createObjectTable } from '../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../lib/store/dynamo-object-store';
import { aNamespace, aPod } from '../support/builders';
import { dynamoClient, uniqueTableName } from '../support/dynamo-engines';
import { engineEndpoint } from '../support/engines/test-engines';
import { motoDefaultSubnets, motoEc2Client, motoLaunchTemplate } from '../support/moto-ec2';
import { aPoolOf } from '../unit/kinds/capacity-builders';
import { scheduledEvent } from './lambda-events';
import { invokeShipped, synthesizeShippedStack, type ShippedStack } from './shipped-bundles';

const endpoint = engineEndpoint('dynamodb-local');
const motoEndpoint = engineEndpoint('moto');
const describeWithEngines = endpoint && motoEndpoint ? describe : describe.skip;

/**
 * The schedule function's bundle as `cdk synth` ships it (see shipped-bundles.ts), woken by its
 * minute rule's EventBridge event: the object table on DynamoDB Local, EC2 on moto (which has no
 * Pricing API, so the bundle falls back to its bundled price table as it would in a partition
 * without one). Two ticks in one container: the first plans a NodeClaim for a pending pod, the
 * second's claim resync launches its instance.
 */
describeWithEngines('The shipped schedule bundle', () => {
  const dynamo = dynamoClient(endpoint ?? '');
  const ec2 = motoEc2Client(motoEndpoint ?? '');
  const tableName = uniqueTableName('bundle-smoke-schedule');
  const clusterName = `smoke-${randomUUID().slice(0, 8)}`;
  const store = new DynamoObjectStore({
    client: dynamo,
    tableName,
    changes: new TableChangeLog({ client: dynamo, tableName }),
  });
  let shipped: ShippedStack;
  let workDir: string;
  let env: Record<string, string>;

  const create = (kind: KindInfo, manifest: unknown) =>
    store.create(kind, decodeObject(kind, manifest).object);

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'skiff-bundle-smoke-capacity-'));
    shipped = synthesizeShippedStack();
    await createObjectTable(dynamo, tableName);
    const template = await motoLaunchTemplate(ec2);
    const subnets = await motoDefaultSubnets(ec2, ['us-east-1a']);
    // What infra/constructs/capacity.ts sets on the function, and the engines' endpoints.
    env = {
      SKIFF_TABLE_NAME: tableName,
      SKIFF_CLUSTER_NAME: clusterName,
      SKIFF_LAUNCH_TEMPLATE_ID: template.launchTemplateId,
      SKIFF_SUBNETS: subnetsVariable(subnets),
      AWS_ENDPOINT_URL_DYNAMODB: endpoint ?? '',
      AWS_ENDPOINT_URL_EC2: motoEndpoint ?? '',
      AWS_ENDPOINT_URL_PRICING: motoEndpoint ?? '',
    };
    await create(NamespaceKind, aNamespace({ name: 'default' }));
    await create(NodePoolKind, aPoolOf('m5.large'));
    await create(PodKind, {
      ...aPod({ name: 'web-1', requests: { cpu: '500m', memory: '256Mi' } }),
      status: { phase: 'Pending' },
    });
  }, 180_000);

  afterAll(() => {
    shipped?.remove();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
    dynamo.destroy();
    ec2.destroy();
  });

  it('plans a NodeClaim for the pending pod on one tick and launches its instance on the next', async () => {
    const schedule = shipped.function('Capacity/ScheduleFunction');
    invokeShipped(schedule, [scheduledEvent(), scheduledEvent()], env, workDir);

    const claims = (await store.list(NodeClaimKind)).items as NodeClaim[];
    expect(claims).toHaveLength(1);
    expect(claims[0].spec).toMatchObject({ instanceType: 'm5.large', capacityType: 'on-demand' });

    const answer = await ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: `tag:${CLUSTER_TAG}`, Values: [clusterName] }] }),
    );
    const instances = (answer.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
    expect(instances).toHaveLength(1);
    expect(instances[0].InstanceType).toBe('m5.large');
    const tags = Object.fromEntries((instances[0].Tags ?? []).map((tag) => [tag.Key, tag.Value]));
    expect(tags[NODECLAIM_TAG]).toBe(claims[0].metadata.uid);
    expect(claims[0].status.instanceId).toBe(instances[0].InstanceId);
  }, 120_000);
});
