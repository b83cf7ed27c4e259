import { getIfPresent } from '../../store/get-if-present';
import { kindKeyOf } from '../../store/object-item';
import type { KindInfo } from '../../kinds/kind-info';
import type { KubeObject } from '../../kinds/meta';
import { ConflictError, NotFoundError } from '../../store/errors';
import type { ObjectStore } from '../../store/object-store';
import type { Controller, ObjectKey, ReconcileContext, ReconcileResult } from '../controller';
import { COLLECTOR_KINDS, DEPENDENT_KINDS } from './collected-kinds';
import { danglingOwnerUids } from './dangling-owners';
import { deleteIfPresent } from './delete-if-present';
import { mayOwn, ownerReferencesOf, ownersWatch } from './owner-references';
import {
  FOREGROUND_FINALIZER,
  ORPHAN_FINALIZER,
  collectDangling,
  planCollection,
  type CollectionAction,
  type CollectionPlan,
  type Dependent,
} from './plan-collection';

/** Attempts at a read-modify-write that keeps losing races before the reconcile is retried. */
const WRITE_ATTEMPTS = 3;

/**
 * The garbage collector for owners of one kind (kube's garbage collector, split by owner kind
 * because a controller reconciles one kind). It is woken by the owner's own records — including
 * the REMOVE of a deleted owner, which is how Background cascades start — and by changes to its
 * dependents of every kind that may name it, which is how a Foreground deletion notices its last
 * dependent is gone. An ordinary write costs a few reads, of the object, the owners it names and
 * theirs (each woken owner is checked as a dependent in turn); only a deletion searches for
 * dependents: the owner's namespace, or the whole cluster for a cluster-scoped owner (a Node, a
 * Namespace), while it is being deleted and once it is gone.
 *
 * A removed owner's key carries no uid, so its dependents are found by the owner's kind and name;
 * a dependent whose reference names another uid than the stored owner's is the one to collect,
 * which keeps a recreated owner's dependents safe. Each object is also checked as a dependent when
 * its own records arrive, so one whose owner vanished unseen (or was recreated) is collected too.
 */
export function garbageCollectorFor(ownerKind: KindInfo): Controller {
  return {
    name: `garbage-collector-${ownerKind.plural}${ownerKind.group ? `.${ownerKind.group}` : ''}`,
    kind: ownerKind,
    watches: COLLECTOR_KINDS.filter((dependentKind) => mayOwn(ownerKind, dependentKind)).map(
      (dependentKind) => ownersWatch(dependentKind, ownerKind),
    ),
    reconcile: (key, context) => collect(key, context),
    // Owners and dependents matter to it only with owner references, a deletion, or a removal.
    collectionRecordsOnly: true,
  };
}

/** One garbage collector per kind whose records reach the controllers (see COLLECTOR_KINDS). */
export const GARBAGE_COLLECTORS: readonly Controller[] = COLLECTOR_KINDS.map(garbageCollectorFor);

async function collect(key: ObjectKey, { store, customKinds }: ReconcileContext): Promise<ReconcileResult> {
  let plan: CollectionPlan = { actions: [] };
  // A second pass lets a Foreground deletion whose dependents were removed outright finish now.
  for (let pass = 0; pass < 2; pass++) {
    const owner = await getIfPresent(store, key.kind, key.namespace, key.name);
    if (owner && !needsCollection(owner)) {
      await collectIfOrphaned(store, key, owner);
      return {};
    }
    const objects = await objectsInReach(store, key, dependentKinds(customKinds?.() ?? []));
    plan = planCollection({ ownerKind: key.kind, ownerName: key.name, owner, objects });
    for (const action of plan.actions) await apply(store, key, owner, action);
    if (!plan.actions.some((a) => a.type === 'deleteDependent') || !owner) break;
  }
  return plan.requeueAfterSeconds === undefined ? {} : { requeueAfterSeconds: plan.requeueAfterSeconds };
}

/**
 * Seen as a dependent: an object whose owner went away while it was not looking (the owner's
 * REMOVE was handled before this object existed, or the owner was recreated under its name).
 * Objects without owner references cost nothing here.
 */
