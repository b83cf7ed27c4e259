import { jobNameFor, planCronJob } from '../../../../lib/controllers/cron-job/plan-cron-job';
import { rfc3339InZone } from '../../../../lib/controllers/cron-job/schedule-times';
import { CronJob, CronJobKind } from '../../../../lib/kinds/cron-job';
import { decodeObject } from '../../../../lib/kinds/decode';
import type { Job } from '../../../../lib/kinds/job';

const CREATED = '2026-03-01T10:00:30Z';

function aCronJob(spec: Record<string, unknown> = {}, status: Record<string, unknown> = {}): CronJob {
  const decoded = decodeObject(CronJobKind, {
    metadata: { name: 'report', namespace: 'default' },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: {
        spec: {
          template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } },
        },
      },
      ...spec,
    },
  }).object;
  return CronJob.parse({
    ...decoded,
    metadata: { ...decoded.metadata, uid: 'cj-uid', creationTimestamp: CREATED },
    status,
  });
}

function aJob(name: string, finished?: 'Complete' | 'Failed', startTime = '2026-03-01T10:05:00Z'): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: {},
    status: {
      startTime,
      ...(finished
        ? {
            conditions: [{ type: finished, status: 'True' }],
            ...(finished === 'Complete' ? { completionTime: '2026-03-01T10:06:00Z' } : {}),
          }
        : {}),
    },
  } as unknown as Job;
}

const at = (iso: string) => new Date(iso);
const activeRef = (name: string) => ({
  kind: 'Job',
  namespace: 'default',
  name,
  uid: `uid-${name}`,
  apiVersion: 'batch/v1',
});

describe('CronJob plan', () => {
  it('starts the Job of the most recent firing, named for its minute, and wakes at the next one', () => {
    const plan = planCronJob(aCronJob(), [], at('2026-03-01T10:07:10Z'));
    expect(plan.create).toEqual({
      name: `report-${Date.parse('2026-03-01T10:05:00Z') / 60000}`,
      scheduledTime: at('2026-03-01T10:05:00Z'),
    });
    expect(plan.status.lastScheduleTime).toBe('2026-03-01T10:05:00Z');
    expect(plan.requeueAfterSeconds).toBe(171); // 10:10:00.1 - 10:07:10
  });

  it('starts nothing before the first firing after creation, and waits for it', () => {
    const plan = planCronJob(aCronJob(), [], at('2026-03-01T10:04:00Z'));
    expect(plan.create).toBeUndefined();
    expect(plan.requeueAfterSeconds).toBe(61);
  });

  it('starts nothing for a firing already handled', () => {
    const plan = planCronJob(
      aCronJob({}, { lastScheduleTime: '2026-03-01T10:05:00Z' }),
      [],
      at('2026-03-01T10:07:00Z'),
    );
    expect(plan.create).toBeUndefined();
  });

  it('starts a firing only within startingDeadlineSeconds of it', () => {
    const plan = planCronJob(
      aCronJob({ startingDeadlineSeconds: 200 }, { lastScheduleTime: '2026-03-01T10:00:00Z' }),
      [],
      at('2026-03-01T10:07:00Z'),
    );
    expect(plan.create).toEqual(expect.objectContaining({ scheduledTime: at('2026-03-01T10:05:00Z') }));
    const late = planCronJob(
      aCronJob({ startingDeadlineSeconds: 30 }, { lastScheduleTime: '2026-03-01T10:00:00Z' }),
      [],
      at('2026-03-01T10:06:00Z'),
    );
    expect(late.create).toBeUndefined();
    expect(late.requeueAfterSeconds).toBe(241); // the 10:10 firing
  });

  it('waits for the running Job under Forbid, replaces it under Replace, runs both under Allow', () => {
    const running = [aJob('report-1')];
    const status = { active: [activeRef('report-1')], lastScheduleTime: '2026-03-01T10:00:00Z' };
    const now = at('2026-03-01T10:05:01Z');
    const forbid = planCronJob(aCronJob({ concurrencyPolicy: 'Forbid' }, status), running, now);
    expect(forbid.create).toBeUndefined();
    expect(forbid.events).toContainEqual({
      type: 'Normal',
      reason: 'JobAlreadyActive',
      message: 'Not starting job because prior execution is running and concurrency policy is Forbid',
    });
    const replace = planCronJob(aCronJob({ concurrencyPolicy: 'Replace' }, status), running, now);
    expect(replace.delete.map((j) => j.metadata.name)).toEqual(['report-1']);
    expect(replace.create).toBeDefined();
    expect(replace.status.active).toBeUndefined();
    const allow = planCronJob(aCronJob({}, status), running, now);
    expect(allow.delete).toEqual([]);
    expect(allow.create).toBeDefined();
    expect(allow.status.active).toEqual(status.active);
  });

  it('takes a finished Job off the active list and records the last success', () => {
    const plan = planCronJob(
      aCronJob({}, { active: [activeRef('report-1')], lastScheduleTime: '2026-03-01T10:05:00Z' }),
      [aJob('report-1', 'Complete')],
      at('2026-03-01T10:06:30Z'),
    );
    expect(plan.status.active).toBeUndefined();
    expect(plan.status.lastSuccessfulTime).toBe('2026-03-01T10:06:00Z');
    expect(plan.events).toContainEqual({
      type: 'Normal',
      reason: 'SawCompletedJob',
      message: 'Saw completed job: report-1, condition: Complete',
    });
  });

  it('keeps 3 successful and 1 failed Jobs by default, deleting the oldest', () => {
    const jobs = [
      aJob('ok-1', 'Complete', '2026-03-01T10:01:00Z'),
      aJob('ok-2', 'Complete', '2026-03-01T10:02:00Z'),
      aJob('ok-3', 'Complete', '2026-03-01T10:03:00Z'),
      aJob('ok-4', 'Complete', '2026-03-01T10:04:00Z'),
      aJob('bad-1', 'Failed', '2026-03-01T10:01:00Z'),
      aJob('bad-2', 'Failed', '2026-03-01T10:02:00Z'),
    ];
    const plan = planCronJob(
      aCronJob({}, { lastScheduleTime: '2026-03-01T10:05:00Z' }),
      jobs,
      at('2026-03-01T10:06:00Z'),
    );
    expect(plan.delete.map((j) => j.metadata.name)).toEqual(['ok-1', 'bad-1']);
  });

  it('starts nothing while suspended, and asks for no wake-up', () => {
    const plan = planCronJob(aCronJob({ suspend: true }), [], at('2026-03-01T10:07:00Z'));
    expect(plan.create).toBeUndefined();
    expect(plan.requeueAfterSeconds).toBeUndefined();
  });

  it('fires in its time zone', () => {
    // 09:00 in New York is 14:00 UTC in March before daylight saving starts (8 March 2026).
    const cronJob = aCronJob({ schedule: '0 9 * * *', timeZone: 'America/New_York' });
    const plan = planCronJob(cronJob, [], at('2026-03-02T14:00:05Z'));
    expect(plan.create?.scheduledTime).toEqual(at('2026-03-02T14:00:00Z'));
    expect(rfc3339InZone(at('2026-03-02T14:00:00Z'), 'America/New_York')).toBe('2026-03-02T09:00:00-05:00');
    expect(rfc3339InZone(at('2026-03-02T14:00:00Z'), undefined)).toBe('2026-03-02T14:00:00Z');
    expect(planCronJob(aCronJob({ schedule: '@hourly' }), [], at('2026-03-01T11:00:01Z')).create?.name).toBe(
      jobNameFor(cronJob, at('2026-03-01T11:00:00Z')),
    );
  });
});
