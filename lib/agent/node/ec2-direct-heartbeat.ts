import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { InstanceMetadataClient } from '../ec2/instance-metadata';
import { instanceArn, TableNodeHeartbeats } from '../../store/node-heartbeats';
import type { DirectHeartbeat } from './node-registration';

/**
 * The renewal period of agents on AWS: three times the kubelet's 10 s, so a 10-node cluster's
 * heartbeats fit issue 11's $3 a month (docs/cost.md); their Lease lasts 120 s, four renewals.
 */
export const EC2_RENEW_SECONDS = 30;

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
 * The direct heartbeat of an agent on EC2: its heartbeat item keyed by its instance ARN, which is
 * what the node role's policy lets it write (`~heartbeat#${ec2:SourceInstanceARN}`), renewed with
 * the instance role's credentials. lib/agent/main.ts passes it to startAgent as `directHeartbeat`.
 */
export async function ec2DirectHeartbeat(options: Ec2DirectHeartbeatOptions): Promise<DirectHeartbeat> {
  const document = JSON.parse(await options.metadata.get('dynamic/instance-identity/document')) as {
    accountId: string;
    instanceId: string;
    region: string;
  };
  const client = new DynamoDBClient({ region: options.region, credentials: options.credentials });
  return {
    identity: instanceArn(document),
    heartbeats: new TableNodeHeartbeats({ client, tableName: options.tableName }),
    renewSeconds: options.renewSeconds ?? EC2_RENEW_SECONDS,
  };
}
