import type { KindInfo } from '../kinds/kind-info';
import { KINDS } from '../kinds/registry';
import type { ItemChange } from '../store/dynamo-object-store';
import { ConflictError, NotFoundError } from '../store/errors';
import { kindKeyOf, type Item } from '../store/object-item';
import type { ObjectStore } from '../store/object-store';
import { TABLE, TTL_ATTRIBUTE } from '../store/table-schema';
import { TTL_USER_IDENTITY, type LocalItemChange } from './stream/stream-record-of';

export interface TtlSweeperOptions {
  /** Deletes go through this store, so its mirror and change listener see them as any delete. */
  store: ObjectStore;
  /** The kinds whose items may carry the TTL attribute; default every kind with `timeToLiveSeconds`. */
  kinds?: readonly KindInfo[];
  /** Seconds between sweeps; default 60. */
  intervalSeconds?: number;
  /** The clock expiry is judged by (tests move it on instead of waiting an hour). */
  now?: () => Date;
  logError?: (message: string, error: unknown) => void;
}

/** One stored item that will expire, as the index keeps it. */
interface Expiring {
  kind: KindInfo;
  namespace?: string;
  name: string;
  resourceVersion: string;
  /** Epoch seconds, as the TTL attribute holds them. */
  expiresAt: number;
}

/**
 * DynamoDB's Time to Live for the local engine, which has none: items whose TTL attribute
 * (`expiresAt`, epoch seconds) is in the past are deleted, as AWS deletes Events an hour after
 * their last write.
 *
 * The sweep is cheap enough to run forever: the sweeper keeps an index of the items that carry
 * the attribute, fed by `observe` with every accepted write (and by `seed` with those stored at
 * start), so a sweep walks the expiring items (one map entry each), never the table, and deletes
 * only those due; an idle table costs a timer a minute.
 * Deletes go through the store, conditional on the resourceVersion the sweep saw: an item written
 * again meanwhile has a later expiry and is left alone, as the TTL condition on AWS would leave it.
 * The table mirror and the stream see a TTL delete as any delete, except that `observe` marks the
 * sweeper's own removals with DynamoDB's service identity, which their records carry as on AWS.
 *
 * One difference stays: AWS deletes the item outright, while a delete through the store only marks
 * an object that holds finalizers (no Event does).
 */
export class TtlSweeper {
  private readonly store: ObjectStore;
  private readonly kinds: ReadonlyMap<string, KindInfo>;
  private readonly intervalSeconds: number;
  private readonly now: () => Date;
  private readonly logError: (message: string, error: unknown) => void;
  private readonly expiring = new Map<string, Expiring>();
  /** Items the sweep is deleting now: item key -> the resourceVersion it expects to remove. */
  private readonly removing = new Map<string, string>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopped = false;

  constructor(options: TtlSweeperOptions) {
    this.store = options.store;
    const kinds = options.kinds ?? KINDS.filter((kind) => kind.timeToLiveSeconds !== undefined);
    this.kinds = new Map(kinds.map((kind) => [kindKeyOf(kind), kind]));
    this.intervalSeconds = options.intervalSeconds ?? 60;
    this.now = options.now ?? (() => new Date());
    this.logError = options.logError ?? ((message, error) => console.error(message, error));
  }

  /** The kinds this sweeper expires, for seeding it from what is stored. */
  get expiringKinds(): KindInfo[] {
    return [...this.kinds.values()];
  }

  /** How many stored items carry an expiry. */
  get size(): number {
    return this.expiring.size;
  }

  /** Indexes items already stored (the table as it was at start). */
  seed(items: Iterable<Item>): void {
    for (const item of items) this.index(item);
  }

  /**
   * Keeps the index in step with one accepted write, and answers the change as the stream should
   * record it: a removal this sweeper's delete just made (the store reports it inside that delete)
   * carries DynamoDB's service identity. Pass every change the store reports.
   *
   * @example new DynamoObjectStore({ ..., onChange: (change) => stream.push(sweeper.observe(change)) })
   */
  readonly observe = (change: ItemChange): LocalItemChange => {
    const { oldItem, newItem } = change;
    // Most writes are of items that never expire: they cost two property reads.
    if (!newItem?.[TTL_ATTRIBUTE] && !oldItem?.[TTL_ATTRIBUTE]) return change;
    if (newItem) {
      this.index(newItem);
      return change;
    }
    const key = itemKey(oldItem as Item);
    this.expiring.delete(key);
    const expected = this.removing.get(key);
    const own = expected !== undefined && expected === oldItem?.[TABLE.resourceVersion]?.N;
    return own ? { ...change, userIdentity: TTL_USER_IDENTITY } : change;
  };

  /** Sweeps every `intervalSeconds` until stop(); a sweep never overlaps the previous one. */
  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.sweep(), this.intervalSeconds * 1000);
    this.timer.unref();
  }

  /** Stops the timer; a sweep in progress ends after the delete it is making, and no other starts. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Deletes every item expired by now; answers how many it deleted. A sweep already running is joined. */
  sweep(): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    this.running ??= this.sweepOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepOnce(): Promise<number> {
    const nowMs = this.now().getTime();
    const expired: [string, Expiring][] = [];
    for (const entry of this.expiring) if (entry[1].expiresAt * 1000 < nowMs) expired.push(entry);
    let deleted = 0;
    for (const [key, item] of expired) {
      if (this.stopped) break;
      if (this.expiring.get(key) !== item) continue; // written or removed since the walk
      if (await this.remove(key, item)) deleted += 1;
    }
    return deleted;
  }

  private async remove(key: string, item: Expiring): Promise<boolean> {
    this.removing.set(key, item.resourceVersion);
    try {
      const { removed } = await this.store.delete(item.kind, item.namespace, item.name, {
        preconditions: { resourceVersion: item.resourceVersion },
      });
      return removed;
    } catch (error) {
      // Written again (a later expiry) or deleted meanwhile: either way not this sweep's to remove.
      if (!(error instanceof ConflictError) && !(error instanceof NotFoundError))
        this.logError(
          `TTL sweep: deleting ${item.kind.kind} ${item.namespace ?? ''}/${item.name} failed`,
          error,
        );
      return false;
    } finally {
      this.removing.delete(key);
    }
  }

  private index(item: Item): void {
    const key = itemKey(item);
    const expiresAt = Number(item[TTL_ATTRIBUTE]?.N);
    const kind = this.kinds.get(item[TABLE.kindKey]?.S ?? '');
    if (!kind || !Number.isFinite(expiresAt)) {
      this.expiring.delete(key);
      return;
    }
    // The partition key is `<kindKey>#<namespace>`, the sort key the name: no need to parse the body.
    const partition = item[TABLE.partitionKey]?.S ?? '';
    const namespace = partition.slice(partition.indexOf('#') + 1);
    this.expiring.set(key, {
      kind,
      namespace: kind.namespaced ? namespace : undefined,
      name: item[TABLE.sortKey]?.S ?? '',
      resourceVersion: item[TABLE.resourceVersion]?.N ?? '',
      expiresAt,
    });
  }
}

function itemKey(item: Item): string {
  return `${item[TABLE.partitionKey]?.S ?? ''}\u0000${item[TABLE.sortKey]?.S ?? ''}`;
}
