import { createHash } from 'node:crypto';
import type { KubeObject } from '../../kinds/meta';

/**
 * Karpenter sets a claim's status.lastPodEventTime when a pod is bound to its node or leaves it
 * (consolidateAfter counts from it). Skiff reconciles at the level, not from events, so the
 * controller keeps a digest of the pods on the node in this annotation and moves the time when
 * the digest changes: a pod bound, finished or being deleted changes it; a pod's status updates
 * do not.
 */
export const PODS_DIGEST_ANNOTATION = 'skiff.dev/pods-digest';

/**
 * A short digest of the pods that hold a place on the node: bound, not finished (Succeeded or
 * Failed) and not being deleted. Order-free: the same pods give the same digest.
 */
export function podsDigest(pods: readonly KubeObject[]): string {
  const keys = pods
    .filter((pod) => !isTerminal(pod) && pod.metadata.deletionTimestamp === undefined)
    .map((pod) => `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}/${pod.metadata.uid ?? ''}`)
    .sort();
  return createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 16);
}

/** The digest of a node with no pods: what a claim without the annotation is taken to have had. */
export const EMPTY_PODS_DIGEST = podsDigest([]);

function isTerminal(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}
