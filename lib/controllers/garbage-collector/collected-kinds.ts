import { EventKind } from '../../kinds/event';
import type { KindInfo } from '../../kinds/kind-info';
import { KINDS } from '../../kinds/registry';

/**
 * The kinds searched for dependents when an owner is deleted: every kind in the registry, as kube's
 * garbage collector covers every resource, less the Events it ignores by default (its
 * `ignoredResources`): an Event is a note about an object, not a part of it, and expires by TTL.
 */
export const DEPENDENT_KINDS: readonly KindInfo[] = KINDS.filter((kind) => kind !== EventKind);

/**
 * The kinds with a garbage collector of their own, woken by their objects' records: every kind
 * whose definition does not opt out (KindInfo.garbageCollected), which leaves out Event and Lease. A Lease is renewed every few seconds, so the stream trigger leaves its records
 * out (see watched-kinds.ts) rather than invoke the reconcile function for each heartbeat.
 *
 * Every kind may still own objects: a dependent naming a Lease or Event that is gone is collected
 * when its own record or the resync sweep brings it to its collector (see dangling-owners.ts). A
 * Lease dependent is found and deleted when its owner goes; lacking a collector to finish a
 * foreground deletion of its own, it is always deleted in the background.
 */
export const COLLECTOR_KINDS: readonly KindInfo[] = KINDS.filter((kind) => kind.garbageCollected !== false);

/** Whether objects of `kind` have a collector of their own (see COLLECTOR_KINDS). */
export function hasCollector(kind: KindInfo): boolean {
  return COLLECTOR_KINDS.includes(kind);
}
