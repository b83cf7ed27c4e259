import type { Controller } from '../../lib/controllers/controller';
import { dispatch, type DispatchOptions } from '../../lib/controllers/dispatcher';
import { storeReconcileContext } from '../../lib/controllers/events/store-event-recorders';
import { objectOfRecord } from '../../lib/controllers/record-keys';
import { CONTROLLERS } from '../../lib/controllers/registry';
import type { StreamRecord } from '../../lib/controllers/stream-record';
import { decodeObject } from '../../lib/kinds/decode';
import type { KindInfo } from '../../lib/kinds/kind-info';
import type { KubeObject } from '../../lib/kinds/meta';
import { NamespaceKind } from '../../lib/kinds/namespace';
import { LocalRequeue } from '../../lib/local/local-stream';
import { createObjectTable } from '../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../lib/store/dynamo-object-store';
import { NotFoundError } from '../../lib/store/errors';
import { aNamespace } from './builders';
import { dynamoClient, uniqueTableName, type DynamoEngine } from './dynamo-engines';
import { StreamPump } from './stream-pump';

/** Lambda's BatchSize for the reconcile trigger. */
const BATCH_SIZE = 100;
/** Lambda's MaximumRetryAttempts for the reconcile trigger: retries after the first attempt. */
export const MAX_RETRY_ATTEMPTS = 5;
/** How often the loop asks the stream for new records when it had none. */
const POLL_INTERVAL_MS = 10;
/** Backoff before the nth retry of a failing record (from 1): 20 ms doubling, so a poison record costs ~0.6 s. */
const retryDelayMs = (retry: number) => 20 * 2 ** (retry - 1);

/** A record whose retries were exhausted: what Lambda sends to the trigger's on-failure destination. */
export interface DeadLetter {
  record: StreamRecord;
  /** Retries after the first attempt (MAX_RETRY_ATTEMPTS when they ran out). */
  retries: number;
  /** What the reconciles behind the record logged on its last attempt. */
  errors: unknown[];
}

/** One call of dispatch: the records it was handed and the sequence number it reported failing. */
export interface DeliveredBatch {
  records: StreamRecord[];
  failedAt?: string;
}

export interface ControlLoopHarnessOptions {
  /** Controllers to run besides CONTROLLERS (a test's poison controller, say). */
  extraControllers?: readonly Controller[];
  namespaces?: string[];
}

/**
 * The real control loop on an engine with a real stream (DynamoDB Local): a fresh object table
 * with NEW_AND_OLD_IMAGES streams, a DynamoObjectStore that writes it (no mirror, no onChange: the
 * table's own stream carries every change), and a loop that plays the Lambda event source mapping
 * — it reads the stream through the Streams API (StreamPump), hands batches of new records to
 * `dispatch` with every registered controller, retries a reported failure from that record with
 * backoff, and after MAX_RETRY_ATTEMPTS retries moves the record to `deadLetters` and goes on.
 * Requeues run after their delay through LocalRequeue, the local stand-in for the SQS delay queue.
 *
 * The whole stream is consumed as one ordered sequence (shards read parents first, as the pump
 * does), which is at least as strict as Lambda's per-shard order.
 */
export class ControlLoopHarness {
  /** Records handed to the dead-letter list, oldest first. */
  readonly deadLetters: DeadLetter[] = [];
  /** Every batch handed to dispatch, retries included, oldest first. */
  readonly batches: DeliveredBatch[] = [];
  /** Reconcile failures that were retried (conflicts are normal under concurrency), for diagnosis. */
  readonly reconcileErrors: string[] = [];

  private delivered = 0;
  private paused = false;
  private stopping = false;
  private readonly faults: unknown[] = [];
  /** Waiters for an empty read of the stream that started after `after` reads had. */
  private readonly idleWaiters: { after: number; resolve: () => void }[] = [];
  private reads = 0;
  private loop?: Promise<void>;
  private attemptErrors: unknown[] = [];

  private constructor(
    readonly store: DynamoObjectStore,
    private readonly pump: StreamPump,
    private readonly options: DispatchOptions,
    private readonly requeue: LocalRequeue,
    private readonly destroyClient: () => void,
  ) {}

  /** Creates the table and namespaces on `engine` and starts the loop. */
  static async start(
    engine: DynamoEngine,
    options: ControlLoopHarnessOptions = {},
  ): Promise<ControlLoopHarness> {
    const client = dynamoClient(engine.endpoint);
    const tableName = uniqueTableName('control-loops');
    await createObjectTable(client, tableName);
    const store = new DynamoObjectStore({ client, tableName });
    const pump = await StreamPump.open(engine.endpoint, tableName);
    const controllers = [...CONTROLLERS, ...(options.extraControllers ?? [])];
    // Reconcile failures are retried, not fatal: the harness keeps them (see noteError) instead of logging.
    const sink: { note?: (message: string, error: unknown) => void } = {};
    const logError = (message: string, error: unknown) => sink.note?.(message, error);
    const dispatchOptions: DispatchOptions = { controllers, context: storeReconcileContext(store), logError };
    const requeue = new LocalRequeue({ ...dispatchOptions, retryDelaySeconds: 0.1 });
    const harness = new ControlLoopHarness(store, pump, dispatchOptions, requeue, () => client.destroy());
    sink.note = (message, error) => harness.noteError(message, error);
    for (const name of options.namespaces ?? ['default'])
      await harness.create(NamespaceKind, aNamespace({ name }));
    harness.loop = harness.run();
    return harness;
  }

