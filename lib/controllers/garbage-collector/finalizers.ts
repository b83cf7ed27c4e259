import type { KubeObject } from '../../kinds/meta';

/** The finalizers kube-apiserver adds for the Foreground and Orphan propagation policies. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

/** Whether `object` is being deleted in the foreground: it waits for its blocking dependents. */
export function isDeletingDependents(object: KubeObject): boolean {
  return (
    object.metadata.deletionTimestamp !== undefined &&
    (object.metadata.finalizers ?? []).includes(FOREGROUND_FINALIZER)
  );
}
