import type { KindInfo } from '../kinds/kind-info';
import type { KubeObject } from '../kinds/meta';
import type { ListOptions, ObjectStore } from './object-store';

/** Every object a list selects, page after page, typed as the caller reads the kind's objects. */
export async function listAll<T = KubeObject>(
  store: ObjectStore,
  kind: KindInfo,
  options: ListOptions = {},
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await store.list(kind, { ...options, ...(token ? { continue: token } : {}) });
    // The store returns objects its kind's schema validated on write: they are of the kind's type.
    items.push(...(page.items as unknown as T[]));
    token = page.metadata.continue || undefined;
  } while (token);
  return items;
}
