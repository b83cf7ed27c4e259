import type { KindInfo } from '../../../lib/kinds/kind-info';
import type { KubeObject } from '../../../lib/kinds/meta';
import { findKindByKind } from '../../../lib/kinds/registry';
import type { ChangeEntry } from '../../../lib/store/change-log/change-entry';
import type { ChangeFeed, ChangeWriter, PreparedWrite } from '../../../lib/store/change-log/change-log';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../../../lib/store/errors';
import type { ObjectStore } from '../../../lib/store/object-store';

/**
 * The pieces of the watch property tests: writers making random changes, a ground-truth record of
 * what committed, and a watcher that lists, watches and reconnects as a client does.
 */

export const ConfigMap = findKindByKind('v1', 'ConfigMap') as KindInfo;

/** A writer dying at an injected point: whatever it had not committed is gone. */
export class CrashError extends Error {
  constructor() {
    super('injected crash');
  }
}

/**
 * `inner`, telling `committed` of each write it commits (the ground truth the watcher is checked
 * against). A write cut short by a CrashError after its object was written (`objectWritten()` says
 * so) still happened and is recorded too. Everything else passes through, so the store sees the
 * same writer (a snapshot source, a list position) as without the wrapper.
 */
export function recording<T extends ChangeWriter>(
  inner: T,
  committed: ChangeEntry[],
  objectWritten: (error: unknown) => boolean = () => false,
): T {
  const commit: ChangeWriter['commit'] = async (prepare, done) => {
    let last: PreparedWrite | undefined;
    try {
      await inner.commit(
        (revision) => (last = prepare(revision)),
        () => {
          if (last) committed.push(last.entry);
          done?.();
        },
      );
    } catch (error) {
      if (last && objectWritten(error)) committed.push(last.entry);
      throw error;
    }
  };
  return new Proxy(inner, {
    get: (target, property) => {
      if (property === 'commit') return commit;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Random creates, updates (with and without resourceVersion) and deletes over a few names. */
export async function runWriter(
  rng: () => number,
  store: () => ObjectStore,
  namespace: string,
  writer: string,
  operations: number,
): Promise<void> {
  const names = ['a', 'b', 'c', 'd'];
  for (let i = 0; i < operations; i++) {
    const name = names[Math.floor(rng() * names.length)];
    const data = { by: `${writer}-${i}` };
    const roll = rng();
    try {
      if (roll < 0.3)
        await store().create(ConfigMap, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace },
          data,
        });
      else if (roll < 0.55) {
        const current = await store().get(ConfigMap, namespace, name);
        await store().update(ConfigMap, { ...current, data });
      } else if (roll < 0.8)
        await store().update(ConfigMap, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace },
          data,
        });
      else await store().delete(ConfigMap, namespace, name);
    } catch (error) {
      const expected = [AlreadyExistsError, ConflictError, NotFoundError, CrashError];
      if (!expected.some((type) => error instanceof type)) throw error;
    }
  }
}

/** What a change is, for comparing sequences: a deletion's revision is left out (see the local test). */
export function describeChange(entry: ChangeEntry): string {
  const rv = entry.type === 'DELETED' ? '' : ` @${entry.object.metadata.resourceVersion}`;
  return `${entry.type} ${entry.name} ${JSON.stringify((entry.object as { data?: unknown }).data)}${rv}`;
}

/** Name -> data and resourceVersion, the state a list or a watch arrives at. */
export function stateOf(objects: Iterable<KubeObject>): Record<string, string> {
  const state: Record<string, string> = {};
  for (const object of objects)
    state[object.metadata.name ?? ''] =
      `${JSON.stringify((object as { data?: unknown }).data)} @${object.metadata.resourceVersion}`;
  return state;
}

/**
 * A client following one namespace's ConfigMaps: it lists, then watches from the list's revision,
 * disconnecting after a random number of batches and resuming from the last revision it saw.
 */
export class Watcher {
  readonly seen: ChangeEntry[] = [];
  readonly objects = new Map<string, KubeObject>();
  listRevision = 0;
  listed: KubeObject[] = [];
  private position = 0;
  private lastEntry = 0;

  constructor(
    private readonly rng: () => number,
    private readonly namespace: string,
  ) {}

  async list(store: ObjectStore): Promise<void> {
    const list = await store.list(ConfigMap, { namespace: this.namespace });
    this.listed = list.items;
    for (const object of list.items) this.objects.set(object.metadata.name ?? '', object);
    this.position = this.listRevision = this.lastEntry = Number(list.metadata.resourceVersion);
  }

  /** Follows until the feed reaches `until`, or for a few batches, or until `stop` aborts. */
  async follow(feed: ChangeFeed, options: { until?: number; stop?: AbortSignal } = {}): Promise<void> {
    const controller = new AbortController();
    const onStop = () => controller.abort();
    options.stop?.addEventListener('abort', onStop, { once: true });
    let budget = 1 + Math.floor(this.rng() * 4);
    try {
      if (options.until !== undefined && this.position >= options.until) return;
      for await (const batch of feed.follow(this.position, controller.signal)) {
        for (const entry of batch.entries) {
          if (entry.revision <= this.lastEntry)
            throw new Error(`revision ${entry.revision} delivered after ${this.lastEntry}`);
          this.lastEntry = entry.revision;
          if (entry.kindKey !== 'core/ConfigMap' || entry.namespace !== this.namespace) continue;
          this.seen.push(entry);
          if (entry.type === 'DELETED') this.objects.delete(entry.name);
          else this.objects.set(entry.name, entry.object);
        }
        this.position = batch.through;
        if (options.until !== undefined ? this.position >= options.until : --budget === 0) break;
      }
    } finally {
      options.stop?.removeEventListener('abort', onStop);
      controller.abort();
    }
  }
}

/** The state `committed` leaves `namespace` in after every change up to `revision`. */
export function replay(
  committed: ChangeEntry[],
  namespace: string,
  revision: number,
): Record<string, string> {
  const objects = new Map<string, KubeObject>();
  for (const entry of [...committed].sort((a, b) => a.revision - b.revision)) {
    if (entry.revision > revision || entry.namespace !== namespace) continue;
    if (entry.type === 'DELETED') objects.delete(entry.name);
    else objects.set(entry.name, entry.object);
  }
  return stateOf(objects.values());
}
