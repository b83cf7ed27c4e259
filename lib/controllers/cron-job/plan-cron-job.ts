import type { CronJob, CronJobStatus } from '../../kinds/cron-job';
import { CronScheduleError } from '../../kinds/cron-schedule';
import type { Job } from '../../kinds/job';
import { scheduleOf, type Schedule } from './schedule-times';

/**
 * kube's CronJob controller (pkg/controller/cronjob, syncCronJob and cleanupFinishedJobs) as a pure
 * function of the CronJob, the Jobs it controls and the time.
 */

export interface CronJobEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface CronJobPlan {
  /** The status to write; a Job created by `create` is added to `active` by whoever creates it. */
  status: CronJobStatus;
  /** The Job to start now, for this scheduled time. */
  create?: { name: string; scheduledTime: Date };
  /** Jobs to delete: finished ones beyond the history limits, and active ones a Replace ends. */
  delete: Job[];
  events: CronJobEvent[];
  requeueAfterSeconds?: number;
}

/** kube's nextScheduleDelta: wake a little after the firing, never just before it. */
const NEXT_SCHEDULE_DELTA_MS = 100;
/** Missed firings past which kube warns (TooManyMissedTimes). */
const MANY_MISSED = 100;

function finishedAs(job: Job): 'Complete' | 'Failed' | undefined {
  const done = job.status.conditions?.find(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
  return done?.type as 'Complete' | 'Failed' | undefined;
}

/** `<cronjob>-<scheduled time in minutes since the epoch>`: one Job per firing, whoever creates it. */
export function jobNameFor(cronJob: CronJob, scheduledTime: Date): string {
  return `${cronJob.metadata.name ?? ''}-${Math.floor(scheduledTime.getTime() / 60000)}`;
}

/** kube's RFC1123Z: `Sun, 08 Mar 2026 06:31:00 +0000`. */
function rfc1123z(t: Date): string {
  return t.toUTCString().replace('GMT', '+0000');
}

const time = (iso: string | undefined): Date | undefined => (iso ? new Date(iso) : undefined);

/** kube's Status timestamps: RFC 3339 in whole seconds. */
const stamp = (t: Date): string => t.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The active list, completions seen, and the last success, from the Jobs as they are now. */
function observeJobs(cronJob: CronJob, jobs: Job[], events: CronJobEvent[]): CronJobStatus {
  const byUid = new Map(jobs.map((job) => [job.metadata.uid ?? '', job]));
  let active = [...(cronJob.status.active ?? [])];
  let lastSuccessfulTime = cronJob.status.lastSuccessfulTime;
  for (const job of jobs) {
    const finished = finishedAs(job);
    const listed = active.some((ref) => ref.uid === job.metadata.uid);
    if (!listed && !finished)
      events.push({
        type: 'Warning',
        reason: 'UnexpectedJob',
        message: `Saw a job that the controller did not create or forgot: ${job.metadata.name ?? ''}`,
      });
    else if (listed && finished) {
      active = active.filter((ref) => ref.uid !== job.metadata.uid);
      events.push({
        type: 'Normal',
        reason: 'SawCompletedJob',
        message: `Saw completed job: ${job.metadata.name ?? ''}, condition: ${finished}`,
      });
    }
    const completed = job.status.completionTime;
    if (finished === 'Complete' && completed && (!lastSuccessfulTime || completed > lastSuccessfulTime))
      lastSuccessfulTime = completed;
  }
  for (const ref of active.filter((ref) => !byUid.has(ref.uid ?? ''))) {
    events.push({
      type: 'Normal',
      reason: 'MissingJob',
      message: `Active job went missing: ${ref.name ?? ''}`,
    });
    active = active.filter((other) => other !== ref);
  }
  return {
    ...cronJob.status,
    ...(active.length > 0 ? { active } : { active: undefined }),
    ...(lastSuccessfulTime ? { lastSuccessfulTime } : {}),
  };
}

/** cleanupFinishedJobs: the oldest finished Jobs beyond each history limit. */
function expiredHistory(cronJob: CronJob, jobs: Job[]): Job[] {
  const byStart = (a: Job, b: Job) => {
    const sa = a.status.startTime;
    const sb = b.status.startTime;
    if (sa === sb) return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
    if (!sa) return 1;
    if (!sb) return -1;
    return sa < sb ? -1 : 1;
  };
  const beyond = (kind: 'Complete' | 'Failed', limit: number) => {
    const finished = jobs.filter((job) => finishedAs(job) === kind).sort(byStart);
    return finished.slice(0, Math.max(0, finished.length - limit));
  };
  return [
    ...beyond('Complete', cronJob.spec.successfulJobsHistoryLimit),
    ...beyond('Failed', cronJob.spec.failedJobsHistoryLimit),
  ];
}

/**
 * mostRecentScheduleTime: the latest firing after the last one handled (or the CronJob's
 * creation), within startingDeadlineSeconds when `withDeadline`; how many firings that skips.
 */
function mostRecentFiring(
  cronJob: CronJob,
  schedule: Schedule,
  now: Date,
  withDeadline: boolean,
): { earliest: Date; mostRecent?: Date; missed: number } {
  let earliest = time(cronJob.status.lastScheduleTime) ?? time(cronJob.metadata.creationTimestamp) ?? now;
  const deadline = cronJob.spec.startingDeadlineSeconds;
  if (withDeadline && deadline !== undefined) {
    const limit = new Date(now.getTime() - deadline * 1000);
    if (limit > earliest) earliest = limit;
  }
  const first = schedule.next(earliest);
  if (!first || now < first) return { earliest, missed: 0 };
  let missed = 1;
  for (let t = schedule.next(first); t && t <= now && missed <= MANY_MISSED; t = schedule.next(t)) missed++;
  return { earliest, mostRecent: missed === 1 ? first : schedule.latestAtOrBefore(now), missed };
}

/** Seconds until the next firing after the most recent one, plus kube's small delta. */
function secondsToNext(cronJob: CronJob, schedule: Schedule, now: Date): number | undefined {
  const { earliest, mostRecent } = mostRecentFiring(cronJob, schedule, now, false);
  const next = schedule.next(mostRecent ?? earliest);
  if (!next) return undefined;
  return Math.max(1, Math.ceil((next.getTime() + NEXT_SCHEDULE_DELTA_MS - now.getTime()) / 1000));
}

/**
 * What the CronJob controller does now: track its Jobs (active ones, completions, the last
 * success), trim the history, and, unless suspended, start the Job of the most recent firing not
 * yet handled, within startingDeadlineSeconds and as concurrencyPolicy allows (Forbid waits for
 * the running Job, Replace deletes it first), then wake at the next firing.
 */
export function planCronJob(cronJob: CronJob, jobs: Job[], now: Date): CronJobPlan {
  const events: CronJobEvent[] = [];
  const status = observeJobs(cronJob, jobs, events);
  const expired = expiredHistory(cronJob, jobs);
  const plan: CronJobPlan = { status, delete: expired, events };
  if (cronJob.metadata.deletionTimestamp || cronJob.spec.suspend) return plan;
  let schedule: Schedule;
  try {
    schedule = scheduleOf(cronJob.spec.schedule, cronJob.spec.timeZone);
  } catch (error) {
    if (!(error instanceof CronScheduleError)) throw error;
    events.push({
      type: 'Warning',
      reason: 'UnparseableSchedule',
      message: `unparseable schedule: ${JSON.stringify(cronJob.spec.schedule)} : ${error.message}`,
    });
    return plan;
  }
  const current = { ...cronJob, status };
  const { mostRecent, missed } = mostRecentFiring(current, schedule, now, true);
  if (missed > MANY_MISSED)
    events.push({
      type: 'Warning',
      reason: 'TooManyMissedTimes',
      message: `too many missed start times: ${missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`,
    });
  plan.requeueAfterSeconds = secondsToNext(current, schedule, now);
  if (!mostRecent) return plan;
  const deadline = cronJob.spec.startingDeadlineSeconds;
  if (deadline !== undefined && mostRecent.getTime() + deadline * 1000 < now.getTime()) {
    events.push({
      type: 'Warning',
      reason: 'MissSchedule',
      message: `Missed scheduled time to start a job: ${rfc1123z(mostRecent)}`,
    });
    return plan;
  }
  const name = jobNameFor(cronJob, mostRecent);
  const handled =
    (status.active ?? []).some((ref) => ref.name === name) ||
    (status.lastScheduleTime !== undefined &&
      time(status.lastScheduleTime)?.getTime() === mostRecent.getTime());
  if (handled) return plan;
  const running = status.active ?? [];
  if (cronJob.spec.concurrencyPolicy === 'Forbid' && running.length > 0) {
    events.push({
      type: 'Normal',
      reason: 'JobAlreadyActive',
      message: 'Not starting job because prior execution is running and concurrency policy is Forbid',
    });
    return plan;
  }
  if (cronJob.spec.concurrencyPolicy === 'Replace') {
    const replaced = jobs.filter((job) => running.some((ref) => ref.uid === job.metadata.uid));
    plan.delete = [...replaced, ...expired.filter((job) => !replaced.includes(job))];
    status.active = undefined;
  }
  plan.create = { name, scheduledTime: mostRecent };
  plan.status = { ...status, lastScheduleTime: stamp(mostRecent) };
  plan.requeueAfterSeconds = secondsToNext({ ...cronJob, status: plan.status }, schedule, now);
  return plan;
}
