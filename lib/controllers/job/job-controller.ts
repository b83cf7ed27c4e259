import { decodeObject } from '../../kinds/decode';
import { InvalidObjectError } from '../../kinds/errors';
import { Job, JobKind } from '../../kinds/job';
import type { KubeObject } from '../../kinds/meta';
import { PodKind, type Pod } from '../../kinds/pod';
import { deepEqual } from '../../store/deep-equal';
import { AlreadyExistsError, NamespaceTerminatingError, NotFoundError } from '../../store/errors';
import type { ObjectStore } from '../../store/object-store';
import {
  TerminalReconcileError,
  type Controller,
  type ObjectKey,
  type ReconcileContext,
  type ReconcileResult,
  type Watch,
} from '../controller';
import { deleteIfPresent } from '../garbage-collector/delete-if-present';
import { CONTROLLER_UID_LABEL, jobPodManifest } from './job-pod';
import { planJob, type JobPlan } from './plan-job';
import { withInitialStatus } from '../../kinds/initial-status';

/** A Pod's change wakes the Job that controls it. */
const podsWakeTheirJob: Watch = {
  kind: PodKind,
  keysFor(pod: KubeObject): ObjectKey[] {
    const owner = pod.metadata.ownerReferences?.find(
      (r) => r.controller === true && r.kind === 'Job' && r.apiVersion.startsWith('batch/'),
    );
    return owner ? [{ kind: JobKind, namespace: pod.metadata.namespace, name: owner.name }] : [];
  },
};

/**
 * Runs Jobs to completion (kube's Job controller, NonIndexed completion mode): keeps the wanted
 * number of pods running, retries failures with exponential backoff up to backoffLimit, enforces
 * activeDeadlineSeconds, marks the Job Complete or Failed, and deletes it ttlSecondsAfterFinished
 * later. The rules are in planJob; this adapter reads the Job and its pods and applies the plan.
 */
export const jobController: Controller = {
  name: 'job-controller',
  kind: JobKind,
  watches: [podsWakeTheirJob],
  reconcile: reconcileJob,
};

async function reconcileJob(key: ObjectKey, context: ReconcileContext): Promise<ReconcileResult> {
  const { store } = context;
  const job = await getJob(store, key);
  // A deleted Job's pods are the garbage collector's to remove.
  if (!job || job.metadata.deletionTimestamp) return {};
  const plan = planJob(job, await podsOf(store, job), context.now());
  await apply(job, plan, context);
  return plan.requeueAfterSeconds === undefined ? {} : { requeueAfterSeconds: plan.requeueAfterSeconds };
}

async function getJob(store: ObjectStore, key: ObjectKey): Promise<Job | undefined> {
  try {
    // Stored objects were decoded with the Job schema on the way in, so they have its shape.
    // Parsed with its schema, so every defaulted field (status included) is there to read.
    return Job.parse(await store.get(JobKind, key.namespace, key.name));
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** The Job's pods: labelled with its uid and controlled by it (a label alone could be forged). */
async function podsOf(store: ObjectStore, job: Job): Promise<Pod[]> {
  const uid = job.metadata.uid ?? '';
  const { items } = await store.list(PodKind, {
    namespace: job.metadata.namespace,
    labelSelector: [{ key: CONTROLLER_UID_LABEL, operator: 'In', values: [uid] }],
  });
  const controlled = items.filter((pod) =>
    pod.metadata.ownerReferences?.some((r) => r.uid === uid && r.controller === true),
  );
  // Stored pods were decoded with the Pod schema, so they have its shape.
  return controlled as unknown as Pod[];
}

async function apply(job: Job, plan: JobPlan, { store, events }: ReconcileContext): Promise<void> {
  const about = job as unknown as KubeObject;
  for (const attempt of plan.create) {
    const pod = await createPod(store, job, attempt);
    if (pod) await events.record(about, 'Normal', 'SuccessfulCreate', `Created pod: ${pod}`);
  }
  for (const pod of plan.delete) {
    await deleteIfPresent(store, PodKind, pod as unknown as KubeObject, 'Background');
    await events.record(about, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name ?? ''}`);
  }
  if (!deepEqual(plan.status, job.status))
    await store.updateStatus(JobKind, { ...about, status: plan.status });
  if (plan.finished)
    await events.record(
      about,
      plan.finished.type === 'Complete' ? 'Normal' : 'Warning',
      plan.finished.type === 'Complete' ? 'Completed' : plan.finished.reason,
      plan.finished.type === 'Complete' ? 'Job completed' : plan.finished.message,
    );
  if (plan.deleteJob) await deleteIfPresent(store, JobKind, about, 'Background');
}

/**
 * Creates one attempt's pod; its name is deterministic, so AlreadyExists means an earlier try made
 * it. In a terminating namespace nothing may be created and the Job itself is about to go: done.
 */
async function createPod(store: ObjectStore, job: Job, attempt: number): Promise<string | undefined> {
  const manifest = jobPodManifest(job, attempt);
  let pod: KubeObject;
  try {
    pod = decodeObject(PodKind, manifest, { fieldValidation: 'Ignore' }).object;
  } catch (error) {
    if (error instanceof InvalidObjectError)
      throw new TerminalReconcileError('FailedCreate', `invalid pod template: ${error.message}`);
    throw error;
  }
  try {
    // Pending from the start, as kube-apiserver's create strategy leaves every new pod.
    return (await store.create(PodKind, withInitialStatus(PodKind, pod))).metadata.name;
  } catch (error) {
    if (error instanceof AlreadyExistsError || error instanceof NamespaceTerminatingError) return undefined;
    throw error;
  }
}
