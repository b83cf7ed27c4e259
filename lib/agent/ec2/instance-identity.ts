import { EC2Client } from '@aws-sdk/client-ec2';
import { CLUSTER_TAG, NODEPOOL_TAG } from '../../cloud/node-provider';
import { providerIdOf } from '../../controllers/node-claim/launched-instance';
import type { NodeIdentity } from '../node-identity';
import { InstanceMetadataClient } from './instance-metadata';
import { instanceRoleCredentials, type InstanceRoleCredentials } from './instance-role-credentials';
import { describeInstanceTags } from './instance-tags';

/** The tag the scheduler sets to the NodeClaim's name (lib/cloud/ec2/ec2-node-provider.ts). */
export const NODE_NAME_TAG = 'Name';

/** An instance that cannot say which node it is: what is missing, and on which instance. */
export class InstanceIdentityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstanceIdentityError';
  }
}

/** What an instance knows of itself: its metadata and its tags. */
export interface InstanceFacts {
  instanceId: string;
  zone: string;
  instanceType: string;
  /** IMDS `instance-life-cycle`: `spot`, `on-demand` (or `scheduled`, `capacity-block`, ...). */
  lifecycle: string | undefined;
  localIpv4: string;
  localHostname: string;
  tags: Readonly<Record<string, string>>;
  /** The CPU the agent runs on, as Node names it (`process.arch`). */
  arch: string;
}

/**
 * The Node an instance registers as. Its name is the instance's `Name` tag, which the scheduler
 * sets to the NodeClaim's name, so the claim finds its Node; the providerID is the claim's.
 * The architecture is the agent's own, as the kubelet reports `runtime.GOARCH`.
 */
export function nodeIdentityOf(facts: InstanceFacts): NodeIdentity {
  const nodeName = facts.tags[NODE_NAME_TAG]?.trim();
  if (!nodeName) {
    throw new InstanceIdentityError(
      `instance ${facts.instanceId} has no ${NODE_NAME_TAG} tag (its NodeClaim's name): ` +
        'only instances the Skiff scheduler launched can register as nodes',
    );
  }
  const nodePool = facts.tags[NODEPOOL_TAG];
  return {
    nodeName,
    providerID: providerIdOf({ instanceId: facts.instanceId, zone: facts.zone }),
    zone: facts.zone,
    instanceType: facts.instanceType,
    capacityType: facts.lifecycle === 'spot' ? 'spot' : 'on-demand',
    ...(nodePool === undefined || nodePool === '' ? {} : { nodePool }),
    internalIP: facts.localIpv4,
    hostname: facts.localHostname,
    architecture: kubernetesArchitecture(facts.arch, facts.instanceId),
  };
}

function kubernetesArchitecture(arch: string, instanceId: string): NodeIdentity['architecture'] {
  if (arch === 'x64') return 'amd64';
  if (arch === 'arm64') return 'arm64';
  throw new InstanceIdentityError(
    `instance ${instanceId}: the agent runs on ${arch}, neither amd64 nor arm64`,
  );
}

export interface ReadInstanceIdentityOptions {
  /** Default: a client of the endpoint the SDKs use (AWS_EC2_METADATA_SERVICE_ENDPOINT, else 169.254.169.254). */
  metadata?: InstanceMetadataClient;
  /** Default: a client in the instance's region with the instance role's credentials. */
  ec2?: EC2Client;
  /** Default: process.arch. */
  arch?: string;
}

/** What the agent learns of its instance at start: the Node it is, and what it authenticates with. */
export interface Ec2Instance {
  readonly identity: NodeIdentity;
  /** The instance's region (IMDS `placement/region`): where its STS tokens are signed for. */
  readonly region: string;
  /** The instance's `skiff.dev/cluster` tag, which the scheduler sets to the cluster's name. */
  readonly clusterName: string | undefined;
  /** The instance role's credentials, read from IMDS each call (the role's keys rotate). */
  readonly credentials: () => Promise<InstanceRoleCredentials>;
  /** The IMDSv2 client it was read with, for what else the agent reads of its instance. */
  readonly metadata: InstanceMetadataClient;
}

/**
 * Reads who this EC2 instance is: its id, zone, type, purchase option, private address and
 * hostname from IMDSv2, and its tags (the NodeClaim's name, the pool) with DescribeTags.
 * Throws InstanceMetadataError naming the metadata path that failed, or InstanceIdentityError
 * naming the missing tag.
 */
export async function readInstanceIdentity(options: ReadInstanceIdentityOptions = {}): Promise<NodeIdentity> {
  return (await readInstance(options)).identity;
}

/** readInstanceIdentity, with the region, cluster tag and role credentials the agent's API token needs. */
export async function readInstance(options: ReadInstanceIdentityOptions = {}): Promise<Ec2Instance> {
  const metadata = options.metadata ?? new InstanceMetadataClient();
  const item = async (path: string) => (await metadata.get(`meta-data/${path}`)).trim();
  const instanceId = await item('instance-id');
  const [zone, instanceType, localIpv4, localHostname, lifecycle, region] = await Promise.all([
    item('placement/availability-zone'),
    item('instance-type'),
    item('local-ipv4'),
    item('local-hostname'),
    metadata.getIfPresent('meta-data/instance-life-cycle').then((value) => value?.trim()),
    item('placement/region'),
  ]);
  const credentials = instanceRoleCredentials(metadata);
  const ec2 = options.ec2 ?? new EC2Client({ region, credentials });
  const tags = await describeInstanceTags(ec2, instanceId);
  const identity = nodeIdentityOf({
    instanceId,
    zone,
    instanceType,
    lifecycle,
    localIpv4,
    localHostname,
    tags,
    arch: options.arch ?? process.arch,
  });
  const clusterName = tags[CLUSTER_TAG]?.trim() || undefined;
  return { identity, region, clusterName, credentials, metadata };
}
