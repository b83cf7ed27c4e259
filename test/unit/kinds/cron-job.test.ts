import { CronJobKind, type CronJob } from '../../../lib/kinds/cron-job';
import { decoded, invalidLines } from './decode-helpers';

const aCronJob = (spec: Record<string, unknown> = {}, name = 'report') => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name, namespace: 'default' },
  spec: {
    schedule: '*/5 * * * *',
    jobTemplate: {
      spec: {
        template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } },
      },
    },
    ...spec,
  },
});

describe('CronJob', () => {
  it("takes kube's defaults and leaves the Job template's spec as written", () => {
    const { spec } = decoded<CronJob>(CronJobKind, aCronJob());
    expect(spec).toMatchObject({
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
    expect(spec.jobTemplate.spec.backoffLimit).toBeUndefined();
  });

  it.each([
    ['@hourly', undefined],
    ['0 9 * * MON-FRI', undefined],
    ['*/15 0-6 1,15 jan-jun ?', undefined],
    ['foo', 'expected exactly 5 fields, found 1: [foo]'],
    ['61 * * * *', 'end of range (61) above maximum (59): 61'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
  ])('reads the schedule %j as robfig/cron does', (schedule, error) => {
    const lines = error ? invalidLines(CronJobKind, aCronJob({ schedule })) : [];
    expect(lines).toEqual(
      error ? [`spec.schedule: Invalid value: ${JSON.stringify(schedule)}: ${error}`] : [],
    );
  });

  it('refuses TZ in the schedule, unknown time zones and unsupported policies', () => {
    expect(
      invalidLines(
        CronJobKind,
        aCronJob({
          schedule: 'CRON_TZ=UTC 0 * * * *',
          timeZone: 'Mars/Olympus',
          concurrencyPolicy: 'Sometimes',
        }),
      ),
    ).toEqual([
      'spec.schedule: Invalid value: "CRON_TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
      'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
      'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    ]);
    // robfig/cron reads the zone before the schedule: only a zone it does not know is a parse error.
    expect(invalidLines(CronJobKind, aCronJob({ schedule: 'TZ=Mars/Olympus 0 * * * *' }))).toEqual([
      'spec.schedule: Invalid value: "TZ=Mars/Olympus 0 * * * *": provided bad location Mars/Olympus: unknown time zone Mars/Olympus',
      'spec.schedule: Invalid value: "TZ=Mars/Olympus 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    ]);
    expect(invalidLines(CronJobKind, aCronJob({ timeZone: 'Local' }))).toEqual([
      'spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
    ]);
    expect(decoded<CronJob>(CronJobKind, aCronJob({ timeZone: 'Europe/Paris' })).spec.timeZone).toBe(
      'Europe/Paris',
    );
  });

  it("requires a schedule, a Job's restart policy and a name its Jobs can extend", () => {
    expect(
      invalidLines(CronJobKind, {
        ...aCronJob(
          {
            schedule: undefined,
            jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'b' }] } } } },
          },
          'r'.repeat(53),
        ),
      }),
    ).toEqual([
      'spec.schedule: Required value',
      'spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
      `metadata.name: Invalid value: "${'r'.repeat(53)}": must be no more than 52 characters`,
    ]);
  });
});
