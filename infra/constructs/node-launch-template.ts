import { Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CLUSTER_TAG } from '../../lib/cloud/node-provider';
import { HEARTBEAT_PARTITION_PREFIX, HEARTBEAT_RENEW_ATTRIBUTE } from '../../lib/store/node-heartbeats';
import { POD_MARKER_CHANGES_ATTRIBUTE, POD_MARKER_PARTITION_PREFIX } from '../../lib/store/node-pod-markers';
import { TABLE } from '../../lib/store/table-schema';
import { NodeAgentBundle } from './node-agent-bundle';
import type { ObjectTable } from './object-table';
import { nodeUserData } from './node-user-data';

/** The root volume every node gets: encrypted gp3, gone with the instance (Karpenter's default size). */
export const NODE_ROOT_VOLUME = { deviceName: '/dev/xvda', sizeGiB: 20 } as const;

export interface NodeLaunchTemplateProps {
  /** Tags the network interfaces the template launches with `skiff.dev/cluster` (see below). */
  clusterName: string;
  /** The Skiff API's URL, which every node's agent registers with. */
  apiUrl: string;
  /** The object table, where each node renews its own heartbeat item (lib/store/node-heartbeats.ts). */
  table: ObjectTable;
  /** The VPC of the nodes' security group. Default: the account's default VPC. */
  vpcId?: string;
  /** Default: the latest Amazon Linux 2023 for arm64, from its public SSM parameter at deploy time. */
  machineImage?: ec2.IMachineImage;
}

/**
 * What every node starts from: the node role (SSM Session Manager instead of SSH), its instance
 * profile, a security group with no inbound rule, and a launch template that requires IMDSv2
 * with a hop limit of 1 (the node agent runs on the host, so no container can reach the
 * instance's credentials) on an encrypted gp3 root volume, and whose user data installs and
 * starts the node agent (node-user-data.ts). The role may read the agent's bundle and describe
 * tags, nothing more. The scheduler's launches name only the instance types and subnets;
 * everything else comes from here.
 *
 * The template is the L1 resource, not `ec2.LaunchTemplate`: the L2 cannot tag network
 * interfaces, and the launch permissions require the cluster tag on every interface a launch
 * creates. The launch request itself tags the instance, its volumes and the fleet.
 */
export class NodeLaunchTemplate extends Construct {
  readonly role: iam.Role;
  readonly instanceProfile: iam.InstanceProfile;
  readonly securityGroup: ec2.CfnSecurityGroup;
  readonly launchTemplate: ec2.CfnLaunchTemplate;
  readonly agentBundle: NodeAgentBundle;

  constructor(scope: Construct, id: string, props: NodeLaunchTemplateProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      description: 'Skiff nodes',
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    this.agentBundle = new NodeAgentBundle(this, 'AgentBundle');
    this.agentBundle.grantRead(this.role);
    // The agent reads its instance's tags (the NodeClaim's name) with DescribeTags: metadata tags
    // cannot be enabled while Skiff's tag keys hold a '/'. Describe calls take no resource-level
    // permission, so this is every tag in the region, as EKS's worker node policy allows.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeTagsOfItsInstance',
        actions: ['ec2:DescribeTags'],
        resources: ['*'],
      }),
    );
    this.grantOwnHeartbeat(props.table);
    this.instanceProfile = new iam.InstanceProfile(this, 'InstanceProfile', { role: this.role });
    // Without VpcId, CloudFormation makes the group in the default VPC. No ingress: nodes call out
    // (the API, SSM) and are reached through Session Manager.
    this.securityGroup = new ec2.CfnSecurityGroup(this, 'SecurityGroup', {
      groupDescription: 'Skiff nodes: no inbound traffic',
      vpcId: props.vpcId,
    });

    const image = (
      props.machineImage ?? ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 })
    ).getImage(this);
    const userData = nodeUserData(this, {
      agentBundle: this.agentBundle,
      apiUrl: props.apiUrl,
      tableName: props.table.tableName,
    });
    const clusterTag = [{ key: CLUSTER_TAG, value: props.clusterName }];
    this.launchTemplate = new ec2.CfnLaunchTemplate(this, 'LaunchTemplate', {
      launchTemplateData: {
        imageId: image.imageId,
        iamInstanceProfile: { arn: this.instanceProfile.instanceProfileArn },
        securityGroupIds: [this.securityGroup.attrGroupId],
        metadataOptions: {
          httpEndpoint: 'enabled',
          httpTokens: 'required',
          httpPutResponseHopLimit: 1,
          // Explicitly, as Karpenter does: an account default of `enabled` would make EC2 refuse
          // every launch, since Skiff's tag keys hold a '/' (lib/agent/ec2/instance-tags.ts).
          instanceMetadataTags: 'disabled',
        },
        blockDeviceMappings: [
          {
            deviceName: NODE_ROOT_VOLUME.deviceName,
            ebs: {
              volumeType: 'gp3',
              volumeSize: NODE_ROOT_VOLUME.sizeGiB,
              encrypted: true,
              deleteOnTermination: true,
            },
          },
        ],
        userData: Fn.base64(userData.render()),
        // Spot requests are not tagged here: EC2 refuses spot-request tags on an on-demand launch.
        tagSpecifications: [{ resourceType: 'network-interface', tags: clusterTag }],
      },
      tagSpecifications: [{ resourceType: 'launch-template', tags: clusterTag }],
    });
  }

  /**
   * Lets each node renew its own heartbeat, read the pod change markers, and nothing else: UpdateItem on the table, only on the
   * partition named by the instance it runs on (`ec2:SourceInstanceARN`, a policy variable present
   * in requests signed with an instance profile's credentials), only the key and the renewal
   * attribute, returning nothing. Everything else a node does goes through the API as the node.
   */
  private grantOwnHeartbeat(table: ObjectTable): void {
    table.encryptionKey?.grantEncryptDecrypt(this.role);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RenewItsOwnHeartbeat',
        actions: ['dynamodb:UpdateItem'],
        resources: [table.table.tableArn],
        conditions: {
          'ForAllValues:StringEquals': {
            'dynamodb:LeadingKeys': [`${HEARTBEAT_PARTITION_PREFIX}\${ec2:SourceInstanceARN}`],
            'dynamodb:Attributes': [TABLE.partitionKey, TABLE.sortKey, HEARTBEAT_RENEW_ATTRIBUTE],
          },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
        },
      }),
    );
    // The pod change markers the agent polls instead of holding a watch (docs/agent.md). Any
    // node's: IAM cannot tie a node name to the instance, and a count tells nothing of the pods.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadPodChangeMarkers',
        actions: ['dynamodb:GetItem'],
        resources: [table.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${POD_MARKER_PARTITION_PREFIX}*`] },
          'ForAllValues:StringEquals': {
            'dynamodb:Attributes': [TABLE.partitionKey, TABLE.sortKey, POD_MARKER_CHANGES_ATTRIBUTE],
          },
        },
      }),
    );
  }

  get launchTemplateId(): string {
    return this.launchTemplate.ref;
  }

  /** `arn:…:launch-template/lt-…`, for permissions scoped to this template. */
  get launchTemplateArn(): string {
    return Stack.of(this).formatArn({
      service: 'ec2',
      resource: 'launch-template',
      resourceName: this.launchTemplate.ref,
    });
  }

  /** `arn:…:security-group/sg-…`, for permissions scoped to this group. */
  get securityGroupArn(): string {
    return Stack.of(this).formatArn({
      service: 'ec2',
      resource: 'security-group',
      resourceName: this.securityGroup.attrGroupId,
    });
  }
}
