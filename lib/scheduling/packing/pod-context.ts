import { LABELS, type PendingPod } from '../model';
import type { PodTopology } from '../topology';
import type { Needs } from './offering-menu';

/** What one pod's checks share, worked out once per pod: its topology checks, its needs and its node selection. */
export interface PodContext {
  topology: PodTopology;
  /** Its requests plus the node overhead. */
  needs: Needs;
  /** Its node selection, if it has one. */
  selection?: Selection;
}

/** A pod's nodeSelector and required node affinity as a signature, to share narrowed menus. */
export interface Selection {
  signature: string;
  /** Whether it names the hostname, which differs from claim to claim. */
  byHostname: boolean;
}

/** The pod's node selection as a Selection, or undefined when it has none. */
export function selectionOf(pod: PendingPod): Selection | undefined {
  if (pod.nodeSelector === undefined && (pod.nodeAffinity?.length ?? 0) === 0) return undefined;
  const signature = JSON.stringify([pod.nodeSelector ?? {}, pod.nodeAffinity ?? []]);
  const byHostname =
    (pod.nodeSelector !== undefined && LABELS.hostname in pod.nodeSelector) ||
    (pod.nodeAffinity ?? []).some((term) => term.some((requirement) => requirement.key === LABELS.hostname));
  return { signature, byHostname };
}
