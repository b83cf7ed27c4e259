import type { KubeObject } from '../../kinds/meta';
import { isDeletingDependents } from './finalizers';
import { ownerReferencesOf } from './owner-references';

/**
 * Whether `owner`, being deleted in the foreground, waits only on a cycle of objects that all wait
 * in the foreground too: everything reachable from it along blocking ownerReferences (a dependent
 * whose reference has `blockOwnerDeletion: true` holds its owner) is itself deleting its dependents
 * and still held by one of them, so the waiting leads only back into itself. Nothing there can
 * finish by waiting, and kube's garbage collector breaks such dependency cycles: a Pod that owns
 * itself, or two Pods that own each other, deleted in the foreground, would otherwise keep
 * `foregroundDeletion` (and their namespace Terminating) forever.
 *
 * A chain that is still moving is no cycle: while something in reach is not yet being deleted (its
 * owner's collector deletes it), is held only by other finalizers, or has no blocking dependent left
 * (its own collector lets it go), the owner keeps waiting.
 *
 * `objects` are those within the owner's reach (its namespace; every namespace and the
 * cluster-scoped kinds for a cluster-scoped owner). That holds the dependents of everything in
 * reach too: a namespaced object's dependents share its namespace.
 *
 * @example
 * // a and b own each other (blocking) and both wait in the foreground
 * waitsOnlyOnCycle(a, [a, b]) // true
 */
export function waitsOnlyOnCycle(owner: KubeObject, objects: readonly KubeObject[]): boolean {
  const blockersOf = blockingDependentsByOwnerUid(objects);
  const seen = new Set<string>([owner.metadata.uid ?? '']);
  const toVisit = [owner];
  for (let next = toVisit.pop(); next; next = toVisit.pop()) {
    const blockers = blockersOf.get(next.metadata.uid ?? '') ?? [];
    if (blockers.length === 0) return false;
    for (const blocker of blockers) {
      if (!isDeletingDependents(blocker)) return false;
      const uid = blocker.metadata.uid ?? '';
      if (!seen.has(uid)) {
        seen.add(uid);
        toVisit.push(blocker);
      }
    }
  }
  return true;
}

/** For each owner uid, the objects whose reference to it blocks its deletion. */
function blockingDependentsByOwnerUid(objects: readonly KubeObject[]): Map<string, KubeObject[]> {
  const byOwner = new Map<string, KubeObject[]>();
  for (const object of objects)
    for (const ref of ownerReferencesOf(object))
      if (ref.blockOwnerDeletion === true) {
        const blockers = byOwner.get(ref.uid);
        if (blockers) blockers.push(object);
        else byOwner.set(ref.uid, [object]);
      }
  return byOwner;
}
