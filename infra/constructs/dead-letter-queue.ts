import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The one dead-letter queue's id, at the stack's root. */
const SHARED_ID = 'DeadLetters';

/**
 * Where work that exhausted its retries is parked, kept for SQS's maximum of 14 days, with an
 * alarm as soon as one message is waiting: anything here is a reconcile, a scheduling round or an
 * interruption event that never converged.
 *
 * One per stack (`DeadLetterQueue.of(scope)`), shared by every stream trigger, queue and
 * asynchronous target: an alarm costs $0.10 a month whether it ever fires or not, and what an
 * operator does first is the same for each (read the message: each says where it came from, a
 * stream trigger's its shard and batch, a queue's its body, a Lambda destination its function).
 */
export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly alarm: cloudwatch.Alarm;

  /** The stack's dead-letter queue, made on first use. */
  static of(scope: Construct): DeadLetterQueue {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(SHARED_ID) as DeadLetterQueue | undefined) ?? new DeadLetterQueue(stack);
  }

  private constructor(stack: Stack) {
    super(stack, SHARED_ID);
    this.queue = new sqs.Queue(this, 'Queue', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmDescription:
        'Skiff work that kept failing (stream records, requeued reconciles, interruption events) is waiting in the dead-letter queue',
      metric: this.queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
