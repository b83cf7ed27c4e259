import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { CLUSTER_TAG } from '../../lib/cloud/node-provider';

/** The two calls that start instances: the EC2 adapter makes instant fleets, which run instances. */
export const LAUNCH_ACTIONS = ['ec2:CreateFleet', 'ec2:RunInstances'] as const;

/**
 * The reads the EC2 adapter and its price source make (lib/cloud/ec2, lib/cloud/instance-catalogue).
 * EC2 has no resource-level permissions for these.
 */
export const CAPACITY_READ_ACTIONS = [
  'ec2:DescribeInstances',
  'ec2:DescribeInstanceTypes',
  'ec2:DescribeLaunchTemplates',
  'ec2:DescribeSpotPriceHistory',
  'ec2:DescribeSubnets',
] as const;

/** The resources a launch creates: each must carry the cluster tag in the request that creates it. */
export const LAUNCHED_RESOURCE_TYPES = ['fleet', 'instance', 'network-interface', 'volume'] as const;

export interface LaunchScope {
  clusterName: string;
  /** The only launch template launches may use. */
  launchTemplateArn: string;
  /** The only security group launched instances may join (the template's). */
  securityGroupArn: string;
  /** The only role launched instances may take on (through the template's instance profile). */
  nodeRoleArn: string;
  /** The subnets launches may use. Default: any subnet of the account in the region (the default VPC's). */
  subnetIds?: readonly string[];
}

/**
 * The launch permissions of Karpenter's controller policy (its CloudFormation
 * `KarpenterControllerPolicy`), narrowed to one cluster and one launch template:
 * - CreateFleet and RunInstances may create fleets, instances, volumes and network interfaces
 *   only when the request tags them `skiff.dev/cluster` = the cluster's name, so nothing the
 *   scheduler launches can escape the cluster's terminate permission;
 * - they may use only this launch template, its security group, the given subnets, and public
 *   images and snapshots, none of which a launch changes;
 * - spot requests carry no such condition: a launch from a template shared by on-demand and spot
 *   cannot tag them (EC2 refuses spot-request tags on an on-demand launch), and one never comes
 *   alone: the instance it is for must carry the tag;
 * - CreateTags only as part of those launches (`ec2:CreateAction`), so existing resources can
 *   never be tagged into the cluster;
 * - PassRole only for the node role, only to EC2.
 */
export function launchStatements(scope: IConstruct, launch: LaunchScope): iam.PolicyStatement[] {
  const arn = ec2Arns(scope);
  const requestTagged = { [`aws:RequestTag/${CLUSTER_TAG}`]: launch.clusterName };
  const createdResources = LAUNCHED_RESOURCE_TYPES.map((type) => arn(type, '*'));
  const subnets = launch.subnetIds?.length
    ? launch.subnetIds.map((subnetId) => arn('subnet', subnetId))
    : [arn('subnet', '*')];
  return [
    new iam.PolicyStatement({
      sid: 'LaunchOnlyResourcesTaggedForTheCluster',
      actions: [...LAUNCH_ACTIONS],
      resources: createdResources,
      conditions: { StringEquals: requestTagged },
    }),
    new iam.PolicyStatement({
      sid: 'LaunchFromTheNodeTemplate',
      actions: [...LAUNCH_ACTIONS],
      resources: [
        launch.launchTemplateArn,
        launch.securityGroupArn,
        ...subnets,
        arn('spot-instances-request', '*'),
        arn('image', '*', ''),
        arn('snapshot', '*', ''),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'TagOnlyWhileLaunching',
      actions: ['ec2:CreateTags'],
      resources: createdResources,
      conditions: { StringEquals: { ...requestTagged, 'ec2:CreateAction': ['CreateFleet', 'RunInstances'] } },
    }),
    new iam.PolicyStatement({
      sid: 'PassOnlyTheNodeRoleToEC2',
      actions: ['iam:PassRole'],
      resources: [launch.nodeRoleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    }),
  ];
}

/** TerminateInstances only on instances tagged `skiff.dev/cluster` = this cluster's name. */
export function terminateStatement(scope: IConstruct, clusterName: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'TerminateOnlyTheClustersInstances',
    actions: ['ec2:TerminateInstances'],
    resources: [ec2Arns(scope)('instance', '*')],
    conditions: { StringEquals: { [`aws:ResourceTag/${CLUSTER_TAG}`]: clusterName } },
  });
}

/**
 * The catalogue, prices and instances: EC2's Describe calls in the stack's region, and the Pricing
 * API (served from a few regions only, so it is not held to the stack's).
 */
export function readStatements(): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'DescribeInTheRegion',
      actions: [...CAPACITY_READ_ACTIONS],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': Aws.REGION } },
    }),
    onDemandPricesStatement(),
  ];
}

function onDemandPricesStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'ReadOnDemandPrices',
    actions: ['pricing:GetProducts'],
    resources: ['*'],
  });
}

/** `arn:partition:ec2:region:account:type/id` in the stack's region and account (`account` '' for public images). */
function ec2Arns(scope: IConstruct) {
  const stack = Stack.of(scope);
  return (type: string, id: string, account?: string) =>
    stack.formatArn({ service: 'ec2', resource: type, resourceName: id, account });
}
