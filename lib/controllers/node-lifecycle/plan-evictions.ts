import type { Taint } from '../../kinds/node';
import type { Pod } from '../../kinds/pod';
import type { Toleration } from '../../kinds/toleration';
import { tolerates } from '../../scheduling/selectors';
import { TAINT_NOT_READY, TAINT_UNREACHABLE } from './node-health';

/**
 * How long a pod tolerates `not-ready` and `unreachable` NoExecute taints unless it says otherwise:
 * kube's DefaultTolerationSeconds admission adds these tolerations to every pod; Skiff applies
 * them here instead, with kube-apiserver's defaults (--default-not-ready-toleration-seconds and
 * --default-unreachable-toleration-seconds), which the controller's options may change.
 */
export const DEFAULT_TOLERATION_SECONDS = 300;

export interface EvictionPlan {
  /** Pods whose toleration time has run out: delete them now. */
  evict: Pod[];
  /** Seconds until the next pod's toleration runs out, when one will. */
  nextInSeconds?: number;
}

/**
 * kube's taint-eviction controller for the pods bound to one node: a pod that does not tolerate
 * every NoExecute taint goes at once; one that does goes when the shortest tolerationSeconds of
 * the tolerations used has passed since the earliest NoExecute taint was added; with no
 * tolerationSeconds it stays. Pods already being deleted are left alone. Every pod counts,
 * whether or not a controller owns it: kube deletes bare pods too (nothing replaces them).
 */
export function planEvictions(
  taints: readonly Taint[],
  pods: readonly Pod[],
  now: Date,
  defaultTolerationSeconds = DEFAULT_TOLERATION_SECONDS,
): EvictionPlan {
  const noExecute = taints.filter((taint) => taint.effect === 'NoExecute');
  if (noExecute.length === 0) return { evict: [] };
  const since = Math.min(...noExecute.map((taint) => addedAt(taint, now)));
  const evict: Pod[] = [];
  let next: number | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const seconds = toleratedSeconds(
      noExecute,
      withDefaultTolerations(pod.spec.tolerations ?? [], defaultTolerationSeconds),
    );
    if (seconds === Infinity) continue;
    const due = since + seconds * 1000;
    if (due <= now.getTime()) evict.push(pod);
    else next = Math.min(next ?? Infinity, due - now.getTime());
  }
  return { evict, ...(next === undefined ? {} : { nextInSeconds: Math.ceil(next / 1000) }) };
}

/**
 * How long the tolerations keep the pod against these taints (kube's getMinTolerationTime over
 * the first toleration matching each taint): 0 when a taint is not tolerated, Infinity when no
 * toleration used sets tolerationSeconds.
 */
function toleratedSeconds(taints: readonly Taint[], tolerations: readonly Toleration[]): number {
  let seconds = Infinity;
  for (const taint of taints) {
    const used = tolerations.find((toleration) => tolerates(asModel(toleration), taint));
    if (!used) return 0;
    if (used.tolerationSeconds !== undefined)
      seconds = Math.min(seconds, Math.max(0, used.tolerationSeconds));
  }
  return seconds;
}

/**
 * The pod's tolerations plus the two DefaultTolerationSeconds adds, each unless the pod already
 * has a toleration for that key (or every key) and NoExecute (or every effect).
 */
function withDefaultTolerations(tolerations: readonly Toleration[], seconds: number): Toleration[] {
  const covers = (key: string) =>
    tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
  const defaults = [TAINT_NOT_READY, TAINT_UNREACHABLE]
    .filter((key) => !covers(key))
    .map((key) => ({
      key,
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: seconds,
    }));
  return [...tolerations, ...defaults];
}

/** The kind's Toleration in the scheduler model's shape (the operator was validated as one of the two). */
function asModel(toleration: Toleration) {
  return { ...toleration, operator: toleration.operator as 'Exists' | 'Equal' | undefined };
}

function addedAt(taint: Taint, now: Date): number {
  return taint.timeAdded ? new Date(taint.timeAdded).getTime() : now.getTime();
}
