import type { KindInfo } from '../../kinds/kind-info';
import type { KubeObject } from '../../kinds/meta';
import { hasCollector } from './collected-kinds';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from './finalizers';
import { waitsOnlyOnCycle } from './foreground-cycle';
import { ownerReferencesOf, refersTo } from './owner-references';

export { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from './finalizers';

/** Seconds between looks at an owner whose foreground deletion waits for marked dependents. */
export const FOREGROUND_RECHECK_SECONDS = 5;

/** A stored object and its kind: a dependent when it names the owner in its ownerReferences. */
export interface Dependent {
  kind: KindInfo;
  object: KubeObject;
}

export type CollectionAction =
  | { type: 'deleteDependent'; dependent: Dependent; propagationPolicy: 'Background' | 'Foreground' }
  | { type: 'removeOwnerReferences'; dependent: Dependent; uids: readonly string[] }
  | { type: 'removeFinalizer'; finalizer: typeof FOREGROUND_FINALIZER | typeof ORPHAN_FINALIZER };

export interface CollectionPlan {
  /** In order: a finalizer is removed only after the dependents' actions before it succeeded. */
  actions: CollectionAction[];
  requeueAfterSeconds?: number;
}

/** Who is being collected: the owner's kind and name, and the owner as stored (undefined once gone). */
export interface CollectionInput {
  ownerKind: KindInfo;
  ownerName: string;
  owner: KubeObject | undefined;
  /**
   * The objects within the owner's reach (of the dependent kinds, in its namespace, or anywhere for
   * a cluster-scoped owner). Those naming an owner of its kind and name (any uid) are its
   * dependents; the rest tell whether a foreground deletion waits on a cycle.
   */
  objects: readonly Dependent[];
}

/**
 * What the garbage collector does for one owner (pure, table-tested):
 *
 * - A reference whose uid is not the stored owner's is dangling (the owner is gone, or was
 *   recreated under the same name): a dependent with no other owner is deleted (Background); one
 *   that has other owners only loses the dangling reference. A recreated owner's own dependents
 *   carry its new uid and are left alone.
 * - An owner being deleted with the `orphan` finalizer: its dependents lose their reference to it,
 *   then the finalizer goes.
 * - An owner being deleted with `foregroundDeletion`: its dependents are deleted (Foreground when
 *   they block the owner's deletion, so their own dependents go first, if they have a collector to
 *   finish that). Only blocking dependents (`blockOwnerDeletion: true`) hold the owner, as in kube:
 *   once none is left, or those left only wait in the foreground on a cycle back to the owner (see
 *   waitsOnlyOnCycle), the finalizer goes and the store removes the owner.
 */
export function planCollection(input: CollectionInput): CollectionPlan {
  const { owner } = input;
  const ownerUid = owner?.metadata.uid;
  const actions: CollectionAction[] = [];
  const owned: Dependent[] = [];
  for (const dependent of input.objects) {
    const refs = ownerReferencesOf(dependent.object).filter((r) =>
      refersTo(r, input.ownerKind, input.ownerName),
    );
    if (refs.some((r) => r.uid === ownerUid)) owned.push(dependent);
    const dangling = refs.filter((r) => r.uid !== ownerUid).map((r) => r.uid);
    if (dangling.length > 0) actions.push(...collectDangling(dependent, dangling));
  }
  if (!owner?.metadata.deletionTimestamp) return { actions };
  const finalizers = owner.metadata.finalizers ?? [];
  if (finalizers.includes(ORPHAN_FINALIZER)) {
    for (const dependent of owned)
      actions.push({ type: 'removeOwnerReferences', dependent, uids: [ownerUid ?? ''] });
    actions.push({ type: 'removeFinalizer', finalizer: ORPHAN_FINALIZER });
    return { actions };
  }
  if (finalizers.includes(FOREGROUND_FINALIZER)) {
    for (const dependent of owned)
      if (!dependent.object.metadata.deletionTimestamp)
        actions.push({
          type: 'deleteDependent',
          dependent,
          propagationPolicy:
            blocksOwner(dependent, ownerUid) && hasCollector(dependent.kind) ? 'Foreground' : 'Background',
        });
    const blocking = owned.filter((dependent) => blocksOwner(dependent, ownerUid));
    const objects = input.objects.map((o) => o.object);
    if (blocking.length > 0 && !waitsOnlyOnCycle(owner, objects))
      return { actions, requeueAfterSeconds: FOREGROUND_RECHECK_SECONDS };
    actions.push({ type: 'removeFinalizer', finalizer: FOREGROUND_FINALIZER });
    return { actions };
  }
  return { actions };
}

/**
 * What to do with a dependent some of whose owner references (`dangling`, by uid) name owners that
 * no longer exist: delete it when no owner is left, else only drop those references (kube's
 * attemptToDeleteItem). A dependent already being deleted needs nothing more.
 */
export function collectDangling(dependent: Dependent, dangling: readonly string[]): CollectionAction[] {
  const solid = ownerReferencesOf(dependent.object).filter((r) => !dangling.includes(r.uid));
  if (solid.length > 0) return [{ type: 'removeOwnerReferences', dependent, uids: dangling }];
  if (dependent.object.metadata.deletionTimestamp) return [];
  return [{ type: 'deleteDependent', dependent, propagationPolicy: 'Background' }];
}

function blocksOwner(dependent: Dependent, ownerUid: string | undefined): boolean {
  return ownerReferencesOf(dependent.object).some((r) => r.uid === ownerUid && r.blockOwnerDeletion === true);
}
