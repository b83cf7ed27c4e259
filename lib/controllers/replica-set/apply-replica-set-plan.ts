import { decodeObject } from '../../kinds/decode';
import { withInitialStatus } from '../../kinds/initial-status';
import type { KubeObject } from '../../kinds/meta';
import { PodKind, type Pod } from '../../kinds/pod';
import type { ReplicaSet } from '../../kinds/replica-set';
import { AlreadyExistsError, NamespaceTerminatingError, NotFoundError } from '../../store/errors';
import type { ReconcileContext } from '../controller';
import type { PodManifest } from './pod-from-template';
import type { ReplicaSetPlan } from './plan-replica-set';

/** What applying a plan left to report. */
export interface AppliedPlan {
  /** Why creating a pod failed, for the ReplicaFailure condition; undefined when all were made. */
  createFailure?: string;
  /** The first delete that failed for a reason other than "already gone": the round is retried. */
  deleteError?: unknown;
}

/**
 * Applies a ReplicaSetPlan through the store, idempotently (style.md point 4): adoptions and
 * releases are conditional on the pod's resourceVersion (ConflictError propagates: the round is
 * retried on fresh reads), a pod that already exists counts as created, one already gone as
 * deleted. Creates go in kube's slow-start batches (1, 2, 4, …) and stop at the first failing
 * batch, so a quota or a bad template costs one failed write, not hundreds.
 * Records SuccessfulCreate / SuccessfulDelete Events, and FailedCreate / FailedDelete Warnings.
 */
export async function applyReplicaSetPlan(
  replicaSet: ReplicaSet,
  plan: ReplicaSetPlan,
  context: ReconcileContext,
): Promise<AppliedPlan> {
  await Promise.all([...plan.adopt, ...plan.release].map((pod) => updateUnlessGone(pod, context)));
  const createFailure = await createInBatches(replicaSet, plan.create, context);
  const deleteErrors = await Promise.all(plan.delete.map((pod) => deletePod(replicaSet, pod, context)));
  return { createFailure, deleteError: deleteErrors.find((error) => error !== undefined) };
}

async function updateUnlessGone(pod: Pod, context: ReconcileContext): Promise<void> {
  try {
    await context.store.update(PodKind, pod);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}

async function createInBatches(
  replicaSet: ReplicaSet,
  pods: readonly PodManifest[],
  context: ReconcileContext,
): Promise<string | undefined> {
  for (let start = 0, size = 1; start < pods.length; start += size, size *= 2) {
    const batch = pods.slice(start, start + size);
    const failures = await Promise.all(batch.map((pod) => createPod(replicaSet, pod, context)));
    const failure = failures.find((message) => message !== undefined);
    if (failure !== undefined) return failure;
  }
  return undefined;
}

/** Creates one pod; answers the failure message, or undefined when it exists now. */
async function createPod(
  replicaSet: ReplicaSet,
  manifest: PodManifest,
  context: ReconcileContext,
): Promise<string | undefined> {
  const name = manifest.metadata?.name ?? '';
  try {
    await context.store.create(PodKind, withInitialStatus(PodKind, decodeObject(PodKind, manifest).object));
    await context.events.record(replicaSet, 'Normal', 'SuccessfulCreate', `Created pod: ${name}`);
    return undefined;
  } catch (error) {
    if (error instanceof AlreadyExistsError) return undefined;
    // kube's controllers say nothing while the namespace goes away: its objects are all going.
    if (error instanceof NamespaceTerminatingError) return undefined;
    const message = error instanceof Error ? error.message : String(error);
    await context.events.record(replicaSet, 'Warning', 'FailedCreate', `Error creating: ${message}`);
    return message;
  }
}

/** Deletes one pod (only that incarnation of it: the uid is a precondition); answers the error, if any. */
async function deletePod(
  replicaSet: ReplicaSet,
  pod: KubeObject,
  context: ReconcileContext,
): Promise<unknown> {
  const name = pod.metadata.name ?? '';
  try {
    await context.store.delete(PodKind, pod.metadata.namespace, name, {
      preconditions: { uid: pod.metadata.uid },
    });
    await context.events.record(replicaSet, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
    return undefined;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    const message = error instanceof Error ? error.message : String(error);
    await context.events.record(replicaSet, 'Warning', 'FailedDelete', `Error deleting: ${message}`);
    return error;
  }
}
