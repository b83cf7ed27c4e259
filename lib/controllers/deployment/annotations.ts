/**
 * The labels and annotations a Deployment and its ReplicaSets carry. The `deployment.kubernetes.io`
 * ones are Kubernetes' own, so kubectl's `rollout history` and `rollout undo` read them unchanged;
 * the `skiff.dev` ones are Skiff's additions (automatic rollback).
 */

/** Added to a ReplicaSet's selector, its labels and its pods' labels so sibling ReplicaSets never overlap. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** The rollout revision, on each ReplicaSet and (that of the newest) on the Deployment. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

/** spec.replicas of the Deployment when this ReplicaSet was last scaled: a change means a scaling event. */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';

/** replicas + maxSurge when this ReplicaSet was last scaled, for proportional scaling. */
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';

/** Opt-in, on the Deployment: `"true"` rolls back to the last good revision when the deadline passes. */
export const AUTO_ROLLBACK_ANNOTATION = 'skiff.dev/auto-rollback';

/** Set to `"true"` on a ReplicaSet once its revision became fully available: a good rollback target. */
export const AVAILABLE_ANNOTATION = 'skiff.dev/available';

/** The revisions a ReplicaSet had before a rollback gave it a new one, comma separated. */
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';

/** kube's limit on the revision history annotation (sync.go's maxRevHistoryLengthInChars). */
const REVISION_HISTORY_MAX_CHARS = 2000;

/**
 * The Deployment's annotations kube does not copy to its ReplicaSets (deployment_util.go's
 * annotationsToSkip): kubectl's last applied configuration and the controller's own bookkeeping.
 */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

/**
 * The Deployment's annotations as its new ReplicaSet carries them (kube's
 * copyDeploymentAnnotationsToReplicaSet): every one but those kube skips, so that
 * `kubernetes.io/change-cause` reaches `kubectl rollout history`.
 */
export function annotationsCopiedFrom(
  deploymentAnnotations: Record<string, string> | undefined,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(deploymentAnnotations ?? {}).filter(([key]) => !NOT_COPIED.has(key)),
  );
}

/**
 * The revision history after a ReplicaSet's revision `old` gives way to a newer one (a rollback
 * reusing it), as kube's SetNewReplicaSetAnnotations keeps it: the oldest dropped first once the
 * list would pass 2,000 characters.
 */
export function revisionHistoryWith(history: string | undefined, old: string): string {
  const revisions = history ? history.split(',') : [];
  let length = (history ?? '').length + old.length + 1;
  let start = 0;
  while (length > REVISION_HISTORY_MAX_CHARS && start < revisions.length)
    length -= revisions[start++].length + 1;
  return [...revisions.slice(start), old].join(',');
}
