import * as z from 'zod';

/**
 * The strategic-merge-patch metadata Kubernetes publishes in its OpenAPI (from the Go struct tags
 * `patchStrategy` / `patchMergeKey`). It lives on the array schema itself, so
 * `z.toJSONSchema(kind, { io: 'input' })` carries it to the patch code and the OpenAPI documents.
 */
export const PATCH_MERGE_KEY = 'x-kubernetes-patch-merge-key';
export const PATCH_STRATEGY = 'x-kubernetes-patch-strategy';

/**
 * A list whose items merge by `mergeKey` under a strategic merge patch, e.g. containers by name.
 * @example mergeList(Container, 'name')
 */
export function mergeList<T extends z.ZodType>(item: T, mergeKey: string, strategy = 'merge') {
  return z.array(item).meta({ [PATCH_MERGE_KEY]: mergeKey, [PATCH_STRATEGY]: strategy });
}

/** A list of scalars merged as a set (metadata.finalizers). */
export function mergeSet<T extends z.ZodType>(item: T) {
  return z.array(item).meta({ [PATCH_STRATEGY]: 'merge' });
}
