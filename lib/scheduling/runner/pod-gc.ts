import type { EventRecorder } from '../../controllers/event-recorder';
import type { KubeObject } from '../../kinds/meta';
import { PodKind, type Pod } from '../../kinds/pod';
import type { ObjectStore } from '../../store/object-store';
import { isDeleting, type ClusterState } from './cluster-state';
import { unlessChanged } from './concurrent-change';

/** How long a pod bound to a missing node is left alone, as kube's PodGC quarantines it. */
export const ORPHAN_POD_GRACE_MS = 40_000;

/** kube's taint for a node shut down for good: its terminating pods are force-deleted. */
export const TAINT_OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';

export interface PodGcDeps {
  store: ObjectStore;
  events: EventRecorder;
  now: () => Date;
}

export interface CollectedPods {
  /** Pods bound to a node that no longer exists (kube's gcOrphaned). */
  orphaned: string[];
  /** Terminating pods whose node's agent cannot finish them (gcTerminating). */
  terminating: string[];
}

/**
 * kube's PodGC for the pods nothing else will remove, each force-deleted (grace 0) as no node
 * agent is left to finish a graceful deletion:
 * - pods bound to a node that does not exist (and has no live claim), once bound for longer than
 *   the quarantine (none when the claim is being deleted: that node is not coming back);
 * - terminating pods on a node whose Ready condition is not True, when the node carries the
 *   out-of-service taint (kube's rule), or when its agent is silent (Ready Unknown) and the pod's
 *   grace ran out: no agent will stop the pod and delete it. kube leaves those Terminating until the
 *   node goes; Skiff lets them go so the node's claim and the pods' replacements are not held.
 */
export async function collectPods(state: ClusterState, deps: PodGcDeps): Promise<CollectedPods> {
  const collected: CollectedPods = { orphaned: [], terminating: [] };
  const now = deps.now().getTime();
  for (const [nodeName, pods] of state.podsByNode) {
    const node = state.nodes.get(nodeName);
    if (node) {
      for (const pod of pods.filter((p) => isDeleting(p) && agentCannotFinish(node, p, now)))
        if (await forceDelete(pod, deps)) collected.terminating.push(keyOf(pod));
      continue;
    }
    const claim = state.claims.get(nodeName);
    if (claim && !isDeleting(claim)) continue;
    const grace = claim ? 0 : ORPHAN_POD_GRACE_MS;
    for (const pod of pods) {
      const scheduled = (pod.status.conditions ?? []).find((c) => c.type === 'PodScheduled');
      const since = Date.parse(scheduled?.lastTransitionTime ?? pod.metadata.creationTimestamp ?? '');
      if (Number.isFinite(since) && now - since < grace) continue;
      if (!(await forceDelete(pod, deps))) continue;
      await deps.events.record(
        pod,
        'Normal',
        'NodeDeleted',
        `Deleting pod: its node ${nodeName} no longer exists`,
      );
      collected.orphaned.push(keyOf(pod));
    }
  }
  return collected;
}

interface NodeShape {
  spec?: { taints?: { key: string; effect?: string }[] };
  status?: { conditions?: { type: string; status: string }[] };
}

/** Whether a terminating pod's node has no agent left to finish it (see collectPods). */
function agentCannotFinish(node: KubeObject, pod: Pod, now: number): boolean {
  const { spec, status } = node as KubeObject & NodeShape;
  const ready = status?.conditions?.find((c) => c.type === 'Ready')?.status;
  if (ready === 'True') return false;
  if ((spec?.taints ?? []).some((taint) => taint.key === TAINT_OUT_OF_SERVICE)) return true;
  const graceEnds = Date.parse(pod.metadata.deletionTimestamp ?? '');
  return ready !== 'False' && Number.isFinite(graceEnds) && now >= graceEnds;
}

/** Deletes the pod with grace 0, if it is still the one read. */
function forceDelete(pod: Pod, deps: PodGcDeps): Promise<boolean> {
  return unlessChanged(() =>
    deps.store.delete(PodKind, pod.metadata.namespace, pod.metadata.name ?? '', {
      gracePeriodSeconds: 0,
      preconditions: { uid: pod.metadata.uid },
    }),
  );
}

function keyOf(pod: Pod): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}
