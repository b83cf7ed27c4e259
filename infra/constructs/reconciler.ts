import { Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  SKIFF_REQUEUE_QUEUE_URL,
  SKIFF_RESYNC_INTERVAL_SECONDS,
  SKIFF_RESYNC_TICK_SECONDS,
  SKIFF_TABLE_NAME,
} from '../../lib/config/env-names';
import type { ResyncSchedule } from '../../lib/controllers/resync';
import { DeadLetterQueue } from './dead-letter-queue';
import type { ObjectTable } from './object-table';
import { SkiffFunction } from './skiff-function';
import { addObjectStreamTrigger } from './stream-trigger';
import { TickRule } from './tick-rule';

export interface ReconcilerProps {
  table: ObjectTable;
  /**
   * The kindKeys (`apps/Deployment`) whose stream records wake the controllers: the stack passes
   * `triggerKinds(CONTROLLERS).everyRecord`. Records of any other kind (Lease renewals, Events)
   * never invoke the function, but for `collectionKindKeys`. With none, the trigger is synthesized
   * but disabled.
   */
  kindKeys: readonly string[];
  /** Kinds whose collection records alone wake the controllers (stream-trigger.ts); none by default. */
  collectionKindKeys?: readonly string[];
  /** How long after its last write an object is reconciled again by the resync sweep (default 10 minutes). */
  resyncInterval?: Duration;
  /** How often the resync sweep runs (default 10 minutes: each sweep reconciles every object). */
  resyncTick?: Duration;
}

/**
 * The resync on AWS: every object once every 10 minutes, in one sweep. The sweep's cost is its
 * lists (one per controller kind, whatever the number of objects), so fewer, whole sweeps are
 * cheaper than a slice each minute. Level-based controllers get every change from the stream;
 * the sweep only bounds how long a lost record can leave an object unconverged (kube's
 * controllers resync their informers every 10 hours or so, or never).
 */
export const AWS_RESYNC: ResyncSchedule = { intervalSeconds: 600, tickSeconds: 600 };

/**
 * How often the requeue queue is drained: a reconcile that asked for `requeueAfter` runs at the
 * first drain after it is due, so up to this much late (docs/operations.md). A Lambda SQS trigger
 * would run it on time but keeps pollers receiving while the queue is empty ($0.26 a month).
 */
export const REQUEUE_DRAIN_TICK = Duration.minutes(1);

/** Deliveries of one requeue message before it is parked in the requeue dead-letter queue. */
export const REQUEUE_MAX_RECEIVE_COUNT = 5;

const RECONCILE_TIMEOUT = Duration.seconds(60);

/**
 * The control loops on AWS. Three functions run the same controllers (lib/controllers/registry.ts):
 * - `function` on the object table's stream, filtered to the watched kinds, with bisect on error,
 *   partial batch responses, bounded retries and record age, failures to a dead-letter queue;
 * - `requeueFunction`, a tick every minute that drains the requeue queue, where reconciles that
 *   asked for `requeueAfter` wait (SQS delays, up to 15 minutes a leg), and runs the due ones;
 * - `resyncFunction` on a scheduled EventBridge rule (not EventBridge Scheduler, for LocalStack),
 *   reconciling every owned object again.
 * Whatever keeps failing is parked in the stack's one dead-letter queue.
 * Each may read and write objects and send requeues; only `function` reads the stream.
 */
export class Reconciler extends Construct {
  readonly function: SkiffFunction;
  readonly requeueQueue: sqs.Queue;
  readonly requeueFunction: SkiffFunction;
  readonly requeueRule: events.Rule;
  readonly resyncFunction: SkiffFunction;
  readonly resyncRule: events.Rule;

  constructor(scope: Construct, id: string, props: ReconcilerProps) {
    super(scope, id);
    const { table } = props;

    const deadLetters = DeadLetterQueue.of(this).queue;
    this.requeueQueue = new sqs.Queue(this, 'RequeueQueue', {
      // Six times the consumer's timeout (Lambda's advice for SQS triggers, kept for the drain), so
      // a slow batch is not received a second time while it still runs.
      visibilityTimeout: Duration.seconds(6 * RECONCILE_TIMEOUT.toSeconds()),
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: REQUEUE_MAX_RECEIVE_COUNT },
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    const resyncInterval = props.resyncInterval ?? Duration.seconds(AWS_RESYNC.intervalSeconds);
    const resyncTick = props.resyncTick ?? Duration.seconds(AWS_RESYNC.tickSeconds);
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
    table.grantPodMarkerCounts(this.function);
    addObjectStreamTrigger(this.function, 'TableStream', {
      table,
      kindKeys: props.kindKeys,
      ...(props.collectionKindKeys ? { collectionKindKeys: props.collectionKindKeys } : {}),
      deadLetters,
    });

    // The requeue drain.
    this.requeueFunction = reconcilerFunction(
      'RequeueFunction',
      'functions/requeue/handler.ts',
      'Skiff controllers: delayed reconciles',
    );
    this.requeueQueue.grantConsumeMessages(this.requeueFunction);
    this.requeueRule = new TickRule(this, 'RequeueRule', {
      target: this.requeueFunction,
      every: REQUEUE_DRAIN_TICK,
      description: 'Skiff: run the requeued reconciles that are due',
      // A drain held back past the next one is redundant.
      maxEventAge: REQUEUE_DRAIN_TICK,
    });

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
