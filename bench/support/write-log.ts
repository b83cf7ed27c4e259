import type { ItemChange } from '../../lib/store/dynamo-object-store';
import { BODY, type Item } from '../../lib/store/object-item';
import { bodyOf } from '../../lib/store/stored-body';
import { TABLE } from '../../lib/store/table-schema';

/** How one accepted write changed its item; `status` is an update that touched nothing but status. */
export type WriteOperation = 'create' | 'update' | 'status' | 'delete';

/** One line of a write breakdown: `core/Pod create`, with how many writes it counts. */
export interface WriteCount {
  kind: string;
  operation: WriteOperation;
  count: number;
}

/**
 * Every write the table accepted, as the store's onChange reports it, kept as is and classified
 * only when asked: recording must cost the control plane nothing measurable. Watchers are told of
 * each write synchronously (inside the store's write), so they must only look, never write.
 */
export class WriteLog {
  private changes: ItemChange[] = [];
  private readonly watchers = new Set<(change: ItemChange) => void>();

  readonly record = (change: ItemChange): void => {
    this.changes.push(change);
    for (const watcher of this.watchers) watcher(change);
  };

  /** Writes accepted since the last reset. */
  get count(): number {
    return this.changes.length;
  }

  /** Forgets the writes so far: what follows is counted from zero. */
  reset(): void {
    this.changes = [];
  }

  /** Calls `watcher` on each later write until the returned function is called. */
  watch(watcher: (change: ItemChange) => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  /**
   * Resolves with the performance.now() of the first later write for which `reached` answers true
   * (read at the write itself, not when the promise settles); rejects after `timeoutMs`, saying
   * `what` was awaited.
   */
  until(reached: (change: ItemChange) => boolean, what: string, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => {
        unwatch();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const unwatch = this.watch((change) => {
        if (!reached(change)) return;
        const at = performance.now();
        clearTimeout(deadline);
        unwatch();
        resolve(at);
      });
    });
  }

  /** The writes since the last reset by kind and operation, most frequent first. */
  breakdown(): WriteCount[] {
    const counts = new Map<string, WriteCount>();
    for (const change of this.changes) {
      const kind = kindKeyOfItem(change.newItem ?? change.oldItem);
      const operation = operationOf(change);
      const id = `${kind} ${operation}`;
      const entry = counts.get(id) ?? { kind, operation, count: 0 };
      entry.count += 1;
      counts.set(id, entry);
    }
    return [...counts.values()].sort((a, b) => b.count - a.count);
  }
}

/** `core/Pod`, from the item's kindKey attribute. */
export function kindKeyOfItem(item: Item | undefined): string {
  return item?.[TABLE.kindKey]?.S ?? '?';
}

/** Whether the change creates an item in `partitionKey` (`core/Pod#default`). */
export function isCreateIn(change: ItemChange, partitionKey: string): boolean {
  return change.oldItem === undefined && change.newItem?.[TABLE.partitionKey]?.S === partitionKey;
}

function operationOf(change: ItemChange): WriteOperation {
  if (!change.oldItem) return 'create';
  if (!change.newItem) return 'delete';
  const before = withoutStatus(change.oldItem);
  const after = withoutStatus(change.newItem);
  return before === after ? 'status' : 'update';
}

/** The item's body without status and resourceVersion, as JSON: equal for a status-only write. */
function withoutStatus(item: Item): string {
  const object = JSON.parse(bodyOf(item, BODY) ?? '{}') as { metadata?: object; status?: unknown };
  const { resourceVersion: _, ...metadata } = (object.metadata ?? {}) as { resourceVersion?: string };
  return JSON.stringify({ ...object, metadata, status: undefined });
}
