import type { KindInfo } from '../../kinds/kind-info';
import type { KubeObject } from '../../kinds/meta';
import { ConflictError, NotFoundError } from '../../store/errors';
import type { DeleteOptions, ObjectStore } from '../../store/object-store';

/**
 * Deletes `object` unless it is already gone, guarded by its uid so that an object recreated
 * under the same name is never deleted in its place. "Already gone" and "replaced by another
 * object" both count as done (style.md point 4): either way the object we meant no longer exists.
 */
export async function deleteIfPresent(
  store: ObjectStore,
  kind: KindInfo,
  object: KubeObject,
  propagationPolicy?: DeleteOptions['propagationPolicy'],
): Promise<void> {
  const { namespace, name = '', uid } = object.metadata;
  try {
    await store.delete(kind, kind.namespaced ? namespace : undefined, name, {
      preconditions: uid ? { uid } : undefined,
      ...(propagationPolicy ? { propagationPolicy } : {}),
    });
  } catch (error) {
    if (error instanceof NotFoundError) return;
    if (error instanceof ConflictError && uid && (await replaced(store, kind, object))) return;
    throw error;
  }
}

async function replaced(store: ObjectStore, kind: KindInfo, object: KubeObject): Promise<boolean> {
  try {
    const current = await store.get(kind, object.metadata.namespace, object.metadata.name ?? '');
    return current.metadata.uid !== object.metadata.uid;
  } catch (error) {
    if (error instanceof NotFoundError) return true;
    throw error;
  }
}
