import type { KubeObject } from '../../kinds/meta';
import { ServiceKind, type Service } from '../../kinds/service';
import { ConflictError, NotFoundError } from '../../store/errors';
import { getIfPresent } from '../../store/get-if-present';
import type { ObjectStore } from '../../store/object-store';
import { parentOf } from './allocation-kinds';
import type { Range } from './range-allocator';

/**
 * Seconds an allocation record is left alone after it was made, even when no Service uses it: the
 * API claims a value before it writes the Service, so a young record may belong to a write still
 * under way.
 */
export const ALLOCATION_GRACE_SECONDS = 30;

/** Whether the Service `record` names still holds its value (its ClusterIPs or node ports). */
export function holds(service: Service | undefined, value: string): boolean {
  const spec = service?.spec;
  if (!spec) return false;
  return (
    (spec.clusterIPs ?? []).includes(value) || spec.ports.some((p) => String(p.nodePort ?? '') === value)
  );
}

/**
 * Frees a value whose record outlived its claim: older than the grace period and held by no
 * Service (its write failed after the claim and the claim was never undone, say a crash between
 * the two). Kube's repair loops do the same for its allocators. Answers whether it freed it.
 */
export async function freeIfOrphaned(
  store: ObjectStore,
  range: Range,
  value: string,
  now: Date,
): Promise<boolean> {
  const record = await getIfPresent(store, range.kind, undefined, value);
  if (!record) return true;
  if (!isPastGrace(record, now)) return false;
  const parent = parentOf(record);
  const service = (await getIfPresent(store, ServiceKind, parent.namespace, parent.name)) as
    Service | undefined;
  if (holds(service, value)) return false;
  try {
    // Guarded by its uid: a record made again meanwhile is someone's fresh claim.
    await store.delete(range.kind, undefined, value, { preconditions: { uid: record.metadata.uid } });
  } catch (error) {
    if (error instanceof ConflictError) return false;
    if (!(error instanceof NotFoundError)) throw error;
  }
  return true;
}

/** Whether the record was made more than ALLOCATION_GRACE_SECONDS before `now`. */
export function isPastGrace(record: KubeObject, now: Date): boolean {
  const made = Date.parse(record.metadata.creationTimestamp ?? '');
  return now.getTime() - made >= ALLOCATION_GRACE_SECONDS * 1000;
}