  /**
   * The dead letters so far, one line each (`MODIFY apps/ReplicaSet default/web-7c5f: why`), for
   * assertions whose failure should say what failed rather than print whole records.
   */
  deadLetterSummaries(): string[] {
    return this.deadLetters.map(({ record, errors }) => {
      const found = objectOfRecord(record);
      const about = found
        ? `${found.object.apiVersion}/${found.object.kind} ${found.object.metadata.namespace ?? ''}/${found.object.metadata.name ?? ''}`
        : (record.dynamodb?.Keys?.sk?.S ?? '?');
      const why = errors.map((error) => (error instanceof Error ? error.message : String(error)));
      return `${record.eventName ?? '?'} ${about}: ${why.join('; ').replace(/\s+/g, ' ').slice(0, 300)}`;
    });
  }

  /** Forgets the dead letters so far, so that each test of a shared harness judges its own. */
  clearDeadLetters(): void {
    this.deadLetters.length = 0;
  }

  /** Decodes a manifest (defaults, validation) as the API would, and creates it. */
  create(kind: KindInfo, manifest: unknown): Promise<KubeObject> {
    return this.store.create(kind, decodeObject(kind, manifest).object);
  }

  /** The stored object, or undefined when it is gone. */
  async find(kind: KindInfo, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    try {
      return await this.store.get(kind, namespace, name);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /**
   * Runs `write` with delivery held, then waits until the stream holds a record of every object it
   * returns before delivering again: those records then reach dispatch together, in one batch (as
   * Lambda's batching window gathers them), after whatever was already in flight.
   */
  async deliverTogether(write: () => Promise<KubeObject[]>, deadlineMs = 10_000): Promise<void> {
    await this.whenIdle(deadlineMs);
    this.paused = true;
    try {
      const written = await write();
      const uids = new Set(written.map((object) => object.metadata.uid));
      const deadline = Date.now() + deadlineMs;
      for (;;) {
        const seen = new Set(
          this.pump
            .records()
            .slice(this.delivered)
            .map((record) => objectOfRecord(record)?.object.metadata.uid),
        );
        if ([...uids].every((uid) => seen.has(uid))) return;
        if (Date.now() > deadline) throw new Error(`the stream did not deliver ${uids.size} writes in time`);
        // The loop goes on reading the stream while delivery is held; only it calls the pump.
        await delay(POLL_INTERVAL_MS);
      }
    } finally {
      this.paused = false;
    }
  }

  /**
   * Resolves once the loop has read the stream, found nothing new and has no batch in flight: every
   * change so far has been reconciled (requeues waiting for their time aside).
   */
  whenIdle(deadlineMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      // A read already under way may have passed the caller's last write: wait for the next one.
      const waiter = {
        after: this.reads,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.idleWaiters.splice(this.idleWaiters.indexOf(waiter), 1);
        reject(new Error(`the control loop was not idle within ${deadlineMs} ms`));
      }, deadlineMs);
      this.idleWaiters.push(waiter);
    });
  }

  /** Stops the loop and the requeues, closes the clients; leaves no timer behind. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
    await this.requeue.stop();
    this.pump.close();
    this.destroyClient();
    if (this.faults.length > 0)
      throw new AggregateError(this.faults, `the control loop failed ${this.faults.length} times`);
  }

  private noteError(message: string, error: unknown): void {
    this.attemptErrors.push(error);
    this.reconcileErrors.push(`${message}: ${error instanceof Error ? error.message : String(error)}`);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        const read = ++this.reads;
        await this.pump.poll();
        const fresh = this.pump.records().slice(this.delivered);
        if (this.paused || fresh.length === 0) {
          if (!this.paused) this.wakeIdleWaiters(read);
          await delay(POLL_INTERVAL_MS);
          continue;
        }
        for (let start = 0; start < fresh.length && !this.stopping; start += BATCH_SIZE) {
          const batch = fresh.slice(start, start + BATCH_SIZE);
          await this.deliver(batch);
          this.delivered += batch.length;
        }
      } catch (error) {
        // A failure around dispatch (the Streams API, say): note it, and read again.
        this.faults.push(error);
        await delay(POLL_INTERVAL_MS);
      }
    }
  }

  private wakeIdleWaiters(read: number): void {
    for (const waiter of [...this.idleWaiters])
      if (read > waiter.after) {
        this.idleWaiters.splice(this.idleWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
  }

  /** One batch through retries and dead-lettering, as the event source mapping handles it. */
  private async deliver(batch: StreamRecord[]): Promise<void> {
    let pending = batch;
    let failing: string | undefined;
    let retries = 0;
    while (pending.length > 0 && !this.stopping) {
      this.attemptErrors = [];
      const sequences = pending.map(sequenceOf);
      const result = await dispatch(pending, this.options);
      this.requeue.add(result.requeues);
      const positions = result.batchItemFailures.map((failure) => sequences.indexOf(failure.itemIdentifier));
      this.batches.push({
        records: pending,
        ...(positions.length > 0 ? { failedAt: sequences[Math.min(...positions)] } : {}),
      });
      if (positions.length === 0) return;
      // An unknown itemIdentifier fails the whole batch, as Lambda treats it.
      pending = pending.slice(positions.includes(-1) ? 0 : Math.min(...positions));
      const sequence = sequenceOf(pending[0]);
      if (sequence !== failing) [failing, retries] = [sequence, 0];
      if (retries >= MAX_RETRY_ATTEMPTS) {
        this.deadLetters.push({ record: pending[0], retries, errors: this.attemptErrors });
        pending = pending.slice(1);
        continue;
      }
      retries += 1;
      await delay(retryDelayMs(retries));
    }
  }
}

function sequenceOf(record: StreamRecord): string {
  return record.dynamodb?.SequenceNumber ?? '';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
