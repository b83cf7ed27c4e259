import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { NodeProvider } from '../cloud/node-provider';
import { StoreEventRecorder } from '../controllers/events/store-event-recorder';
import { NodeKind } from '../kinds/node';
import { NodeClaimKind } from '../kinds/node-claim';
import { NodePoolKind } from '../kinds/node-pool';
import { PodKind } from '../kinds/pod';
import type { ItemChange } from '../store/dynamo-object-store';
import { kindKeyOf } from '../store/object-item';
import type { ObjectStore } from '../store/object-store';
import { TABLE } from '../store/table-schema';
import { BatchWindow } from '../scheduling/runner/batch-window';
import { dryRunPlan, type SchedulingPlan } from '../scheduling/runner/dry-run';
import { runSchedulerRound, type RoundResult } from '../scheduling/runner/scheduler-round';
import { DynamoSchedulerLease } from '../scheduling/runner/scheduler-lease';

export interface LocalSchedulerOptions {
  client: DynamoDBClient;
  tableName: string;
  store: ObjectStore;
  provider: NodeProvider;
  zones: readonly string[];
  /** Karpenter's batch window (default 1 s idle, 10 s at most). */
  batch?: { idleMs?: number; maxMs?: number };
  /** Seconds between rounds with no change (default 60, as the EventBridge rule on AWS). */
  tickSeconds?: number;
  /** Extra work for the minute tick (the claim controller's garbage collection of orphan instances). */
  onTick?: () => Promise<void>;
  /** Told of every round's result (tests, logs). */
  onRound?: (result: RoundResult) => void;
  now?: () => Date;
  logError?: (message: string, error: unknown) => void;
}

/** The kinds whose changes can change a plan: pods, nodes, claims and pools. */
const SCHEDULING_KINDS = new Set([PodKind, NodeKind, NodeClaimKind, NodePoolKind].map(kindKeyOf));

/**
 * The scheduler in the embedded control plane, woken as the schedule function is on AWS: by changes
 * to the kinds it plans over (batched, 1 s idle / 10 s max) and by a minute tick. The lease is the
 * same DynamoDB lease, on the embedded table.
 */
export class LocalScheduler {
  private readonly window: BatchWindow;
  private readonly tick: NodeJS.Timeout;

  constructor(options: LocalSchedulerOptions) {
    const now = options.now ?? (() => new Date());
    const lease = new DynamoSchedulerLease({
      client: options.client,
      tableName: options.tableName,
      holder: `local-${randomUUID()}`,
    });
    const events = new StoreEventRecorder({ store: options.store, component: 'default-scheduler', now });
    const deps = {
      store: options.store,
      provider: options.provider,
      lease,
      events,
      zones: options.zones,
      now,
    };
    this.dryRun = () => dryRunPlan(options.store, options.provider, options.zones, now());
    this.window = new BatchWindow({
      ...options.batch,
      run: async () => {
        // Not `onRound?.(await round)`: an absent callback would skip evaluating the round itself.
        const result = await runSchedulerRound(deps);
        options.onRound?.(result);
      },
      logError: options.logError,
    });
    this.tick = setInterval(
      () => {
        void this.window.runNow();
        options
          .onTick?.()
          .catch((error: unknown) => (options.logError ?? console.error)('capacity tick failed', error));
      },
      (options.tickSeconds ?? 60) * 1000,
    );
    this.tick.unref();
  }

  /** The plan a round would apply now, applied nowhere (the API's dry-run path). */
  readonly dryRun: () => Promise<SchedulingPlan>;

  /** The store's change hook: a change to a kind the plan reads opens (or extends) a batch. */
  observe(change: ItemChange): void {
    const kindKey = kindKeyOfChange(change);
    if (kindKey !== undefined && SCHEDULING_KINDS.has(kindKey)) this.window.poke();
  }

  /** Runs a round now (tests, the dry-run's sibling); waits for it. */
  runNow(): Promise<void> {
    return this.window.runNow();
  }

  async stop(): Promise<void> {
    clearInterval(this.tick);
    await this.window.stop();
  }
}

function kindKeyOfChange(change: ItemChange): string | undefined {
  const item = change.newItem ?? change.oldItem;
  return item?.[TABLE.kindKey]?.S;
}
