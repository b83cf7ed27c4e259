import type { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

export interface TickRuleProps {
  /** The function each tick invokes. */
  target: lambda.Function;
  /** Time between ticks. */
  every: Duration;
  description: string;
  /**
   * How long a tick may wait in Lambda's queue for its function (throttled, say) before it is
   * dropped. Default: Lambda's own (6 hours).
   */
  maxEventAge?: Duration;
}

/**
 * A periodic invocation: an EventBridge rule with a rate schedule (not EventBridge Scheduler, for
 * LocalStack: design.md decision 8). Neither EventBridge nor Lambda retries a tick: the next tick
 * is the retry. The target's asynchronous invocation settings belong to the tick.
 */
export class TickRule extends events.Rule {
  constructor(scope: Construct, id: string, props: TickRuleProps) {
    super(scope, id, {
      description: props.description,
      schedule: events.Schedule.rate(props.every),
      targets: [new targets.LambdaFunction(props.target, { retryAttempts: 0 })],
    });
    props.target.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: props.maxEventAge });
  }
}
