import { InvalidObjectError } from './errors';
import type { KindInfo } from './kind-info';
import type { KubeObject } from './meta';

/**
 * Throws the 422 a write of `next` over `current` gets from the kind's update checks
 * (KindInfo.validateUpdate: immutable fields). The store runs them on every update; a dry run,
 * which never reaches the store, runs them here, as kube validates dry runs too.
 */
export function checkUpdate(kind: KindInfo, next: KubeObject, current: KubeObject): void {
  const causes = kind.validateUpdate?.(next, current) ?? [];
  if (causes.length > 0) throw new InvalidObjectError(kind, current.metadata.name ?? '', causes);
}

/** checkUpdate for a write to `/status`: `next` is the stored object with the written status. */
export function checkStatusUpdate(kind: KindInfo, next: KubeObject, current: KubeObject): void {
  const causes = kind.validateStatusUpdate?.(next, current) ?? [];
  if (causes.length > 0) throw new InvalidObjectError(kind, current.metadata.name ?? '', causes);
}
