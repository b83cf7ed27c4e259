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
