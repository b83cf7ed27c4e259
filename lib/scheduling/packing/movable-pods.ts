import { LABELS, type LabelSelector, type PendingPod } from '../model';
import { selectorSignature, selects } from '../selectors';
import { termNamespaces } from '../topology';

/**
 * The pending pods a repacking (./repack.ts) may move between the claims a plan creates in one
 * pool and zone: those that nothing but their requests ties to a node. A pod qualifies when it
 * has no node selection, no required inter-pod term and no DoNotSchedule spread of its own, and
 * no pending pod's hostname term (required affinity, anti-affinity, DoNotSchedule spread) counts
 * it, since moving it would change that count on some node. Zone terms hold as they were: pods
 * move only within their zone.
 */
export function movablePods(pending: readonly PendingPod[]): Set<PendingPod> {
  const counters = hostnameSelectors(pending);
  const movable = new Set<PendingPod>();
  for (const pod of pending) {
    if (pod.nodeSelector !== undefined || (pod.nodeAffinity?.length ?? 0) > 0) continue;
    if ((pod.podAffinity?.length ?? 0) > 0 || (pod.podAntiAffinity?.length ?? 0) > 0) continue;
    if ((pod.topologySpread ?? []).some((constraint) => constraint.whenUnsatisfiable === 'DoNotSchedule'))
      continue;
    const counted = counters.some(
      ({ selector, namespaces }) => namespaces.includes(pod.namespace) && selects(selector, pod.labels),
    );
    if (!counted) movable.add(pod);
  }
  return movable;
}

interface Counter {
  selector: LabelSelector | undefined;
  namespaces: readonly string[];
}

/** The distinct selectors, with their namespaces, of the pending pods' hostname terms. */
function hostnameSelectors(pending: readonly PendingPod[]): Counter[] {
  const distinct = new Map<string, Counter>();
  const note = (selector: LabelSelector | undefined, namespaces: readonly string[]) => {
    const signature = selectorSignature(selector, namespaces);
    if (!distinct.has(signature)) distinct.set(signature, { selector, namespaces });
  };
  for (const pod of pending) {
    for (const term of [...(pod.podAffinity ?? []), ...(pod.podAntiAffinity ?? [])])
      if (term.topologyKey === LABELS.hostname) note(term.labelSelector, termNamespaces(term, pod.namespace));
    for (const constraint of pod.topologySpread ?? [])
      if (constraint.topologyKey === LABELS.hostname && constraint.whenUnsatisfiable === 'DoNotSchedule')
        note(constraint.labelSelector, [pod.namespace]);
  }
  return [...distinct.values()];
}
