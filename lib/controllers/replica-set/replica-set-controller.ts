import type { KubeObject } from '../../kinds/meta';
import { PodKind, type Pod } from '../../kinds/pod';
import { ReplicaSet, ReplicaSetKind } from '../../kinds/replica-set';
import { deepEqual } from '../../store/deep-equal';
import { NotFoundError } from '../../store/errors';
import type { ObjectStore } from '../../store/object-store';
import type { Controller, ObjectKey, ReconcileContext, ReconcileResult } from '../controller';
import { applyReplicaSetPlan } from './apply-replica-set-plan';
import { planReplicaSet } from './plan-replica-set';
import { controllerRefOf } from './pod-ownership';
import { withReplicaFailure } from './replica-set-status';

/** How long to wait before trying again to create pods that could not be created. */
export const CREATE_RETRY_SECONDS = 10;

/**
 * The ReplicaSet controller: keeps `spec.replicas` pods matching the selector (see planReplicaSet
 * for the rules), then reports status once, only when it changed. Woken by its ReplicaSets and by
 * the pods they control. A ReplicaSet being deleted is left alone: the garbage collector removes
 * its pods, and creating replacements would fight it.
 */
export const replicaSetController: Controller = {
  name: 'replicaset-controller',
  kind: ReplicaSetKind,
  watches: [{ kind: PodKind, keysFor: controllingReplicaSet }],
  reconcile: reconcileReplicaSet,
};

/** A pod wakes the ReplicaSet that controls it (its controller reference), if any. */
function controllingReplicaSet(pod: KubeObject): ObjectKey[] {
  const owner = controllerRefOf(pod);
  if (owner?.apiVersion !== 'apps/v1' || owner.kind !== 'ReplicaSet') return [];
  return [{ kind: ReplicaSetKind, namespace: pod.metadata.namespace, name: owner.name }];
}

async function reconcileReplicaSet(key: ObjectKey, context: ReconcileContext): Promise<ReconcileResult> {
  const replicaSet = await getReplicaSet(context.store, key);
  if (!replicaSet || replicaSet.metadata.deletionTimestamp) return {};
  const pods = await listPods(context.store, replicaSet.metadata.namespace);
  const now = context.now();
  const plan = planReplicaSet(replicaSet, pods, now);
  const applied = await applyReplicaSetPlan(replicaSet, plan, context);
  const status = withReplicaFailure(plan.status, applied.createFailure, now);
  if (!deepEqual(status, replicaSet.status)) await writeStatus(context.store, replicaSet, status);
  if (applied.deleteError !== undefined) throw applied.deleteError;
  const waits = [
    plan.requeueAfterSeconds,
    applied.createFailure !== undefined ? CREATE_RETRY_SECONDS : undefined,
  ].filter((seconds): seconds is number => seconds !== undefined);
  return waits.length > 0 ? { requeueAfterSeconds: Math.min(...waits) } : {};
}

async function getReplicaSet(store: ObjectStore, key: ObjectKey): Promise<ReplicaSet | undefined> {
  try {
    // Parsed with its schema, so every defaulted field (status included) is there to read.
    return ReplicaSet.parse(await store.get(ReplicaSetKind, key.namespace, key.name));
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/**
 * Every pod in the namespace, not only the selected ones: a pod whose labels stopped matching must
 * be seen to be released, and every pod's name must be known to pick free slot names.
 */
async function listPods(store: ObjectStore, namespace: string | undefined): Promise<Pod[]> {
  const pods: Pod[] = [];
  let token: string | undefined;
  do {
    const page = await store.list(PodKind, { namespace, ...(token ? { continue: token } : {}) });
    pods.push(...(page.items as Pod[]));
    token = page.metadata.continue;
  } while (token);
  return pods;
}

/** Conditional on the version read: a ReplicaSet that moved meanwhile is reconciled again. */
async function writeStatus(store: ObjectStore, replicaSet: ReplicaSet, status: ReplicaSet['status']) {
  try {
    await store.updateStatus(ReplicaSetKind, { ...replicaSet, status });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}
