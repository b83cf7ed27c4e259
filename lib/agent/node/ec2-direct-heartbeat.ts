import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { InstanceMetadataClient } from '../ec2/instance-metadata';
import { instanceArn, TableNodeHeartbeats } from '../../store/node-heartbeats';
import { TableNodePodMarkers } from '../../store/node-pod-markers';
import type { PodChangeSignal } from '../pod-follower';
import type { DirectHeartbeat } from './node-registration';

/**
 * The renewal period of agents on AWS: three times the kubelet's 10 s, so a 10-node cluster's
 * heartbeats fit issue 11's $3 a month (docs/cost.md); their Lease lasts 120 s, four renewals.
 */
export const EC2_RENEW_SECONDS = 30;

/**
 * How often agents on AWS post an unchanged Node status: twice kube's default
 * nodeStatusReportFrequency (5 minutes; the kubelet lets it be set). The heartbeat item, not the
 * status, keeps the node Ready; each post is a 3 KB Node write through the change log that wakes
 * the controllers and the scheduler, and halving them pays for the agents' pod change polls
 * within issue 11's $3 a month for 10 nodes (docs/cost.md).
 */
export const EC2_STATUS_REPORT_MS = 10 * 60_000;

export interface Ec2DirectHeartbeatOptions {
  /** The object table (SKIFF_TABLE_NAME in the agent's environment, set by the launch template). */
  tableName: string;
  region: string;
  credentials: AwsCredentialIdentityProvider;
  /** Reads the instance identity document (account and instance id) for the instance's ARN. */
  metadata: Pick<InstanceMetadataClient, 'get'>;
  renewSeconds?: number;
}

/**
 * How often agents on AWS read their pod change marker: a pod bound to the node starts at most
 * this much later than with a watch. Ten nodes polling cost $0.81 a month (docs/cost.md).
 */
export const EC2_POD_POLL_MS = 2_000;
/** How often they list their pods whatever the marker says (a count lost for good). */
export const EC2_POD_RELIST_MS = 30 * 60_000;

/** What an agent on EC2 does straight in the table with its instance role. */
export interface Ec2TableAccess {
  heartbeat: DirectHeartbeat;
  podChanges: PodChangeSignal;
}

/**
 * The direct heartbeat of an agent on EC2: its heartbeat item keyed by its instance ARN, which is
 * what the node role's policy lets it write (`~heartbeat#${ec2:SourceInstanceARN}`), renewed with
 * the instance role's credentials; and its pod change signal, the node's marker item
 * (lib/store/node-pod-markers.ts), which the role may read. lib/agent/main.ts passes them to
 * startAgent as `directHeartbeat` and `podChanges`.
 */
export async function ec2TableAccess(options: Ec2DirectHeartbeatOptions): Promise<Ec2TableAccess> {
  const document = JSON.parse(await options.metadata.get('dynamic/instance-identity/document')) as {
    accountId: string;
    instanceId: string;
    region: string;
  };
  const client = new DynamoDBClient({ region: options.region, credentials: options.credentials });
  const markers = new TableNodePodMarkers({ client, tableName: options.tableName });
  return {
    heartbeat: {
      identity: instanceArn(document),
      heartbeats: new TableNodeHeartbeats({ client, tableName: options.tableName }),
      renewSeconds: options.renewSeconds ?? EC2_RENEW_SECONDS,
      statusReportMs: EC2_STATUS_REPORT_MS,
    },
    podChanges: {
      read: (nodeName) => markers.read(nodeName),
      pollMs: EC2_POD_POLL_MS,
      relistMs: EC2_POD_RELIST_MS,
    },
  };
}
