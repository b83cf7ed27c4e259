import type { Job, JobCondition, JobStatus } from '../../kinds/job';
import type { Pod } from '../../kinds/pod';
import { timestamp } from '../../store/server-fields';
import { backoffDelaySeconds } from './backoff';
import { attemptOf } from './job-pod';
import { classifyJobPods } from './job-pods';

/** Why a Job finished, as its condition and Event say it. */
export interface JobOutcome {
  type: 'Complete' | 'Failed';
  reason: string;
  message: string;
}

export interface JobPlan {
  /** Attempts (pod name seeds, see jobPodName) to create now. */
  create: number[];
  /** Active pods to delete: extras over parallelism, or all of them once the Job finished. */
  delete: Pod[];
  /** The status to store (the adapter writes it only when it differs from the stored one). */
  status: JobStatus;
  /** Set when this reconcile finishes the Job. */
  finished?: JobOutcome;
  /** ttlSecondsAfterFinished has run out: delete the Job (its pods follow through the garbage collector). */
  deleteJob: boolean;
  requeueAfterSeconds?: number;
}

const BACKOFF_LIMIT_EXCEEDED: JobOutcome = {
  type: 'Failed',
  reason: 'BackoffLimitExceeded',
  message: 'Job has reached the specified backoff limit',
};
const DEADLINE_EXCEEDED: JobOutcome = {
  type: 'Failed',
  reason: 'DeadlineExceeded',
  message: 'Job was active longer than specified deadline',
};
const COMPLETIONS_REACHED: JobOutcome = {
  type: 'Complete',
  reason: 'CompletionsReached',
  message: 'Reached expected number of succeeded pods',
};

/**
 * What the Job controller does for one Job (kube's syncJob, NonIndexed mode), from the Job and its
 * pods at `now`. Pure and deterministic, so its rules are table-tested:
 *
 * - failures (failed pods, plus container restarts under OnFailure) over backoffLimit fail the Job
 *   (BackoffLimitExceeded); running past activeDeadlineSeconds fails it (DeadlineExceeded);
 *   `completions` succeeded pods complete it (or, without completions, any success once nothing
 *   runs). A finished Job's active pods are deleted.
 * - otherwise min(parallelism, completions - succeeded) pods are kept active; after the n-th
 *   failure a new pod waits backoffDelaySeconds(n) from that failure, and the Job is requeued for
 *   the end of the wait, as for its deadline.
 * - ttlSecondsAfterFinished after finishing, the Job is deleted.
 */
export function planJob(job: Job, pods: readonly Pod[], now: Date): JobPlan {
  const spec = job.spec;
  const previous = job.status;
  const observed = classifyJobPods(pods, spec.template.spec.restartPolicy);
  const counts = { succeeded: observed.succeeded.length, failed: observed.failed.length };
  const done = finishedCondition(previous);
  if (done) {
    const status = { ...previous, ...counts, active: 0, ready: 0 };
    return { create: [], delete: observed.active, status, ...expiry(job, status, now) };
  }

  const startTime = spec.suspend ? previous.startTime : (previous.startTime ?? timestamp(now));
  const outcome = outcomeOf(job, observed, startTime, now);
  if (outcome) {
    const at = timestamp(now);
    const condition: JobCondition = {
      type: outcome.type,
      status: 'True',
      lastProbeTime: at,
      lastTransitionTime: at,
      reason: outcome.reason,
      message: outcome.message,
    };
    const status: JobStatus = {
      ...previous,
      ...counts,
      startTime,
      active: 0,
      ready: 0,
      conditions: [...(previous.conditions ?? []), condition],
      ...(outcome.type === 'Complete' ? { completionTime: at } : {}),
    };
    return { create: [], delete: observed.active, status, finished: outcome, ...expiry(job, status, now) };
  }

  const wanted = wantedActive(job, observed.active.length, counts.succeeded);
  const excess = Math.max(0, observed.active.length - wanted);
  const toDelete = [...observed.active].sort((a, b) => attemptOf(b) - attemptOf(a)).slice(0, excess);
  const missing = Math.max(0, wanted - observed.active.length);
  const waits: number[] = [];
  let create: number[] = [];
  if (missing > 0) {
    const readyAt = backoffEnd(observed.failures, observed.lastFailureTime);
    if (readyAt && readyAt > now) waits.push(secondsUntil(readyAt, now));
    else {
      const next = Math.max(-1, ...pods.map(attemptOf)) + 1;
      create = Array.from({ length: missing }, (_, i) => next + i);
    }
  }
  if (spec.activeDeadlineSeconds !== undefined && startTime)
    waits.push(secondsUntil(addSeconds(new Date(startTime), spec.activeDeadlineSeconds), now));
  const status: JobStatus = {
    ...previous,
    ...counts,
    ...(startTime ? { startTime } : {}),
    active: observed.active.length - toDelete.length + create.length,
    ready: observed.ready,
  };
  return {
    create,
    delete: toDelete,
    status,
    deleteJob: false,
    ...(waits.length > 0 ? { requeueAfterSeconds: Math.min(...waits) } : {}),
  };
}

/** The Complete or Failed condition that is True, if the Job has finished. */
export function finishedCondition(status: JobStatus): JobCondition | undefined {
  return status.conditions?.find(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
}

function outcomeOf(
  job: Job,
  observed: ReturnType<typeof classifyJobPods>,
  startTime: string | undefined,
  now: Date,
): JobOutcome | undefined {
  const { backoffLimit, activeDeadlineSeconds, completions } = job.spec;
  if (observed.failures > backoffLimit) return BACKOFF_LIMIT_EXCEEDED;
  if (
    activeDeadlineSeconds !== undefined &&
    startTime &&
    now >= addSeconds(new Date(startTime), activeDeadlineSeconds)
  )
    return DEADLINE_EXCEEDED;
  const succeeded = observed.succeeded.length;
  if (completions !== undefined ? succeeded >= completions : succeeded > 0 && observed.active.length === 0)
    return COMPLETIONS_REACHED;
  return undefined;
}

/**
 * How many pods should run: none while suspended; min(parallelism, completions left); without
 * completions (a work queue), parallelism until the first success, then no new ones.
 */
function wantedActive(job: Job, active: number, succeeded: number): number {
  const { suspend, parallelism, completions } = job.spec;
  if (suspend) return 0;
  if (completions === undefined) return succeeded > 0 ? Math.min(active, parallelism) : parallelism;
  return Math.max(0, Math.min(parallelism, completions - succeeded));
}

function backoffEnd(failures: number, lastFailure: Date | undefined): Date | undefined {
  if (failures === 0 || !lastFailure) return undefined;
  return addSeconds(lastFailure, backoffDelaySeconds(failures));
}

/** For a finished Job: delete it once ttlSecondsAfterFinished has passed, else look again then. */
function expiry(job: Job, status: JobStatus, now: Date): Pick<JobPlan, 'deleteJob' | 'requeueAfterSeconds'> {
  const ttl = job.spec.ttlSecondsAfterFinished;
  const finishedAt = status.completionTime ?? finishedCondition(status)?.lastTransitionTime;
  if (ttl === undefined || !finishedAt) return { deleteJob: false };
  const expiresAt = addSeconds(new Date(finishedAt), ttl);
  if (now >= expiresAt) return { deleteJob: true };
  return { deleteJob: false, requeueAfterSeconds: secondsUntil(expiresAt, now) };
}

function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}

/** Whole seconds from `now` until `at`, at least 1 so a requeue never spins. */
function secondsUntil(at: Date, now: Date): number {
  return Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
}
