import type { KindInfo } from '../kinds/kind-info';
import type { KubeObject, ListMeta } from '../kinds/meta';
import type { CorruptObjectError } from './errors';
import type { LabelSelector } from './label-selector';
import type { FieldSelector } from './field-selector';

export interface ListOptions {
  /** Omit for every namespace (or for a cluster-scoped kind). */
  namespace?: string;
  labelSelector?: LabelSelector;
  fieldSelector?: FieldSelector;
  /** At most this many items; the answer then carries a continue token when more match. */
  limit?: number;
  continue?: string;
}

export interface UpdateOptions {
  /**
   * The stored object the update was made from, as this store returned it (a get, a list, a
   * write). When it is at the version the update is conditional on, the store writes against what
   * it read then instead of reading the object again: the write's condition on that version makes
   * it exactly as safe, and a read-modify-write through the API costs one read, not two.
   */
  readFrom?: KubeObject;
}

export interface ObjectList {
  items: KubeObject[];
  metadata: ListMeta;
  /** The corrupt items the list left out (already reported), for callers to tell their own users. */
  corrupt?: CorruptObjectError[];
}

export interface DeleteOptions {
  /** Refuse with ConflictError unless the stored object still has this uid / resourceVersion. */
  preconditions?: { uid?: string; resourceVersion?: string };
  /**
   * kube's gracePeriodSeconds, for kinds deleted gracefully (KindInfo.deletionGracePeriodSeconds):
   * absent for the kind's default, 0 to remove at once. Other kinds ignore it.
   */
  gracePeriodSeconds?: number;
  /** Stored for the garbage collector: Foreground and Orphan add their finalizer, as kube-apiserver does. */
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  /**
   * kube's unsafe deletion (KEP-3926): remove a corrupt object (CorruptObjectError) unread, whatever
   * the preconditions and policy ask. A plain delete (neither) removes a corrupt object anyway.
   */
  ignoreStoreReadErrorWithClusterBreakingPotential?: boolean;
}

export interface DeleteResult {
  /** The object as it was removed, or, when finalizers keep it, as it now stands. */
  object: KubeObject;
  /** False when finalizers keep the object (it is now only marked with deletionTimestamp). */
  removed: boolean;
  /** The item was corrupt and removed unread: `object` holds only its identity. */
  unread?: boolean;
}

/**
 * The object store: Kubernetes' storage semantics over one DynamoDB table.
 *
 * Contract:
 * - Objects arrive validated and defaulted; the store owns uid, resourceVersion, generation,
 *   creationTimestamp and deletionTimestamp and ignores what callers put there.
 * - Every write is conditional. `update` with metadata.resourceVersion set fails with ConflictError
 *   when the stored object moved; without it the update is unconditional (retried internally).
 * - generation starts at 1 and moves only when something outside metadata and status changes.
 * - `update` ignores status changes for kinds with the status subresource; `updateStatus` changes
 *   only status.
 * - Deleting an object with finalizers only sets deletionTimestamp; the object is removed by the
 *   update that clears its last finalizer.
 * - Kinds deleted gracefully (Pods) are only marked (deletionTimestamp in the future,
 *   deletionGracePeriodSeconds above 0) when their grace is above 0; a later delete may shorten
 *   the grace, and one of grace 0 removes them (finalizers still honoured).
 * - Missing objects raise NotFoundError; namespaced writes need an existing namespace.
 * - An item whose body cannot be read as an object is corrupt: lists leave it out (and report it),
 *   get and update raise CorruptObjectError, and a delete without preconditions or a Foreground or
 *   Orphan policy (or with ignoreStoreReadErrorWithClusterBreakingPotential) removes it unread.
 */
export interface ObjectStore {
  get(kind: KindInfo, namespace: string | undefined, name: string): Promise<KubeObject>;
  list(kind: KindInfo, options?: ListOptions): Promise<ObjectList>;
  create(kind: KindInfo, object: KubeObject): Promise<KubeObject>;
  update(kind: KindInfo, object: KubeObject, options?: UpdateOptions): Promise<KubeObject>;
  updateStatus(kind: KindInfo, object: KubeObject, options?: UpdateOptions): Promise<KubeObject>;
  delete(
    kind: KindInfo,
    namespace: string | undefined,
    name: string,
    options?: DeleteOptions,
  ): Promise<DeleteResult>;
}
