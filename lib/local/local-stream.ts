import {
  sequenceNumber,
  streamRecordOf,
  type LocalItemChange,
  type LocalStreamRecord,
} from './stream/stream-record-of';

export {
  TTL_USER_IDENTITY,
  type LocalItemChange,
  type LocalStreamRecord,
  type StreamUserIdentity,
} from './stream/stream-record-of';
export { LocalRequeue, type LocalRequeueOptions, type Requeue } from './stream/local-requeue';

/** What a stream consumer answers: Lambda's partial batch response, keyed by SequenceNumber. */
export interface StreamConsumerResult {
  batchItemFailures: { itemIdentifier: string }[];
}

/** Handles one batch, as the reconcile Lambda does for its event source mapping. */
export type StreamConsumer = (records: LocalStreamRecord[]) => Promise<StreamConsumerResult>;

export interface LocalStreamOptions {
  consumer: StreamConsumer;
  /** Most records per batch (Lambda's BatchSize); default 100. */
  batchSize?: number;
  /** How long the first buffered record waits for more before a short batch goes (Lambda's MaximumBatchingWindowInSeconds); default 10 ms. */
  batchingWindowMs?: number;
  /** Retries of a failing record before it is dead-lettered (Lambda's MaximumRetryAttempts); default 5. */
  maxRetryAttempts?: number;
  /** Delay before the nth retry (from 1); default 100 ms doubling, at most 5 s. */
  retryDelayMs?: (retry: number) => number;
  /** Where a record goes once its retries are exhausted (Lambda's on-failure destination); logged by default. */
  onDeadLetter?: (records: LocalStreamRecord[], error: unknown) => void;
  /** The records' awsRegion; default `local`. */
  region?: string;
  /** The clock behind ApproximateCreationDateTime. */
  now?: () => Date;
  log?: (message: string, detail?: unknown) => void;
}

/** A record kept failing through every retry; it is handed to onDeadLetter with this error. */
export class RetriesExhaustedError extends Error {
  constructor(
    readonly sequenceNumber: string,
    readonly retries: number,
    options?: { cause?: unknown },
  ) {
    super(`stream record ${sequenceNumber} still failed after ${retries} retries`, options);
  }
}

/** idle() or stop() reached its deadline with records still buffered or in flight. */
export class StreamNotIdleError extends Error {
  constructor(
    readonly buffered: number,
    readonly inFlight: boolean,
  ) {
    super(
      `the local stream is not idle: ${buffered} records buffered, a batch ${inFlight ? '' : 'not '}in flight`,
    );
  }
}

/**
 * The local stand-in for a table's DynamoDB stream and the Lambda event source mapping reading
 * it, so `npm start` runs the reconcile path the deployed stack runs. Pass `push` to the store as
 * its `onChange`: each accepted write becomes the record DynamoDB Streams would write for it
 * (NEW_AND_OLD_IMAGES), with a strictly increasing SequenceNumber.
 *
 * Delivery follows the event source mapping: batches of up to `batchSize` records, gathered for at
 * most `batchingWindowMs`, one batch in flight at a time. The whole stream is one ordered shard, so
 * DynamoDB's per-item order holds a fortiori. A partial batch failure is retried from the earliest
 * reported record (with everything after it in the batch) after a backoff; a thrown error or an
 * unknown itemIdentifier fails the whole batch, as Lambda treats them. After `maxRetryAttempts`
 * retries of the same record it goes to `onDeadLetter` and delivery moves on: one poison object
 * never stalls the stream (design.md decision 3).
 *
 * @example
 * const stream = new LocalStream({ consumer: (records) => dispatch(records, options) });
 * const store = new DynamoObjectStore({ client, tableName, onChange: stream.push });
 */
export class LocalStream {
  private readonly consumer: StreamConsumer;
  private readonly batchSize: number;
  private readonly batchingWindowMs: number;
  private readonly maxRetryAttempts: number;
  private readonly retryDelayMs: (retry: number) => number;
  private readonly onDeadLetter: (records: LocalStreamRecord[], error: unknown) => void;
  private readonly region: string;
  private readonly now: () => Date;
  private readonly log: (message: string, detail?: unknown) => void;

  private readonly buffer: { record: LocalStreamRecord; arrivedAt: number }[] = [];
  private lastSequence = 0n;
  private inFlight?: Promise<void>;
  private windowTimer?: NodeJS.Timeout;
  private cancelBackoff?: () => void;
  private idleWaiters: (() => void)[] = [];
  /** Set by stop(): batches go at once, windows no longer wait. */
  private draining = false;
  private stopped?: Promise<void>;
  /** Set once stop() is done: nothing is accepted or delivered any more. */
  private closed = false;

