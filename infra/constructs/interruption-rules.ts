import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
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
 * Lambda's retries of an event whose handling threw (asynchronous invocation: after about one and
 * then two more minutes), so a failing event is parked before the 5 minutes are up.
 */
export const INTERRUPTION_RETRY_ATTEMPTS = 2;

export interface InterruptionRulesProps {
  /** The interruption handler, invoked asynchronously with each event. */
  handler: lambda.IFunction;
}

/**
 * One EventBridge rule per kind of interruption event, each invoking the handler directly
 * (asynchronously). There is no queue in between: a queue's Lambda trigger keeps polling it while
 * idle (about $0.26 a month of empty receives), where a rule costs nothing until an event comes.
 * Retries and parking are the invocation's: EventBridge retries delivering for up to 5 minutes,
 * Lambda retries a failed handling twice within the 5 minutes, and either parks the event in the
 * stack's dead-letter queue (and its alarm) when it gives up.
 */
export class InterruptionRules extends Construct {
  readonly rules: events.Rule[];

  constructor(scope: Construct, id: string, props: InterruptionRulesProps) {
    super(scope, id);
    const deadLetters = DeadLetterQueue.of(this).queue;
    props.handler.configureAsyncInvoke({
      retryAttempts: INTERRUPTION_RETRY_ATTEMPTS,
      maxEventAge: INTERRUPTION_RETENTION,
      onFailure: new SqsDestination(deadLetters),
    });
    this.rules = Object.entries(INTERRUPTION_EVENTS).map(
      ([name, eventPattern]) =>
        new events.Rule(this, `${name}Rule`, {
          description: `Skiff: ${eventPattern.detailType[0]} to the interruption handler`,
          eventPattern,
          targets: [
            new targets.LambdaFunction(props.handler, {
              maxEventAge: INTERRUPTION_RETENTION,
              deadLetterQueue: deadLetters,
            }),
          ],
        }),
    );
  }
}
