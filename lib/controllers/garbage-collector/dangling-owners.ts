import type { KubeObject, OwnerReference } from '../../kinds/meta';
import { findKindByKind } from '../../kinds/registry';
import { NotFoundError } from '../../store/errors';
import type { ObjectStore } from '../../store/object-store';

/**
 * The uids among `object`'s owner references whose owner is gone: nothing of that kind and name
 * is stored, or what is stored has another uid (the owner was deleted and recreated). References
 * to kinds Skiff does not serve are never called dangling, so nothing is deleted on a guess.
 */
export async function danglingOwnerUids(store: ObjectStore, object: KubeObject): Promise<string[]> {
  const refs = object.metadata.ownerReferences ?? [];
  const gone = await Promise.all(refs.map((ref) => isDangling(store, object, ref)));
  return refs.filter((_, i) => gone[i]).map((ref) => ref.uid);
}

async function isDangling(store: ObjectStore, object: KubeObject, ref: OwnerReference): Promise<boolean> {
  const kind = findKindByKind(ref.apiVersion, ref.kind);
  if (!kind) return false;
  try {
    const owner = await store.get(kind, kind.namespaced ? object.metadata.namespace : undefined, ref.name);
    return owner.metadata.uid !== ref.uid;
  } catch (error) {
    if (error instanceof NotFoundError) return true;
    throw error;
  }
}
