import { decodeObject } from '../../lib/kinds/decode';
import { PodKind } from '../../lib/kinds/pod';
import { ConflictError, NotFoundError } from '../../lib/store/errors';
import type { ObjectStore } from '../../lib/store/object-store';
import { partitionKeyOf } from '../../lib/store/object-item';
import { TABLE } from '../../lib/store/table-schema';
import { readyStatusOf } from '../../test/support/pod-agent';
import { isCreateIn, type WriteLog } from './write-log';

/** Status writes in flight at once, as a handful of node agents would send them. */
const CONCURRENCY = 8;

/**
 * Stands in for the node agents of a namespace: every Pod created there is reported Running and
 * Ready (Ready True since now, so available at once when minReadySeconds is 0) through
 * updateStatus, as a kubelet would. Pods are noticed from the write log, and handled off the
 * store's write path. A pod deleted before its turn is skipped.
 */
export class PodAgent {
  private readonly queue: string[] = [];
  private active = 0;
  private readonly unwatch: () => void;
  /** Pods reported ready so far. */
  readied = 0;

  constructor(
    private readonly store: ObjectStore,
    writes: WriteLog,
    private readonly namespace: string,
  ) {
    const partition = partitionKeyOf(PodKind, namespace);
    this.unwatch = writes.watch((change) => {
      if (!isCreateIn(change, partition)) return;
      this.queue.push(change.newItem?.[TABLE.sortKey]?.S ?? '');
      setImmediate(() => this.drain());
    });
  }

  stop(): void {
    this.unwatch();
  }

  private drain(): void {
    while (this.active < CONCURRENCY && this.queue.length > 0) {
      const name = this.queue.shift() ?? '';
      this.active += 1;
      void this.markReady(name)
        .catch((error: unknown) => console.error(`pod agent: ${name} not marked ready`, error))
        .finally(() => {
          this.active -= 1;
          this.drain();
        });
    }
  }

  private async markReady(name: string): Promise<void> {
    for (;;) {
      let pod;
      try {
        pod = await this.store.get(PodKind, this.namespace, name);
      } catch (error) {
        if (error instanceof NotFoundError) return;
        throw error;
      }
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const { object } = decodeObject(PodKind, { ...pod, status: readyStatusOf(pod, now) });
      try {
        await this.store.updateStatus(PodKind, object);
        this.readied += 1;
        return;
      } catch (error) {
        if (error instanceof NotFoundError) return;
        if (!(error instanceof ConflictError)) throw error;
      }
    }
  }
}