async function collectIfOrphaned(store: ObjectStore, key: ObjectKey, object: KubeObject): Promise<void> {
  if (ownerReferencesOf(object).length === 0) return;
  const dangling = await danglingOwnerUids(store, key.kind, object);
  if (dangling.length === 0) return;
  for (const action of collectDangling({ kind: key.kind, object }, dangling))
    await apply(store, key, object, action);
}

/** The built-in dependent kinds and the custom ones (one KindInfo per stored kind, KindRegistry.storedCustomKinds). */
function dependentKinds(custom: readonly KindInfo[]): readonly KindInfo[] {
  if (custom.length === 0) return DEPENDENT_KINDS;
  return [...DEPENDENT_KINDS, ...custom.filter((kind) => !BUILT_IN_KEYS.has(kindKeyOf(kind)))];
}

const BUILT_IN_KEYS = new Set(DEPENDENT_KINDS.map(kindKeyOf));

/** Only a deleted owner holding a garbage-collector finalizer needs this controller while it exists. */
function needsCollection(owner: KubeObject): boolean {
  const finalizers = owner.metadata.finalizers ?? [];
  return (
    owner.metadata.deletionTimestamp !== undefined &&
    (finalizers.includes(FOREGROUND_FINALIZER) || finalizers.includes(ORPHAN_FINALIZER))
  );
}

/**
 * Every object that may name the key's owner, of the dependent kinds: a namespaced owner's
 * namespace, or, for a cluster-scoped owner, every namespace and the cluster-scoped kinds. Read
 * only for an owner being deleted or gone; it also holds what a foreground cycle check needs.
 */
async function objectsInReach(
  store: ObjectStore,
  key: ObjectKey,
  kinds: readonly KindInfo[],
): Promise<Dependent[]> {
  const lists = await Promise.all(
    kinds
      .filter((kind) => mayOwn(key.kind, kind))
      .map(async (kind) => {
        const { items } = await store.list(kind, key.kind.namespaced ? { namespace: key.namespace } : {});
        return items.map((object) => ({ kind, object }));
      }),
  );
  return lists.flat();
}

async function apply(
  store: ObjectStore,
  key: ObjectKey,
  owner: KubeObject | undefined,
  action: CollectionAction,
): Promise<void> {
  switch (action.type) {
    case 'deleteDependent':
      return deleteIfPresent(store, action.dependent.kind, action.dependent.object, action.propagationPolicy);
    case 'removeOwnerReferences': {
      const { kind, object } = action.dependent;
      const uids = new Set(action.uids);
      return modify(store, kind, object, (current) => ({
        ...current,
        metadata: {
          ...current.metadata,
          ownerReferences: ownerReferencesOf(current).filter((r) => !uids.has(r.uid)),
        },
      }));
    }
    case 'removeFinalizer':
      if (!owner) return;
      return modify(store, key.kind, owner, (current) => ({
        ...current,
        metadata: {
          ...current.metadata,
          finalizers: (current.metadata.finalizers ?? []).filter((f) => f !== action.finalizer),
        },
      }));
  }
}

/**
 * A conditional read-modify-write of `object` (same uid), retried on a lost race; an object
 * that is gone or was replaced needs nothing.
 */
async function modify(
  store: ObjectStore,
  kind: KindInfo,
  object: KubeObject,
  change: (current: KubeObject) => KubeObject,
): Promise<void> {
  let current = object;
  for (let attempt = 1; ; attempt++) {
    try {
      await store.update(kind, change(current));
      return;
    } catch (error) {
      if (error instanceof NotFoundError) return;
      if (!(error instanceof ConflictError) || attempt >= WRITE_ATTEMPTS) throw error;
    }
    try {
      current = await store.get(kind, object.metadata.namespace, object.metadata.name ?? '');
    } catch (error) {
      if (error instanceof NotFoundError) return;
      throw error;
    }
    if (current.metadata.uid !== object.metadata.uid) return;
  }
}
