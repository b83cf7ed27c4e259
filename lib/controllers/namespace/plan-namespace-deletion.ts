import type { KindInfo } from '../../kinds/kind-info';
import type { KubeObject } from '../../kinds/meta';

/** The finalizer in a Namespace's spec.finalizers that the namespace controller owns. */
export const NAMESPACE_FINALIZER = 'kubernetes';

/** Seconds between looks at a namespace whose contents are only marked (their finalizers still run). */
export const CONTENT_RECHECK_SECONDS = 5;

/** An object still stored in a terminating namespace. */
export interface NamespaceContent {
  kind: KindInfo;
  object: KubeObject;
}

export interface NamespaceDeletionPlan {
  /** status.phase is not yet Terminating. */
  markTerminating: boolean;
  /** Contents not yet marked for deletion. */
  delete: NamespaceContent[];
  /** Nothing is left: drop the `kubernetes` finalizer so the store removes the namespace. */
  finalize: boolean;
  requeueAfterSeconds?: number;
}

const NOTHING: NamespaceDeletionPlan = { markTerminating: false, delete: [], finalize: false };

/**
 * What the namespace controller does for one namespace, from what is stored (pure, table-tested).
 * A namespace not being deleted needs nothing. A deleted one shows Terminating, has every object
 * in it deleted, and — only once nothing is left — loses its `kubernetes` finalizer. Objects with
 * finalizers are only marked by a delete, so while anything remains it is looked at again later.
 *
 * @example planNamespaceDeletion(terminatingNamespace, []) // { finalize: true, ... }
 */
export function planNamespaceDeletion(
  namespace: KubeObject | undefined,
  contents: readonly NamespaceContent[],
): NamespaceDeletionPlan {
  if (!namespace?.metadata.deletionTimestamp) return NOTHING;
  const phase = (namespace.status as { phase?: string } | undefined)?.phase;
  const finalizers = specFinalizers(namespace);
  const empty = contents.length === 0;
  return {
    markTerminating: phase !== 'Terminating',
    delete: contents.filter((c) => !c.object.metadata.deletionTimestamp),
    finalize: empty && finalizers.includes(NAMESPACE_FINALIZER),
    ...(empty ? {} : { requeueAfterSeconds: CONTENT_RECHECK_SECONDS }),
  };
}

/** A Namespace's spec.finalizers (absent counts as none: the store defaulted it at create). */
export function specFinalizers(namespace: KubeObject): string[] {
  const finalizers = (namespace.spec as { finalizers?: string[] } | undefined)?.finalizers;
  return finalizers ?? [];
}
