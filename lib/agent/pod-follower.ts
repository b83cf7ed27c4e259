import type { KubeClient, WatchEvent } from '../client/kube-client';
import type { Pod } from '../kinds/pod';

const PODS = { apiVersion: 'v1', plural: 'pods' } as const;
/** How long to wait before listing again after the watch failed (the API restarting). */
const RETRY_MS = 1_000;

export interface PodFollowerHandlers {
  /** The pod as it is now (added or changed). */
  upsert(pod: Pod): void;
  /** The pod is gone from this node (deleted, or its uid replaced). */
  remove(uid: string): void;
  logError(message: string, error: unknown): void;
}

/**
 * Follows the pods bound to one node as the kubelet's informer does: a list by
 * `spec.nodeName=<node>`, then a watch from the list's resourceVersion. When the watch ends or is
 * too old (410 Gone) it lists again and reconciles: pods missing from the new list are removed.
 */
export class PodFollower {
  private readonly abort = new AbortController();
  private known = new Set<string>();
  private running: Promise<void> | undefined;
  /** Resolves once the first list has been handed over (the agent's startup waits for it). */
  readonly synced: Promise<void>;
  private markSynced!: () => void;

  constructor(
    private readonly client: KubeClient,
    private readonly nodeName: string,
    private readonly handlers: PodFollowerHandlers,
  ) {
    this.synced = new Promise((resolve) => (this.markSynced = resolve));
  }

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    const query = { fieldSelector: `spec.nodeName=${this.nodeName}` };
    while (!this.abort.signal.aborted) {
      try {
        const list = await this.client.list<Pod>(PODS, query);
        const seen = new Set(list.items.map((pod) => pod.metadata.uid ?? ''));
        for (const uid of this.known) if (!seen.has(uid)) this.handlers.remove(uid);
        this.known = seen;
        for (const pod of list.items) this.handlers.upsert(pod);
        this.markSynced();
        await this.client.watch<Pod>(
          PODS,
          { ...query, resourceVersion: list.metadata.resourceVersion },
          (event) => this.onEvent(event),
          this.abort.signal,
        );
      } catch (error) {
        if (this.abort.signal.aborted) return;
        if (error instanceof WatchExpired) continue; // too old: list again at once
        this.handlers.logError(`following the pods of node ${this.nodeName}`, error);
        await delay(RETRY_MS, this.abort.signal);
      }
    }
  }

  private onEvent(event: WatchEvent<Pod>): void {
    if (event.type === 'BOOKMARK') return;
    if (event.type === 'ERROR') throw new WatchExpired(JSON.stringify(event.object));
    const uid = event.object.metadata.uid ?? '';
    if (event.type === 'DELETED') {
      this.known.delete(uid);
      this.handlers.remove(uid);
      return;
    }
    this.known.add(uid);
    this.handlers.upsert(event.object);
  }
}

/** The watch answered an ERROR event (410 Gone: its resourceVersion is too old). */
class WatchExpired extends Error {}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
