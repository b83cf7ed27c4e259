import type { Controller, ReconcileContext } from '../../lib/controllers/controller';
import { dispatch, runTasks, type DispatchResult } from '../../lib/controllers/dispatcher';
import { storeReconcileContext } from '../../lib/controllers/events/store-event-recorders';
import { taskId, type Task } from '../../lib/controllers/record-keys';
import { CONTROLLERS } from '../../lib/controllers/registry';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../lib/local/embedded-dynamo';
import {
  sequenceNumber,
  streamRecordOf,
  type LocalStreamRecord,
} from '../../lib/local/stream/stream-record-of';
import { decodeObject } from '../../lib/kinds/decode';
import { NamespaceKind } from '../../lib/kinds/namespace';
import { createObjectTable } from '../../lib/store/create-object-table';
import { DynamoObjectStore, type ItemChange } from '../../lib/store/dynamo-object-store';
import { TableMirror } from '../../lib/store/table-mirror';
import { TABLE } from '../../lib/store/table-schema';
import { aNamespace } from './builders';
import { mulberry32 } from './seeded-random';

/**
 * A stream-driven control loop under the test's control: the store's accepted writes become
 * stream records (as the local control plane builds them), and the test decides how they are
 * delivered to the dispatcher — in order, every batch twice, or with the records of different
 * items shuffled — so properties of the reconcile contract (design.md decision 3) can be checked
 * against the same scenario delivered differently.
 */

/** How each batch reaches the dispatcher. */
export type Delivery = 'in-order' | 'replayed' | 'reordered';

export interface ControlLoopOptions {
  delivery: Delivery;
  /** Most records in one batch (Lambda's BatchSize). */
  batchSize: number;
  /** Seeds the shuffle of 'reordered'. */
  seed: number;
  controllers?: readonly Controller[];
}

/**
 * The clock every reconcile sees. Frozen, so no deadline (the Deployment's progress deadline,
 * minReadySeconds) can pass while a scenario runs, and condition and Event times are equal
 * across runs.
 */
export const FIXED_NOW = new Date('2026-01-01T00:00:00Z');

/** Redeliveries of one failing batch before the run is declared stuck (a real trigger would DLQ). */
const MAX_BATCH_ATTEMPTS = 20;
/** Batches in one settle before the run is declared not to converge. */
const MAX_BATCHES = 2_000;
/** CreateTable calls in flight at once while preparing tables. */
const TABLES_AT_ONCE = 50;

/** One embedded DynamoDB engine (in memory) for a whole test file; a fresh table per world. */
export class ReplayEngine {
  private tables = 0;
  /** Tables created ahead of use, empty. */
  private readonly ready: string[] = [];

  private constructor(private readonly dynamo: EmbeddedDynamo) {}

  static async start(): Promise<ReplayEngine> {
    return new ReplayEngine(await startEmbeddedDynamo());
  }

  /**
   * Creates `count` empty tables now, many at once: one at a time, waiting for each to turn ACTIVE
   * costs tens of milliseconds apiece, which hundreds of property runs cannot afford.
   */
  async prepareTables(count: number): Promise<void> {
    const names = Array.from({ length: count }, () => `control-loop-${++this.tables}`);
    for (let start = 0; start < names.length; start += TABLES_AT_ONCE)
      await Promise.all(
        names.slice(start, start + TABLES_AT_ONCE).map((name) => createObjectTable(this.dynamo.client, name)),
      );
    this.ready.push(...names);
  }

  /** A new, empty world on a table of its own, with the `default` namespace created and settled. */
  async world(options: ControlLoopOptions): Promise<ControlLoopWorld> {
    let tableName = this.ready.shift();
    if (tableName === undefined) {
      tableName = `control-loop-${++this.tables}`;
      await createObjectTable(this.dynamo.client, tableName);
    }
    const world = new ControlLoopWorld(this.dynamo, tableName, options);
    // Only `default`, where the scenarios write: the other system namespaces would cost every run
    // writes and reconciles that tell nothing.
    const { object } = decodeObject(NamespaceKind, aNamespace({ name: 'default' }));
    await world.store.create(NamespaceKind, { ...object, status: { phase: 'Active' } });
    await world.settle();
    return world;
  }

  stop(): Promise<void> {
    return this.dynamo.stop();
  }
}

/** One table, its store, its record stream and the controllers woken by it. */
export class ControlLoopWorld {
  readonly store: DynamoObjectStore;
  readonly context: ReconcileContext;
  /** Accepted writes so far (every onChange call). */
  writes = 0;
  /** Reconcile failures the dispatcher logged (conflicts are expected; each one is retried). */
  readonly failures: string[] = [];
  /** Records written but not yet delivered, in stream order. */
  private pending: LocalStreamRecord[] = [];
  /** Requeues asked for since the last settle, by task identity. */
  private readonly requeued = new Map<string, Task>();
  private sequence = 0n;
  private readonly random: () => number;
  private readonly controllers: readonly Controller[];

