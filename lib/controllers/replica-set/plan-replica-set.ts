import type { Pod } from '../../kinds/pod';
import type { ReplicaSet, ReplicaSetStatus } from '../../kinds/replica-set';
import { labelSelectorFromObject, matchesLabels } from '../../store/label-selector';
import { compareForDeletion, isActivePod } from './active-pods';
import { podFromTemplate, type PodManifest } from './pod-from-template';
import { secondsUntilAvailable } from './pod-readiness';
import { controllerRefOf, controllerRefTo } from './pod-ownership';
import { podNameForSlot } from './pod-slot-name';
import { computeReplicaSetStatus } from './replica-set-status';

/** kube's burstReplicas: at most this many pods are created or deleted in one round. */
export const BURST_REPLICAS = 500;

/** What one reconcile of a ReplicaSet should do; apply it with applyReplicaSetPlan. */
export interface ReplicaSetPlan {
  /** Pods to create, lowest free slots first. AlreadyExists means a previous round made them. */
  create: PodManifest[];
  /** Surplus pods to delete, the cheapest to lose first. */
  delete: Pod[];
  /** Orphans to take control of: copies carrying this ReplicaSet's controller reference. */
  adopt: Pod[];
  /** Pods this ReplicaSet controls that no longer match: copies without its reference. */
  release: Pod[];
  /** The status to report (before the ReplicaFailure condition, which depends on the creates). */
  status: ReplicaSetStatus;
  /** Look again when the first ready-but-not-yet-available pod becomes available. */
  requeueAfterSeconds?: number;
}

/**
 * Plans one round of a ReplicaSet, purely (style.md point 3), from every pod in its namespace:
 *
 * - claims pods as kube's PodControllerRefManager does: among active pods, those it controls stay
 *   claimed while they match its selector and are released when they stop matching; orphans that
 *   match are adopted; pods controlled by anything else are left alone;
 * - creates the missing pods in the lowest slots whose names (podNameForSlot) no pod in the
 *   namespace uses, so a replayed round plans the same names;
 * - deletes the surplus in kube's ActivePodsWithRanks order (compareForDeletion);
 * - computes the status from the claimed pods.
 *
 * @example planReplicaSet(rs, podsInNamespace, context.now())
 */
export function planReplicaSet(replicaSet: ReplicaSet, pods: readonly Pod[], now: Date): ReplicaSetPlan {
  const uid = replicaSet.metadata.uid ?? '';
  const selector = labelSelectorFromObject(replicaSet.spec.selector);
  const claimed: Pod[] = [];
  const adopt: Pod[] = [];
  const release: Pod[] = [];
  for (const pod of pods) {
    if (!isActivePod(pod)) continue;
    const controller = controllerRefOf(pod);
    const matches = matchesLabels(selector, pod.metadata.labels);
    if (controller?.uid === uid) {
      if (matches) claimed.push(pod);
      else release.push(withoutOwner(pod, uid));
    } else if (!controller && matches) {
      const adopted = withOwner(pod, replicaSet);
      adopt.push(adopted);
      claimed.push(adopted);
    }
  }

  const diff = claimed.length - replicaSet.spec.replicas;
  const create =
    diff < 0
      ? freeSlotNames(replicaSet, pods, Math.min(-diff, BURST_REPLICAS)).map((name) =>
          podFromTemplate(replicaSet, name),
        )
      : [];
  const surplus =
    diff > 0 ? [...claimed].sort(compareForDeletion).slice(0, Math.min(diff, BURST_REPLICAS)) : [];

  const minReadySeconds = replicaSet.spec.minReadySeconds ?? 0;
  const waits = claimed
    .map((pod) => secondsUntilAvailable(pod, minReadySeconds, now))
    .filter((seconds): seconds is number => seconds !== undefined && seconds > 0);
  return {
    create,
    delete: surplus,
    adopt,
    release,
    status: computeReplicaSetStatus(replicaSet, claimed, now),
    ...(waits.length > 0 ? { requeueAfterSeconds: Math.min(...waits) } : {}),
  };
}

/** The `count` lowest slots whose names no pod in the namespace has (finished or terminating ones included). */
function freeSlotNames(replicaSet: ReplicaSet, pods: readonly Pod[], count: number): string[] {
  const taken = new Set(pods.map((pod) => pod.metadata.name));
  const names: string[] = [];
  const identity = { name: replicaSet.metadata.name ?? '', uid: replicaSet.metadata.uid ?? '' };
  for (let slot = 0; names.length < count; slot++) {
    const name = podNameForSlot(identity, slot);
    if (taken.has(name)) continue;
    taken.add(name);
    names.push(name);
  }
  return names;
}

function withOwner(pod: Pod, replicaSet: ReplicaSet): Pod {
  const references = [...(pod.metadata.ownerReferences ?? []), controllerRefTo(replicaSet)];
  return { ...pod, metadata: { ...pod.metadata, ownerReferences: references } };
}

function withoutOwner(pod: Pod, uid: string): Pod {
  const { ownerReferences = [], ...metadata } = pod.metadata;
  const remaining = ownerReferences.filter((reference) => reference.uid !== uid);
  return { ...pod, metadata: remaining.length > 0 ? { ...metadata, ownerReferences: remaining } : metadata };
}
