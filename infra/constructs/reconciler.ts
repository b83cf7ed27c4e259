import { Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  SKIFF_REQUEUE_QUEUE_URL,
  SKIFF_RESYNC_INTERVAL_SECONDS,
  SKIFF_RESYNC_TICK_SECONDS,
  SKIFF_TABLE_NAME,
} from '../../lib/config/env-names';
import { DEFAULT_RESYNC } from '../../lib/controllers/resync';
import { DeadLetterQueue } from './dead-letter-queue';
import type { ObjectTable } from './object-table';
import { SkiffFunction } from './skiff-function';
import { addObjectStreamTrigger } from './stream-trigger';
import { TickRule } from './tick-rule';

export interface ReconcilerProps {
  table: ObjectTable;
  /**
   * The kindKeys (`apps/Deployment`) whose stream records wake the controllers: the stack passes
   * `watchedKindKeys(CONTROLLERS)`. Records of any other kind (Lease renewals, Events) never
   * invoke the function. With none, the trigger is synthesized but disabled.
   */
  kindKeys: readonly string[];
  /** How long after its last write an object is reconciled again by the resync sweep (default 5 minutes). */
  resyncInterval?: Duration;
  /** How often the resync sweep runs (default one minute). */
  resyncTick?: Duration;
}

/** Deliveries of one requeue message before it is parked in the requeue dead-letter queue. */
export const REQUEUE_MAX_RECEIVE_COUNT = 5;

const RECONCILE_TIMEOUT = Duration.seconds(60);

/**
 * The control loops on AWS. Three functions run the same controllers (lib/controllers/registry.ts):
 * - `function` on the object table's stream, filtered to the watched kinds, with bisect on error,
 *   partial batch responses, bounded retries and record age, failures to a dead-letter queue;
 * - `requeueFunction` on the requeue queue, where reconciles that asked for `requeueAfter` wait;
 * - `resyncFunction` on a scheduled EventBridge rule (not EventBridge Scheduler, for LocalStack),
 *   reconciling every owned object again.
 * Each may read and write objects and send requeues; only `function` reads the stream.
 */
export class Reconciler extends Construct {
  readonly function: SkiffFunction;
  readonly deadLetters: DeadLetterQueue;
  readonly requeueQueue: sqs.Queue;
  readonly requeueDeadLetters: DeadLetterQueue;
  readonly requeueFunction: SkiffFunction;
  readonly resyncFunction: SkiffFunction;
  readonly resyncRule: events.Rule;

  constructor(scope: Construct, id: string, props: ReconcilerProps) {
    super(scope, id);
    const { table } = props;

    this.requeueDeadLetters = new DeadLetterQueue(this, 'RequeueDeadLetters', {
      description: 'Requeued reconciles that kept failing',
    });
    this.requeueQueue = new sqs.Queue(this, 'RequeueQueue', {
      // Lambda's advice for SQS triggers: six times the consumer's timeout, so a slow batch is not
      // delivered a second time while it still runs.
      visibilityTimeout: Duration.seconds(6 * RECONCILE_TIMEOUT.toSeconds()),
      deadLetterQueue: { queue: this.requeueDeadLetters.queue, maxReceiveCount: REQUEUE_MAX_RECEIVE_COUNT },
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    const resyncInterval = props.resyncInterval ?? Duration.seconds(DEFAULT_RESYNC.intervalSeconds);
    const resyncTick = props.resyncTick ?? Duration.seconds(DEFAULT_RESYNC.tickSeconds);
    const environment = {
      [SKIFF_TABLE_NAME]: table.tableName,
      [SKIFF_REQUEUE_QUEUE_URL]: this.requeueQueue.queueUrl,
      [SKIFF_RESYNC_INTERVAL_SECONDS]: String(resyncInterval.toSeconds()),
      [SKIFF_RESYNC_TICK_SECONDS]: String(resyncTick.toSeconds()),
    };
    const reconcilerFunction = (fnId: string, entry: string, description: string) => {
      const fn = new SkiffFunction(this, fnId, {
        entry,
        description,
        timeout: RECONCILE_TIMEOUT,
        environment,
      });
      table.grantReadWrite(fn);
      this.requeueQueue.grant(fn, 'sqs:SendMessage');
      return fn;
    };

    // The stream trigger.
    this.function = reconcilerFunction('Function', 'functions/reconcile/handler.ts', 'Skiff controllers');
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      description: 'Stream records whose reconciles kept failing',
    });
    addObjectStreamTrigger(this.function, 'TableStream', {
      table,
      kindKeys: props.kindKeys,
      deadLetters: this.deadLetters.queue,
    });

    // The requeue consumer.
    this.requeueFunction = reconcilerFunction(
      'RequeueFunction',
      'functions/requeue/handler.ts',
      'Skiff controllers: delayed reconciles',
    );
    this.requeueFunction.addEventSource(
      new SqsEventSource(this.requeueQueue, { batchSize: 10, reportBatchItemFailures: true }),
    );

    // The resync tick. Its own retries are off: the next tick is the retry.
    this.resyncFunction = reconcilerFunction(
      'ResyncFunction',
      'functions/resync/handler.ts',
      'Skiff controllers: periodic resync',
    );
    this.resyncRule = new TickRule(this, 'ResyncRule', {
      target: this.resyncFunction,
      every: resyncTick,
      description: 'Skiff: reconcile again the objects not written for a resync interval',
    });
  }
}
