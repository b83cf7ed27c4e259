import { CronJob, CronJobKind, type CronJobStatus } from '../../kinds/cron-job';
import { decodeObject } from '../../kinds/decode';
import { InvalidObjectError } from '../../kinds/errors';
import { JobKind, type Job } from '../../kinds/job';
import type { KubeObject } from '../../kinds/meta';
import { deepEqual } from '../../store/deep-equal';
import { AlreadyExistsError, NamespaceTerminatingError, NotFoundError } from '../../store/errors';
import { getIfPresent } from '../../store/get-if-present';
import type { ObjectStore } from '../../store/object-store';
import type { Controller, ObjectKey, ReconcileContext, ReconcileResult, Watch } from '../controller';
import { deleteIfPresent } from '../garbage-collector/delete-if-present';
import { jobManifest } from './cron-job-job';
import { planCronJob, type CronJobPlan } from './plan-cron-job';

/** A Job's change wakes the CronJob that controls it. */
const jobsWakeTheirCronJob: Watch = {
  kind: JobKind,
  keysFor(job: KubeObject): ObjectKey[] {
    const owner = job.metadata.ownerReferences?.find(
      (r) => r.controller === true && r.kind === 'CronJob' && r.apiVersion.startsWith('batch/'),
    );
    return owner ? [{ kind: CronJobKind, namespace: job.metadata.namespace, name: owner.name }] : [];
  },
};

/**
 * kube's CronJob controller: starts a Job at each firing of a CronJob's schedule (see planCronJob
 * for the rules), keeps its status (active Jobs, last schedule and success times), trims finished
 * Jobs to the history limits, and asks to be woken at the next firing.
 */
export const cronJobController: Controller = {
  name: 'cronjob-controller',
  kind: CronJobKind,
  watches: [jobsWakeTheirCronJob],
  reconcile: reconcileCronJob,
};

async function reconcileCronJob(key: ObjectKey, context: ReconcileContext): Promise<ReconcileResult> {
  const stored = await getIfPresent(context.store, CronJobKind, key.namespace, key.name);
  if (!stored) return {};
  // Parsed with its schema, so every defaulted field (status included) is there to read.
  const cronJob = CronJob.parse(stored);
  const jobs = await jobsOf(context.store, cronJob);
  const plan = planCronJob(cronJob, jobs, context.now());
  await apply(cronJob, plan, context);
  return plan.requeueAfterSeconds === undefined ? {} : { requeueAfterSeconds: plan.requeueAfterSeconds };
}

/** The Jobs the CronJob controls (its uid as controlling owner). */
async function jobsOf(store: ObjectStore, cronJob: CronJob): Promise<Job[]> {
  const { items } = await store.list(JobKind, { namespace: cronJob.metadata.namespace });
  return items
    .filter((job) =>
      job.metadata.ownerReferences?.some((r) => r.controller === true && r.uid === cronJob.metadata.uid),
    )
    .map((job) => job as unknown as Job);
}

async function apply(
  cronJob: CronJob,
  plan: CronJobPlan,
  { store, events }: ReconcileContext,
): Promise<void> {
  const about = cronJob as unknown as KubeObject;
  for (const event of plan.events) await events.record(about, event.type, event.reason, event.message);
  for (const job of plan.delete) {
    await deleteIfPresent(store, JobKind, job as unknown as KubeObject, 'Background');
    await events.record(about, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name ?? ''}`);
  }
  let status = plan.status;
  if (plan.create) {
    const created = await createJob(store, cronJob, plan.create.name, plan.create.scheduledTime);
    if (created === 'terminating') return;
    if ('error' in created) {
      await events.record(about, 'Warning', 'FailedCreate', `Error creating job: ${created.error}`);
      // Not started, so not scheduled: the firing stays unhandled, as kube leaves it.
      status = { ...status, lastScheduleTime: cronJob.status.lastScheduleTime };
    } else if (created.isNew)
      await events.record(about, 'Normal', 'SuccessfulCreate', `Created job ${plan.create.name}`);
    if (
      !('error' in created) &&
      created.job &&
      !(status.active ?? []).some((ref) => ref.uid === created.job?.metadata.uid)
    )
      status = { ...status, active: [...(status.active ?? []), referenceTo(created.job)] };
  }
  const clean = JSON.parse(JSON.stringify(status)) as CronJobStatus;
  if (!deepEqual(clean, cronJob.status)) {
    try {
      // Conditional on the version read: a CronJob that moved meanwhile is reconciled again.
      await store.updateStatus(CronJobKind, { ...about, status: clean });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
}

function referenceTo(job: KubeObject) {
  return {
    kind: 'Job',
    namespace: job.metadata.namespace,
    name: job.metadata.name,
    uid: job.metadata.uid,
    apiVersion: 'batch/v1',
    resourceVersion: job.metadata.resourceVersion,
  };
}

/**
 * Creates the firing's Job. Its name is the lock: AlreadyExists means an earlier try (or another
 * actor) made it, and the CronJob adopts it only when it controls it.
 */
async function createJob(
  store: ObjectStore,
  cronJob: CronJob,
  name: string,
  scheduledTime: Date,
): Promise<{ job?: KubeObject; isNew: boolean } | { error: string } | 'terminating'> {
  let job: KubeObject;
  try {
    job = decodeObject(JobKind, jobManifest(cronJob, name, scheduledTime), {
      fieldValidation: 'Ignore',
    }).object;
  } catch (error) {
    if (error instanceof InvalidObjectError) return { error: error.message };
    throw error;
  }
  try {
    return { job: await store.create(JobKind, { ...job, status: {} }), isNew: true };
  } catch (error) {
    if (error instanceof NamespaceTerminatingError) return 'terminating';
    if (!(error instanceof AlreadyExistsError)) throw error;
    const existing = await getIfPresent(store, JobKind, cronJob.metadata.namespace, name);
    const controlled = existing?.metadata.ownerReferences?.some(
      (r) => r.controller === true && r.uid === cronJob.metadata.uid,
    );
    return { job: controlled ? existing : undefined, isNew: false };
  }
}
