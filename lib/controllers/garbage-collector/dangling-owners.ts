import type { KindInfo } from '../../kinds/kind-info';
import type { KubeObject, OwnerReference } from '../../kinds/meta';
import { findKindByKind } from '../../kinds/registry';
import { NotFoundError } from '../../store/errors';
import type { ObjectStore } from '../../store/object-store';
import { mayOwn } from './owner-references';

/**
 * The uids among the owner references of `object` (of `kind`) whose owner is gone: nothing of that
 * kind and name is stored, or what is stored has another uid (the owner was deleted and recreated).
 * References to kinds Skiff does not serve, and a cluster-scoped object's references to namespaced
 * kinds (which kube holds invalid: such an owner cannot be found), are never called dangling, so
 * nothing is deleted on a guess.
 */
export async function danglingOwnerUids(
  store: ObjectStore,
  kind: KindInfo,
  object: KubeObject,
): Promise<string[]> {
  const refs = object.metadata.ownerReferences ?? [];
  const gone = await Promise.all(refs.map((ref) => isDangling(store, kind, object, ref)));
  return refs.filter((_, i) => gone[i]).map((ref) => ref.uid);
}

async function isDangling(
  store: ObjectStore,
  kind: KindInfo,
  object: KubeObject,
  ref: OwnerReference,
): Promise<boolean> {
  const ownerKind = findKindByKind(ref.apiVersion, ref.kind);
  if (!ownerKind || !mayOwn(ownerKind, kind)) return false;
  try {
    const owner = await store.get(
      ownerKind,
      ownerKind.namespaced ? object.metadata.namespace : undefined,
      ref.name,
    );
    return owner.metadata.uid !== ref.uid;
  } catch (error) {
    if (error instanceof NotFoundError) return true;
    throw error;
  }
}