  constructor(
    dynamo: EmbeddedDynamo,
    tableName: string,
    private readonly options: ControlLoopOptions,
  ) {
    this.controllers = options.controllers ?? CONTROLLERS;
    this.random = mulberry32(options.seed);
    this.store = new DynamoObjectStore({
      client: dynamo.client,
      tableName,
      mirror: new TableMirror(),
      onChange: (change) => this.record(change),
    });
    this.context = storeReconcileContext(this.store, () => FIXED_NOW);
  }

  /** The records written since the last delivery, taken out of the stream (for hand delivery). */
  takePending(): LocalStreamRecord[] {
    const taken = this.pending;
    this.pending = [];
    return taken;
  }

  /**
   * Delivers batches of at most batchSize records, as the options say, until the stream is
   * empty. Then the requeues asked for meanwhile run once, immediately: the clock is frozen, so a
   * requeue finds the level it left, exactly as a timer firing later would with no time passing;
   * if they write, the loop goes on. Throws when the loop does not quiesce.
   */
  async settle(): Promise<void> {
    for (let batches = 0; ; batches++) {
      if (batches > MAX_BATCHES) throw new Error(`no quiescence after ${MAX_BATCHES} batches`);
      if (this.pending.length === 0) {
        if (this.requeued.size === 0) return;
        const tasks = [...this.requeued.values()];
        this.requeued.clear();
        const { failed } = await runTasks(tasks, this.dispatchOptions());
        if (failed.size > 0) throw new Error(`requeued reconciles failed: ${[...failed].join(', ')}`);
        // What requeued reconciles ask for again is the same deadline at the same level: dropped.
        if (this.pending.length === 0) return;
        continue;
      }
      const batch = this.pending.splice(0, this.options.batchSize);
      await this.deliver(batch);
    }
  }

  /** One batch, delivered as the world's delivery mode says, retried from its failure as Lambda does. */
  async deliver(batch: readonly LocalStreamRecord[]): Promise<void> {
    let records = this.options.delivery === 'reordered' ? reorderAcrossItems(batch, this.random) : [...batch];
    for (let attempt = 1; records.length > 0; attempt++) {
      if (attempt > MAX_BATCH_ATTEMPTS)
        throw new Error(`a batch kept failing: ${this.failures.slice(-3).join(' | ')}`);
      let result = await this.dispatchOnce(records);
      if (this.options.delivery === 'replayed') result = await this.dispatchOnce(records);
      const failed = result.batchItemFailures[0]?.itemIdentifier;
      if (failed === undefined) return;
      // Lambda retries from the earliest failed record; everything before it is checkpointed.
      records = records.slice(records.findIndex((r) => r.dynamodb.SequenceNumber === failed));
    }
  }

  private async dispatchOnce(records: readonly LocalStreamRecord[]): Promise<DispatchResult> {
    const result = await dispatch(records, this.dispatchOptions());
    for (const { key, controller: name, afterSeconds } of result.requeues) {
      const controller = this.controllers.find((c) => c.name === name);
      if (!controller) throw new Error(`a requeue names an unknown controller ${name} (${afterSeconds}s)`);
      const task = { controller, key };
      this.requeued.set(taskId(task), task);
    }
    return result;
  }

  private dispatchOptions() {
    return {
      controllers: this.controllers,
      context: this.context,
      logError: (message: string, error: unknown) =>
        this.failures.push(`${message}: ${error instanceof Error ? error.message : String(error)}`),
    };
  }

  private record(change: ItemChange): void {
    this.writes++;
    this.pending.push(
      streamRecordOf(change, sequenceNumber(++this.sequence), { region: 'local', now: FIXED_NOW }),
    );
  }
}

/**
 * The batch with the records of different items interleaved at random, each item's records
 * still in their order: DynamoDB Streams orders records per item only (per shard, and items
 * hash to shards), so this is every order a consumer may see within one batch.
 */
export function reorderAcrossItems<R extends LocalStreamRecord>(
  batch: readonly R[],
  random: () => number,
): R[] {
  const byItem = new Map<string, R[]>();
  for (const record of batch) {
    const keys = record.dynamodb.Keys ?? {};
    const item = `${keys[TABLE.partitionKey]?.S ?? ''}\u0000${keys[TABLE.sortKey]?.S ?? ''}`;
    const queue = byItem.get(item) ?? [];
    queue.push(record);
    byItem.set(item, queue);
  }
  const queues = [...byItem.values()];
  const reordered: R[] = [];
  while (queues.length > 0) {
    const index = Math.floor(random() * queues.length);
    const queue = queues[index];
    reordered.push(queue.shift() as R);
    if (queue.length === 0) queues.splice(index, 1);
  }
  return reordered;
}
