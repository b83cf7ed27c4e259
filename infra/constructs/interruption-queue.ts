import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue';

/**
 * The events that warn a node will go away, as Karpenter's interruption queue receives them, each
 * narrowed to what the handler acts on (Karpenter drops the rest in code): the two-minute spot
 * warning, the earlier rebalance recommendation, an instance stopping or terminating, and EC2's
 * scheduled maintenance. EventBridge carries no instance tags, so every instance of the account
 * is reported; the handler ignores those no NodeClaim names.
 */
export const INTERRUPTION_EVENTS = {
  SpotInterruption: { source: ['aws.ec2'], detailType: ['EC2 Spot Instance Interruption Warning'] },
  Rebalance: { source: ['aws.ec2'], detailType: ['EC2 Instance Rebalance Recommendation'] },
  StateChange: {
    source: ['aws.ec2'],
    detailType: ['EC2 Instance State-change Notification'],
    detail: { state: ['stopping', 'stopped', 'shutting-down', 'terminated'] },
  },
  ScheduledChange: {
    source: ['aws.health'],
    detailType: ['AWS Health Event'],
    detail: { service: ['EC2'], eventTypeCategory: ['scheduledChange'] },
  },
} satisfies Record<string, events.EventPattern>;

/** Karpenter's retention: a warning older than five minutes is about an instance already gone. */
export const INTERRUPTION_RETENTION = Duration.minutes(5);

/**
 * Receives of one message before it is parked. Few, so that with the visibility timeout a message
 * that keeps failing reaches the dead-letter queue (and its alarm) before it expires.
 */
export const INTERRUPTION_MAX_RECEIVE_COUNT = 3;

export interface InterruptionQueueProps {
  /** The consumer's timeout: a received message stays hidden six times as long (Lambda's advice). */
  consumerTimeout: Duration;
}

/** The SQS queue the interruption events land in, one EventBridge rule per kind of event. */
export class InterruptionQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetters: DeadLetterQueue;
  readonly rules: events.Rule[];

  constructor(scope: Construct, id: string, props: InterruptionQueueProps) {
    super(scope, id);
    const visibilityTimeout = Duration.seconds(6 * props.consumerTimeout.toSeconds());
    if (INTERRUPTION_MAX_RECEIVE_COUNT * visibilityTimeout.toSeconds() >= INTERRUPTION_RETENTION.toSeconds())
      throw new Error(
        `a consumer timeout of ${props.consumerTimeout.toHumanString()} lets failing messages expire unseen`,
      );
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      description: 'Interruption events the handler kept failing on',
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      retentionPeriod: INTERRUPTION_RETENTION,
      visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetters.queue, maxReceiveCount: INTERRUPTION_MAX_RECEIVE_COUNT },
      // SQS-managed keys: EventBridge cannot send to a queue encrypted with the AWS-managed KMS key.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    // The target adds the queue policy letting EventBridge send, from each rule only.
    this.rules = Object.entries(INTERRUPTION_EVENTS).map(
      ([name, eventPattern]) =>
        new events.Rule(this, `${name}Rule`, {
          description: `Skiff: ${eventPattern.detailType[0]} to the interruption queue`,
          eventPattern,
          targets: [new targets.SqsQueue(this.queue)],
        }),
    );
  }
}
