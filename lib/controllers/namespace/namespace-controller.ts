import type { KindInfo } from '../../kinds/kind-info';
import { KINDS } from '../../kinds/registry';
import { NamespaceKind } from '../../kinds/namespace';
import type { KubeObject } from '../../kinds/meta';
import { NotFoundError } from '../../store/errors';
import type { ObjectStore } from '../../store/object-store';
import type { Controller, ObjectKey, ReconcileContext, ReconcileResult } from '../controller';
import { deleteIfPresent } from '../garbage-collector/delete-if-present';
import {
  NAMESPACE_FINALIZER,
  planNamespaceDeletion,
  specFinalizers,
  type NamespaceContent,
} from './plan-namespace-deletion';

/** Every kind that lives in a namespace: what a terminating namespace must be emptied of. */
const NAMESPACED_KINDS = KINDS.filter((kind) => kind.namespaced);

/**
 * Empties deleted namespaces (kube's namespace controller). Deleting a Namespace only marks it,
 * because its spec.finalizers holds `kubernetes`; this controller deletes everything in it, then
 * clears that finalizer, and the store removes the namespace. No watches: the namespace's own
 * records, its requeues and the resync sweep bring it back until it is gone.
 */
export const namespaceController: Controller = {
  name: 'namespace-controller',
  kind: NamespaceKind,
  watches: [],
  reconcile: reconcileNamespace,
};

async function reconcileNamespace(key: ObjectKey, { store }: ReconcileContext): Promise<ReconcileResult> {
  let namespace = await getNamespace(store, key.name);
  if (!namespace?.metadata.deletionTimestamp) return {};
  let plan = planNamespaceDeletion(namespace, await contentsOf(store, key.name));
  if (plan.markTerminating) namespace = await markTerminating(store, namespace);
  if (plan.delete.length > 0) {
    for (const { kind, object } of plan.delete) await deleteIfPresent(store, kind, object, 'Background');
    // Most contents have no finalizers and are gone now: look again so an emptied namespace
    // finishes in this reconcile rather than the next.
    plan = planNamespaceDeletion(namespace, await contentsOf(store, key.name));
  }
  if (plan.finalize) await finalize(store, namespace);
  return plan.requeueAfterSeconds === undefined ? {} : { requeueAfterSeconds: plan.requeueAfterSeconds };
}

async function getNamespace(store: ObjectStore, name: string): Promise<KubeObject | undefined> {
  try {
    return await store.get(NamespaceKind, undefined, name);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/**
 * Everything still stored in the namespace, of every namespaced kind. Items that cannot be read
 * (lists leave them out, having reported them) are removed unread on the way, as a user's plain
 * DELETE would: otherwise the namespace would finish with them still stored, and a namespace of
 * the same name created later would find them.
 */
async function contentsOf(store: ObjectStore, namespace: string): Promise<NamespaceContent[]> {
  const lists = await Promise.all(
    NAMESPACED_KINDS.map(async (kind) => {
      const { items, corrupt = [] } = await store.list(kind, { namespace });
      for (const { ref } of corrupt) await deleteUnread(store, kind, namespace, ref.name);
      return items.map((object) => ({ kind, object }));
    }),
  );
  return lists.flat();
}

async function deleteUnread(
  store: ObjectStore,
  kind: KindInfo,
  namespace: string,
  name: string,
): Promise<void> {
  try {
    await store.delete(kind, namespace, name, { ignoreStoreReadErrorWithClusterBreakingPotential: true });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}

async function markTerminating(store: ObjectStore, namespace: KubeObject): Promise<KubeObject> {
  const status = (namespace.status ?? {}) as Record<string, unknown>;
  return store.updateStatus(NamespaceKind, { ...namespace, status: { ...status, phase: 'Terminating' } });
}

/** Drops `kubernetes` from spec.finalizers (kube's `/finalize`); the store then removes the namespace. */
async function finalize(store: ObjectStore, namespace: KubeObject): Promise<void> {
  const spec = (namespace.spec ?? {}) as Record<string, unknown>;
  const finalizers = specFinalizers(namespace).filter((f) => f !== NAMESPACE_FINALIZER);
  try {
    await store.update(NamespaceKind, { ...namespace, spec: { ...spec, finalizers } });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}
