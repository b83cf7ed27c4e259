import type { Pod } from '../../kinds/pod';
import { isPodReady } from './pod-readiness';

/**
 * Whether a pod counts toward a ReplicaSet's replicas (kube's IsPodActive): not finished and not
 * already being deleted. Inactive pods are neither counted nor deleted again.
 */
export function isActivePod(pod: Pod): boolean {
  const phase = pod.status.phase;
  return !pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * Orders pods so that the ones to delete first come first, as kube's ActivePodsWithRanks does when
 * scaling down: unscheduled before scheduled, then Pending before Unknown before Running, then not
 * ready before ready, then the most recently created; the name breaks remaining ties so the choice
 * is the same on every replay. Losing the pods that have done the least work costs the least.
 *
 * @example pods.sort(compareForDeletion).slice(0, surplus)
 */
export function compareForDeletion(a: Pod, b: Pod): number {
  return (
    Number(Boolean(a.spec.nodeName)) - Number(Boolean(b.spec.nodeName)) ||
    (PHASE_ORDER[a.status.phase ?? 'Pending'] ?? 0) - (PHASE_ORDER[b.status.phase ?? 'Pending'] ?? 0) ||
    Number(isPodReady(a)) - Number(isPodReady(b)) ||
    createdAt(b) - createdAt(a) ||
    (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')
  );
}

function createdAt(pod: Pod): number {
  const time = pod.metadata.creationTimestamp ? Date.parse(pod.metadata.creationTimestamp) : NaN;
  return Number.isNaN(time) ? 0 : time;
}
