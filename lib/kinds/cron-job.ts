import * as z from 'zod';
import { cronScheduleError, isKnownTimeZone } from './cron-schedule';
import { emptyByDefault } from './empty-by-default';
import { invalidValue, requiredValue, unsupportedValue } from './field-error';
import { nonNegativeInt32, nonNegativeInt64 } from './int32';
import type { KindInfo } from './kind-info';
import { LabelSelector } from './label-selector';
import { ObjectMeta } from './meta';
import { ObjectReference } from './object-reference';
import { PodTemplateSpec } from './pod-template-spec';
import { timestamp } from './time';

export const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'] as const;
/** kube's DNS1035LabelMaxLength less the 11 characters of a Job's suffix. */
const MAX_NAME_LENGTH = 52;
const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

/**
 * A Job template's spec as stored in a CronJob: kube applies the Job's defaults only when it
 * creates the Job, so the template keeps what was written (and its pod template's defaults).
 */
const JobTemplateJobSpec = z.looseObject({
  parallelism: nonNegativeInt32.optional(),
  completions: nonNegativeInt32.optional(),
  activeDeadlineSeconds: nonNegativeInt64.optional(),
  backoffLimit: nonNegativeInt32.optional(),
  selector: LabelSelector.optional(),
  manualSelector: z.boolean().optional(),
  template: emptyByDefault(PodTemplateSpec),
  ttlSecondsAfterFinished: nonNegativeInt32.optional(),
  suspend: z.boolean().optional(),
});

export const JobTemplateSpec = z.object({
  metadata: ObjectMeta.prefault({}),
  spec: emptyByDefault(JobTemplateJobSpec),
});

/** kube's validateTimeZone: an explicit IANA zone name. */
function timeZoneError(zone: string): string | undefined {
  if (zone === '') return 'timeZone must be nil or non-empty string';
  const parts = zone.split('/');
  if (parts.some((p) => p === '.' || p === '..' || p.startsWith('-') || !TIME_ZONE_PART.test(p)))
    return `unknown time zone ${zone}`;
  if (zone.toLowerCase() === 'local')
    return 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones';
  if (!isKnownTimeZone(zone)) return `unknown time zone ${zone}`;
  return undefined;
}

/**
 * batch/v1 CronJobSpec with SetDefaults_CronJob (concurrencyPolicy Allow, suspend false, history
 * limits 3 successful and 1 failed) and validateCronJobSpec's checks.
 */
export const CronJobSpec = z
  .object({
    schedule: z.string().default(''),
    timeZone: z.string().optional(),
    startingDeadlineSeconds: z.number().int().optional(),
    concurrencyPolicy: z.string().default('Allow'),
    suspend: z.boolean().default(false),
    jobTemplate: emptyByDefault(JobTemplateSpec),
    successfulJobsHistoryLimit: z.number().int().default(3),
    failedJobsHistoryLimit: z.number().int().default(1),
  })
  .superRefine((spec, ctx) => {
    const issue = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (spec.schedule === '') issue(['schedule'], requiredValue());
    else {
      const error = cronScheduleError(spec.schedule);
      if (error) issue(['schedule'], invalidValue(spec.schedule, error));
      if (spec.schedule.includes('TZ'))
        issue(
          ['schedule'],
          invalidValue(spec.schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'),
        );
    }
    if (spec.startingDeadlineSeconds !== undefined && spec.startingDeadlineSeconds < 0)
      issue(
        ['startingDeadlineSeconds'],
        invalidValue(spec.startingDeadlineSeconds, 'must be greater than or equal to 0'),
      );
    if (spec.timeZone !== undefined) {
      const error = timeZoneError(spec.timeZone);
      if (error) issue(['timeZone'], invalidValue(spec.timeZone, error));
    }
    if (!(CONCURRENCY_POLICIES as readonly string[]).includes(spec.concurrencyPolicy))
      issue(['concurrencyPolicy'], unsupportedValue(spec.concurrencyPolicy, CONCURRENCY_POLICIES));
    const restartPolicy = spec.jobTemplate.spec.template.spec.restartPolicy;
    if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never')
      issue(
        ['jobTemplate', 'spec', 'template', 'spec', 'restartPolicy'],
        unsupportedValue(restartPolicy, ['OnFailure', 'Never']),
      );
    for (const field of ['successfulJobsHistoryLimit', 'failedJobsHistoryLimit'] as const)
      if (spec[field] < 0) issue([field], invalidValue(spec[field], 'must be greater than or equal to 0'));
  });
export type CronJobSpec = z.infer<typeof CronJobSpec>;

export const CronJobStatus = z.object({
  active: z.array(ObjectReference).optional(),
  lastScheduleTime: timestamp.optional(),
  lastSuccessfulTime: timestamp.optional(),
});
export type CronJobStatus = z.infer<typeof CronJobStatus>;

/**
 * batch/v1 CronJob: runs a Job from its template on a cron schedule, in a time zone, under a
 * concurrency policy, keeping a history of finished Jobs. The CronJob controller
 * (lib/controllers/cron-job) does the running.
 */
export const CronJob = z
  .object({
    apiVersion: z.literal('batch/v1'),
    kind: z.literal('CronJob'),
    metadata: emptyByDefault(ObjectMeta),
    spec: emptyByDefault(CronJobSpec),
    status: CronJobStatus.prefault({}),
  })
  .superRefine((cronJob, ctx) => {
    // Its Jobs are named `<name>-<minutes>` (11 more characters) and must stay DNS-1035 labels.
    const name = cronJob.metadata.name ?? '';
    if (name.length > MAX_NAME_LENGTH)
      ctx.addIssue({
        code: 'custom',
        path: ['metadata', 'name'],
        message: invalidValue(name, `must be no more than ${MAX_NAME_LENGTH} characters`),
      });
  });
export type CronJob = z.infer<typeof CronJob>;

export const CronJobKind: KindInfo = {
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  singular: 'cronjob',
  shortNames: ['cj'],
  namespaced: true,
  hasStatus: true,
  nameFormat: 'dns1123-subdomain',
  schema: CronJob,
  categories: ['all'],
  fieldSelectors: {},
};
