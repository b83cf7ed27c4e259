import type { KubeClient, WatchEvent } from '../client/kube-client';
import type { Pod } from '../kinds/pod';

const PODS = { apiVersion: 'v1', plural: 'pods' } as const;
/** How long to wait before listing again after the watch failed (the API restarting). */
const RETRY_MS = 1_000;

/**
 * How an agent learns that its pods changed without holding a watch: on AWS, its node's pod change
 * marker (lib/store/node-pod-markers.ts), read every `pollMs`; the pods are listed again when the
 * count moved, and every `relistMs` whatever it says (a change the reconcile function failed to
 * count for good, after its retries, is picked up then).
 */
export interface PodChangeSignal {
  read(nodeName: string): Promise<number>;
  pollMs: number;
  relistMs: number;
}

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
 * Given a change signal, it lists again each time the signal moves instead of watching.
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
    private readonly changes?: PodChangeSignal,
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
        // Read before the list: a change counted after this read is listed again next round.
        const mark = await this.changes?.read(this.nodeName);
        const list = await this.client.list<Pod>(PODS, query);
        const seen = new Set(list.items.map((pod) => pod.metadata.uid ?? ''));
        for (const uid of this.known) if (!seen.has(uid)) this.handlers.remove(uid);
        this.known = seen;
        for (const pod of list.items) this.handlers.upsert(pod);
        this.markSynced();
        if (this.changes) {
          await this.untilChanged(this.changes, mark ?? 0);
          continue;
        }
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

  /** Resolves when the signal moved from `mark`, when a relist is due, or when stopped. */
  private async untilChanged(changes: PodChangeSignal, mark: number): Promise<void> {
    const relistAt = Date.now() + changes.relistMs;
    while (!this.abort.signal.aborted && Date.now() < relistAt) {
      await delay(changes.pollMs, this.abort.signal);
      if (this.abort.signal.aborted) return;
      if ((await changes.read(this.nodeName)) !== mark) return;
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
