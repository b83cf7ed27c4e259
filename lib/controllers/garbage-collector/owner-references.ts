import type { KindInfo } from '../../kinds/kind-info';
import type { KubeObject, OwnerReference } from '../../kinds/meta';
import type { ObjectKey, Watch } from '../controller';

/** The API group of an apiVersion: `apps` for `apps/v1`, '' for the core `v1`. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * Whether `ref` names an owner of `kind` called `name`. The version is ignored, as kube's garbage
 * collector does: an owner is the same object whichever version of its group names it.
 */
export function refersTo(ref: OwnerReference, kind: KindInfo, name: string): boolean {
  return ref.kind === kind.kind && groupOf(ref.apiVersion) === kind.group && ref.name === name;
}

/** The ownerReferences of `object` (none when absent). */
export function ownerReferencesOf(object: KubeObject): OwnerReference[] {
  return object.metadata.ownerReferences ?? [];
}

/**
 * Whether an object of `dependentKind` may name an owner of `ownerKind` (kube's rule, as owners
 * never cross namespaces): a namespaced dependent may have namespaced owners (in its own
 * namespace) and cluster-scoped ones; a cluster-scoped dependent only cluster-scoped ones.
 */
export function mayOwn(ownerKind: KindInfo, dependentKind: KindInfo): boolean {
  return !ownerKind.namespaced || dependentKind.namespaced;
}

/**
 * A watch that wakes the garbage collector of `ownerKind` when a dependent of `dependentKind`
 * changes: the key of every owner of that kind the dependent names. A namespaced owner lives in
 * its dependent's namespace (kube forbids cross-namespace owners); a cluster-scoped one has none.
 */
export function ownersWatch(dependentKind: KindInfo, ownerKind: KindInfo): Watch {
  return {
    kind: dependentKind,
    keysFor(object: KubeObject): ObjectKey[] {
      return ownerReferencesOf(object)
        .filter((ref) => refersTo(ref, ownerKind, ref.name))
        .map((ref) => ({
          kind: ownerKind,
          namespace: ownerKind.namespaced ? object.metadata.namespace : undefined,
          name: ref.name,
        }));
    },
  };
}
