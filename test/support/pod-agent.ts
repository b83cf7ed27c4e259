import type { KubeObject } from '../../lib/kinds/meta';
import { PodKind } from '../../lib/kinds/pod';
import { ConflictError, NotFoundError } from '../../lib/store/errors';
import type { ObjectStore } from '../../lib/store/object-store';

/** Which pods the agent starts: by namespace, and optionally by labels and image. */
export interface PodFilter {
  namespace: string;
  /** Every one of these labels, with these values. */
  labels?: Record<string, string>;
  /** Some container runs this image. */
  image?: string;
}

interface PodShape {
  spec: { nodeName?: string; containers: { name: string; image?: string }[] };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

/** Whether the pod's Ready condition is True (the agent's own reading, independent of lib). */
export function isReady(pod: KubeObject): boolean {
  const { status } = pod as KubeObject & PodShape;
  return status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Whether a pod counts: not being deleted and not finished (kube's IsPodActive). */
export function isActive(pod: KubeObject): boolean {
  const phase = (pod as KubeObject & PodShape).status?.phase;
  return !pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

/** The image of the pod's first container. */
export function imageOf(pod: KubeObject): string | undefined {
  return (pod as KubeObject & PodShape).spec.containers[0]?.image;
}

function selects(filter: PodFilter, pod: KubeObject): boolean {
  const labels = pod.metadata.labels ?? {};
  return (
    Object.entries(filter.labels ?? {}).every(([key, value]) => labels[key] === value) &&
    (filter.image === undefined ||
      (pod as KubeObject & PodShape).spec.containers.some((c) => c.image === filter.image))
  );
}

/**
 * Plays the node agent for tests: every active, not yet ready pod the filter selects is reported
 * Running and Ready (Ready and ContainersReady True since now, every container running and ready),
 * as the agent's status write would, and every selected pod being deleted from its node is
 * removed (finishPodDeletions). A pod that moved or went away meanwhile is skipped: the next
 * call sees it afresh. Answers how many pods it marked.
 *
 * @example await markPodsReady(store, { namespace: 'default', image: 'nginx:1.28' })
 */
export async function markPodsReady(store: ObjectStore, filter: PodFilter): Promise<number> {
  const { items } = await store.list(PodKind, { namespace: filter.namespace });
  const selected = items.filter((pod) => selects(filter, pod));
  await Promise.all(selected.filter(isStopping).map((pod) => finishDeletion(store, pod)));
  const starting = selected.filter((pod) => isActive(pod) && !isReady(pod));
  const marked = await Promise.all(starting.map((pod) => markReady(store, pod)));
  return marked.filter(Boolean).length;
}

/**
 * Plays the node agent's side of graceful deletion: every pod the filter selects that is bound to
 * a node and marked for deletion is deleted with grace 0, as the kubelet does once it has stopped
 * the pod's containers. Answers how many it deleted.
 */
export async function finishPodDeletions(store: ObjectStore, filter: PodFilter): Promise<number> {
  const { items } = await store.list(PodKind, { namespace: filter.namespace });
  const stopping = items.filter((pod) => isStopping(pod) && selects(filter, pod));
  const deleted = await Promise.all(stopping.map((pod) => finishDeletion(store, pod)));
  return deleted.filter(Boolean).length;
}

/** A pod a node runs that is being deleted gracefully: the agent stops it and removes it. */
function isStopping(pod: KubeObject): boolean {
  const { spec } = pod as KubeObject & PodShape;
  return Boolean(pod.metadata.deletionTimestamp && spec.nodeName);
}

async function finishDeletion(store: ObjectStore, pod: KubeObject): Promise<boolean> {
  try {
    await store.delete(PodKind, pod.metadata.namespace, pod.metadata.name ?? '', {
      gracePeriodSeconds: 0,
      preconditions: { uid: pod.metadata.uid },
    });
    return true;
  } catch (error) {
    if (error instanceof ConflictError || error instanceof NotFoundError) return false;
    throw error;
  }
}

/**
 * The status a node agent reports for a pod whose containers all started and passed readiness:
 * Running, with PodScheduled, Initialized, ContainersReady and Ready True since `now`.
 */
export function readyStatusOf(pod: KubeObject, now: string) {
  const { spec } = pod as KubeObject & PodShape;
  const condition = (type: string) => ({ type, status: 'True', lastTransitionTime: now });
  return {
    phase: 'Running',
    startTime: now,
    conditions: [
      condition('PodScheduled'),
      condition('Initialized'),
      condition('ContainersReady'),
      condition('Ready'),
    ],
    containerStatuses: spec.containers.map((container) => ({
      name: container.name,
      image: container.image ?? '',
      imageID: '',
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: now } },
    })),
  };
}

async function markReady(store: ObjectStore, pod: KubeObject): Promise<boolean> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  try {
    await store.updateStatus(PodKind, { ...pod, status: readyStatusOf(pod, now) });
    return true;
  } catch (error) {
    if (error instanceof ConflictError || error instanceof NotFoundError) return false;
    throw error;
  }
}
