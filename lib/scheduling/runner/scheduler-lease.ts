import {
  ConditionalCheckFailedException,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { Item } from '../../store/object-item';
import { TABLE } from '../../store/table-schema';

/**
 * The scheduler's lease: one scheduler plans and applies at a time, across Lambda containers and
 * processes (design decision 4). One item in the object table under the `~` prefix that the log
 * machinery uses (no object key starts with `~`, no index or stream filter sees it).
 *
 * Every acquisition bumps a fencing token. The runner confirms `(holder, fence)` before each step of
 * its apply and keeps the lease `durationMs` past each confirmation; another scheduler can take
 * over only once that has expired. So a scheduler that stalled past its lease (a frozen Lambda, a
 * long GC) finds its confirmation refused and drops its plan instead of applying it over a newer
 * scheduler's, provided each apply step takes less than the lease duration (a step is a handful of
 * writes with the SDK's own timeouts; the lease is 30 s).
 */
export interface SchedulerLease {
  /** Takes the lease if free, expired or already ours; answers the new fencing token, or undefined when another holds it. */
  acquire(): Promise<number | undefined>;
  /** Extends the lease if `fence` is still current and ours; false when it was lost. */
  confirm(fence: number): Promise<boolean>;
  /** Gives the lease up (if still ours) so the next round need not wait for expiry. */
  release(fence: number): Promise<void>;
}

export const SCHEDULER_LEASE_KEY: Item = {
  [TABLE.partitionKey]: { S: '~lease' },
  [TABLE.sortKey]: { S: 'scheduler' },
};

/** Long enough for any one apply step, short enough that a crashed scheduler is replaced within a round or two. */
export const DEFAULT_LEASE_MS = 30_000;

export interface DynamoSchedulerLeaseOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Who we are: unique per process (a random id). */
  holder: string;
  durationMs?: number;
  now?: () => number;
}

export class DynamoSchedulerLease implements SchedulerLease {
  private readonly durationMs: number;
  private readonly now: () => number;

  constructor(private readonly options: DynamoSchedulerLeaseOptions) {
    this.durationMs = options.durationMs ?? DEFAULT_LEASE_MS;
    this.now = options.now ?? Date.now;
  }

  async acquire(): Promise<number | undefined> {
    const now = this.now();
    try {
      const result = await this.options.client.send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: SCHEDULER_LEASE_KEY,
          UpdateExpression: 'SET holder = :holder, leaseUntil = :until ADD fence :one',
          ConditionExpression: 'attribute_not_exists(#pk) OR leaseUntil < :now OR holder = :holder',
          ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
          ExpressionAttributeValues: {
            ':holder': { S: this.options.holder },
            ':until': { N: String(now + this.durationMs) },
            ':now': { N: String(now) },
            ':one': { N: '1' },
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Number(result.Attributes?.fence?.N);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async confirm(fence: number): Promise<boolean> {
    try {
      await this.extend(fence, this.now() + this.durationMs);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async release(fence: number): Promise<void> {
    try {
      await this.extend(fence, 0);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async extend(fence: number, until: number): Promise<void> {
    await this.options.client.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: SCHEDULER_LEASE_KEY,
        UpdateExpression: 'SET leaseUntil = :until',
        ConditionExpression: 'holder = :holder AND fence = :fence AND leaseUntil >= :now',
        ExpressionAttributeValues: {
          ':holder': { S: this.options.holder },
          ':fence': { N: String(fence) },
          ':until': { N: String(until) },
          ':now': { N: String(this.now()) },
        },
      }),
    );
  }
}

/** Thrown by an apply step whose lease was lost: the plan is dropped, the next holder replans. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(fence: number) {
    super(`the scheduler lease (fence ${fence}) was taken over; dropping this plan`);
  }
}
