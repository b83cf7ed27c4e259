import type { KindInfo } from '../kinds/kind-info';
import type { KubeObject } from '../kinds/meta';
import type { ListOptions, ObjectStore } from '../store/object-store';

/** Every object a list selects, page after page. */
export async function listAll(
  store: ObjectStore,
  kind: KindInfo,
  options: ListOptions = {},
): Promise<KubeObject[]> {
  const items: KubeObject[] = [];
  let token: string | undefined;
  do {
    const page = await store.list(kind, { ...options, ...(token ? { continue: token } : {}) });
    items.push(...page.items);
    token = page.metadata.continue;
  } while (token);
  return items;
}
