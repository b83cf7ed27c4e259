import type { KubeClient } from '../../lib/client/kube-client';
import type { Pod } from '../../lib/kinds/pod';

/**
 * Follows a set of pods through a watch and remembers, per pod, when it was first seen (its
 * creation, as a client learns of it) and when it was first seen Ready: the pod startup latency
 * Kubernetes' SLO measures. Also keeps each pod's latest state, for "how many are Ready now".
 */
export class PodTimeline {
  private readonly created = new Map<string, number>();
  private readonly ready = new Map<string, number>();
  private readonly current = new Map<string, Pod>();
  private readonly abort = new AbortController();

  private constructor() {}

  /** Starts following the pods of `namespace` with `labelSelector`, from a list of them now. */
  static async follow(client: KubeClient, namespace: string, labelSelector: string): Promise<PodTimeline> {
    const timeline = new PodTimeline();
    const ref = { apiVersion: 'v1', plural: 'pods', namespace };
    const list = await client.list<Pod>(ref, { labelSelector });
    for (const pod of list.items) timeline.observe('ADDED', pod);
    void client
      .watch<Pod>(
        ref,
        { labelSelector, resourceVersion: list.metadata.resourceVersion },
        (event) => {
          if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED')
            timeline.observe(event.type, event.object);
        },
        timeline.abort.signal,
      )
      .catch((error: unknown) => {
        if (!timeline.abort.signal.aborted) console.error('pod watch failed', error);
      });
    return timeline;
  }

  stop(): void {
    this.abort.abort();
  }

  /** Pods not being deleted whose Ready condition is True now. */
  readyPods(): Pod[] {
    return [...this.current.values()].filter((pod) => !pod.metadata.deletionTimestamp && isReady(pod));
  }

  readyCount(): number {
    return this.readyPods().length;
  }

  /** Milliseconds from first sight to first Ready, for every pod that has been Ready. */
  startupLatencies(): number[] {
    return [...this.ready].map(([uid, at]) => at - (this.created.get(uid) ?? at));
  }

  private observe(type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    const now = Date.now();
    if (type === 'DELETED') {
      this.current.delete(uid);
      return;
    }
    if (!this.created.has(uid)) this.created.set(uid, now);
    if (isReady(pod) && !this.ready.has(uid)) this.ready.set(uid, now);
    this.current.set(uid, pod);
  }
}

function isReady(pod: Pod): boolean {
  return pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}
