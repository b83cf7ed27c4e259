import type { KindInfo } from '../kinds/kind-info';
import type { KubeObject } from '../kinds/meta';
import { NotFoundError } from './errors';
import type { ObjectStore } from './object-store';

/** The stored object, or undefined when there is none: for control loops, absence is a normal answer. */
export async function getIfPresent(
  store: ObjectStore,
  kind: KindInfo,
  namespace: string | undefined,
  name: string,
): Promise<KubeObject | undefined> {
  try {
    return await store.get(kind, namespace, name);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}