  constructor(options: LocalStreamOptions) {
    this.consumer = options.consumer;
    this.batchSize = options.batchSize ?? 100;
    this.batchingWindowMs = options.batchingWindowMs ?? 10;
    this.maxRetryAttempts = options.maxRetryAttempts ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? ((retry) => Math.min(100 * 2 ** (retry - 1), 5_000));
    this.log = options.log ?? ((message, detail) => console.error(message, detail ?? ''));
    this.onDeadLetter =
      options.onDeadLetter ??
      ((records, error) =>
        this.log(
          `local stream: dead-lettered ${records.map((r) => r.dynamodb.SequenceNumber).join(', ')}`,
          error,
        ));
    this.region = options.region ?? 'local';
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Appends the record for one accepted write. Never throws: the write already happened, and the
   * store must not report it as failed. After stop() changes are dropped, as nothing would read them.
   * A change with a userIdentity (a TTL delete) passes it on to its record.
   */
  readonly push = (change: LocalItemChange): void => {
    if (this.closed) return;
    this.lastSequence += 1n;
    const record = streamRecordOf(change, sequenceNumber(this.lastSequence), {
      region: this.region,
      now: this.now(),
    });
    this.buffer.push({ record, arrivedAt: Date.now() });
    if (this.buffer.length >= this.batchSize) this.clearWindow();
    this.schedule();
  };

  /**
   * Resolves once nothing is buffered or in flight; rejects with StreamNotIdleError after
   * `timeoutMs`. For tests and shutdown: "every write so far has been handled".
   */
  idle(timeoutMs = 10_000): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = () => {
        clearTimeout(deadline);
        resolve();
      };
      const deadline = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== waiter);
        reject(new StreamNotIdleError(this.buffer.length, this.inFlight !== undefined));
      }, timeoutMs);
      deadline.unref();
      this.idleWaiters.push(waiter);
    });
  }

  /**
   * Delivers what is buffered without waiting for batching windows, then stops: later changes are
   * dropped and no timer is left. Records still undelivered at the deadline are abandoned and
   * logged: the local stream is not durable (the store is), and reconciles are level-based, so the
   * next start's sweep of every object (startup-sync.ts) does what they would have done.
   */
  stop(timeoutMs = 10_000): Promise<void> {
    this.stopped ??= this.drainThenStop(timeoutMs);
    return this.stopped;
  }

  private async drainThenStop(timeoutMs: number): Promise<void> {
    this.draining = true;
    this.clearWindow();
    this.schedule();
    try {
      await this.idle(timeoutMs);
    } catch (error) {
      this.log('local stream: stopped before delivering every record', error);
    } finally {
      this.closed = true;
      this.buffer.length = 0;
      this.clearWindow();
      this.cancelBackoff?.();
    }
  }

  private isIdle(): boolean {
    return this.buffer.length === 0 && this.inFlight === undefined;
  }

  /**
   * Arms the timer that starts the next batch: at once when a batch is full (or the stream is
   * stopping), else when the oldest record's batching window ends. Never delivers synchronously:
   * push runs inside the store's write, which must not run the consumer's code.
   */
  private schedule(): void {
    if (this.closed || this.inFlight || this.windowTimer || this.buffer.length === 0) return;
    const full = this.draining || this.buffer.length >= this.batchSize;
    const dueIn = full ? 0 : this.buffer[0].arrivedAt + this.batchingWindowMs - Date.now();
    this.windowTimer = setTimeout(
      () => {
        this.windowTimer = undefined;
        this.startBatch();
      },
      Math.max(0, dueIn),
    );
    this.windowTimer.unref();
  }

  private startBatch(): void {
    if (this.closed || this.inFlight || this.buffer.length === 0) return;
    const batch = this.buffer.splice(0, this.batchSize).map((entry) => entry.record);
    this.inFlight = this.deliver(batch)
      // Only a throwing onDeadLetter gets here; the stream must go on (and not reject unobserved).
      .catch((error: unknown) => this.log('local stream: delivery failed', error))
      .finally(() => {
        this.inFlight = undefined;
        this.schedule();
        if (this.isIdle()) for (const waiter of this.idleWaiters.splice(0)) waiter();
      });
  }

  private clearWindow(): void {
    clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
  }

  /** Delivers one batch through retries and dead-lettering; resolves when it is done with. */
  private async deliver(batch: LocalStreamRecord[]): Promise<void> {
    let pending = batch;
    let failing: string | undefined;
    let retries = 0;
    while (pending.length > 0 && !this.closed) {
      const outcome = await this.attempt(pending);
      if (outcome === undefined || this.closed) return;
      pending = pending.slice(outcome.failedAt);
      const sequence = pending[0].dynamodb.SequenceNumber;
      if (sequence !== failing) [failing, retries] = [sequence, 0];
      if (retries >= this.maxRetryAttempts) {
        this.onDeadLetter(
          pending.slice(0, 1),
          new RetriesExhaustedError(sequence, retries, { cause: outcome.error }),
        );
        pending = pending.slice(1);
        continue;
      }
      retries += 1;
      await this.backoff(this.retryDelayMs(retries));
    }
  }

  /** One call of the consumer: undefined when the batch succeeded, else where to retry from. */
  private async attempt(
    records: LocalStreamRecord[],
  ): Promise<{ failedAt: number; error?: unknown } | undefined> {
    let result: StreamConsumerResult;
    try {
      result = await this.consumer(records);
    } catch (error) {
      this.log('local stream: the consumer failed the whole batch', error);
      return { failedAt: 0, error };
    }
    const failures = result.batchItemFailures;
    if (failures.length === 0) return undefined;
    const positions = failures.map((failure) =>
      records.findIndex((r) => r.dynamodb.SequenceNumber === failure.itemIdentifier),
    );
    if (positions.includes(-1))
      return { failedAt: 0, error: new Error(`unknown itemIdentifier in ${JSON.stringify(failures)}`) };
    return { failedAt: Math.min(...positions) };
  }

  private backoff(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      this.cancelBackoff = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}
