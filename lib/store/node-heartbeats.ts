import {
  ConditionalCheckFailedException,
  GetItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { TABLE } from './table-schema';

/**
 * A node's heartbeat outside the object model: one small item per node, which its agent renews
 * straight in the table with a plain conditional UpdateItem (1 write unit), so a renewal costs no
 * API request, no change-log record and no index copy, and wakes nothing: the item has none of the
 * index attributes (kindKey, nsName, nodeName, ...), so it is in no index, and no stream trigger's
 * filter lets it through. The node lifecycle controller reads it beside the node's Lease
 * (docs/agent.md, "Heartbeats"). Unlike a Lease renewal it moves no resourceVersion and reaches no
 * watch: a deliberate difference from kube, which only the lifecycle controller would notice.
 *
 * The key is the node's heartbeat identity: on EC2 its instance ARN, which the node role's policy
 * pins with `dynamodb:LeadingKeys` on `~heartbeat#${ec2:SourceInstanceARN}`, so a node can renew
 * its own heartbeat and nothing else.
 */
export interface NodeHeartbeats {
  /** Records that the node is alive at `at`. Idempotent, and never moves the time back. */
  renew(identity: string, at: Date): Promise<void>;
  /** When the node last renewed, or undefined if it never has. */
  lastRenewal(identity: string): Promise<Date | undefined>;
}

/** The heartbeat items' partition prefix: `~` sorts them apart from kinds' `<group>/<Kind>#` keys. */
export const HEARTBEAT_PARTITION_PREFIX = '~heartbeat#';
/** Their sort key (one item per partition). */
export const HEARTBEAT_SORT_KEY = '~';
/** The one attribute a renewal writes: epoch milliseconds. */
export const HEARTBEAT_RENEW_ATTRIBUTE = 'renewedAt';

/**
 * The Lease annotation naming the node's heartbeat identity, written by the agent when it creates
 * its Lease. The lifecycle controller reads the heartbeat only when the identity ends in the
 * node's instance id (providerID's last segment), so a node cannot borrow another's heartbeat.
 */
export const HEARTBEAT_ANNOTATION = 'skiff.dev/heartbeat';

/** The EC2 instance ARN a node's heartbeat is keyed by (what `ec2:SourceInstanceARN` holds). */
export function instanceArn(parts: { region: string; accountId: string; instanceId: string }): string {
  const partition = parts.region.startsWith('cn-')
    ? 'aws-cn'
    : parts.region.startsWith('us-gov-')
      ? 'aws-us-gov'
      : 'aws';
  return `arn:${partition}:ec2:${parts.region}:${parts.accountId}:instance/${parts.instanceId}`;
}

/**
 * Whether `identity` may speak for the node with `providerID`: both end in the same instance id
 * (`arn:...:instance/i-0abc` and `aws:///us-east-1a/i-0abc`; locally, the providerID itself).
 */
export function heartbeatBelongsTo(identity: string, providerID: string | undefined): boolean {
  const id = providerID?.split('/').pop();
  return id !== undefined && id !== '' && identity.split('/').pop() === id;
}

export class TableNodeHeartbeats implements NodeHeartbeats {
  constructor(private readonly options: { client: DynamoDBClient; tableName: string }) {}

  async renew(identity: string, at: Date): Promise<void> {
    try {
      await this.options.client.send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: keyOf(identity),
          UpdateExpression: 'SET #at = :at',
          ConditionExpression: 'attribute_not_exists(#at) OR #at < :at',
          ExpressionAttributeNames: { '#at': HEARTBEAT_RENEW_ATTRIBUTE },
          ExpressionAttributeValues: { ':at': { N: String(at.getTime()) } },
        }),
      );
    } catch (error) {
      // A later renewal is already there (a clock step, two agents racing): nothing to do.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async lastRenewal(identity: string): Promise<Date | undefined> {
    const { Item: item } = await this.options.client.send(
      new GetItemCommand({
        TableName: this.options.tableName,
        Key: keyOf(identity),
        // Eventually consistent (half a read unit): a renewal a second stale is still inside the grace.
        ConsistentRead: false,
        ProjectionExpression: '#at',
        ExpressionAttributeNames: { '#at': HEARTBEAT_RENEW_ATTRIBUTE },
      }),
    );
    const at = item?.[HEARTBEAT_RENEW_ATTRIBUTE]?.N;
    return at === undefined ? undefined : new Date(Number(at));
  }
}

function keyOf(identity: string) {
  return {
    [TABLE.partitionKey]: { S: `${HEARTBEAT_PARTITION_PREFIX}${identity}` },
    [TABLE.sortKey]: { S: HEARTBEAT_SORT_KEY },
  };
}
