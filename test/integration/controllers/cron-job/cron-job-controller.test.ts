import { cronJobController } from '../../../../lib/controllers/cron-job/cron-job-controller';
import type { ReconcileContext } from '../../../../lib/controllers/controller';
import { CronJobKind } from '../../../../lib/kinds/cron-job';
import { JobKind } from '../../../../lib/kinds/job';
import type { KubeObject } from '../../../../lib/kinds/meta';
import { dynamoEngines } from '../../../support/dynamo-engines';
import { controllerHarness, type ControllerHarness } from '../garbage-collector/controller-harness';

interface CronJobStatusView {
  active?: { name: string; uid: string }[];
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
}

describe.each(dynamoEngines())('CronJob controller on $name', (engine) => {
  let h: ControllerHarness;
  beforeAll(async () => {
    h = await controllerHarness(engine, 'cronjob');
  });
  afterAll(() => h.destroy());

  /** The controller at `now`, a time the test picks (the store stamps creation with the real clock). */
  const reconcileAt = (name: string, now: Date) =>
    cronJobController.reconcile({ kind: CronJobKind, namespace: 'default', name }, {
      ...h.context,
      now: () => now,
    } as ReconcileContext);
  const statusOf = async (name: string) =>
    (await h.store.get(CronJobKind, 'default', name)).status as CronJobStatusView;

  it('starts the Job of each firing once, owned and labelled as kube does, and tracks it to completion', async () => {
    const cronJob = await h.create(CronJobKind, {
      metadata: { name: 'tick', namespace: 'default' },
      spec: {
        schedule: '*/1 * * * *',
        timeZone: 'Asia/Kolkata',
        jobTemplate: {
          metadata: { labels: { team: 'ops' } },
          spec: {
            template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
          },
        },
      },
    });
    const created = Date.parse(cronJob.metadata.creationTimestamp ?? '');
    const firing = new Date(Math.floor(created / 60000) * 60000 + 60000);
    const now = new Date(firing.getTime() + 5000);

    expect(await reconcileAt('tick', now)).toEqual({ requeueAfterSeconds: 56 });
    expect(await reconcileAt('tick', now)).toEqual({ requeueAfterSeconds: 56 });
    const { items } = await h.store.list(JobKind, { namespace: 'default' });
    expect(items.map((j) => j.metadata.name)).toEqual([`tick-${firing.getTime() / 60000}`]);
    const [job] = items;
    expect(job.metadata.labels).toMatchObject({ team: 'ops', 'batch.kubernetes.io/cronjob-name': 'tick' });
    expect(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toMatch(/\+05:30$/);
    expect(job.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        name: 'tick',
        uid: cronJob.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    const status = await statusOf('tick');
    expect(status.active?.map((ref) => ref.uid)).toEqual([job.metadata.uid]);
    expect(status.lastScheduleTime).toBe(firing.toISOString().replace('.000Z', 'Z'));
    expect(h.events).toContainEqual({
      about: 'CronJob tick',
      type: 'Normal',
      reason: 'SuccessfulCreate',
      message: `Created job ${job.metadata.name}`,
    });

    const completionTime = new Date(now.getTime() + 10_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await h.store.updateStatus(JobKind, {
      ...(job as KubeObject),
      status: { conditions: [{ type: 'Complete', status: 'True' }], completionTime, succeeded: 1 },
    });
    await reconcileAt('tick', new Date(now.getTime() + 20_000));
    const after = await statusOf('tick');
    expect(after.active).toBeUndefined();
    expect(after.lastSuccessfulTime).toBe(completionTime);
  });

  it('starts nothing while suspended', async () => {
    const cronJob = await h.create(CronJobKind, {
      metadata: { name: 'paused', namespace: 'default' },
      spec: {
        schedule: '@hourly',
        suspend: true,
        jobTemplate: {
          spec: {
            template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
          },
        },
      },
    });
    const later = new Date(Date.parse(cronJob.metadata.creationTimestamp ?? '') + 3 * 3600_000);
    expect(await reconcileAt('paused', later)).toEqual({});
    const { items } = await h.store.list(JobKind, { namespace: 'default' });
    expect(items.filter((j) => j.metadata.name?.startsWith('paused-'))).toEqual([]);
  });
  it('records FailedCreate and leaves the firing unhandled when the template makes no valid Job', async () => {
    const cronJob = await h.create(CronJobKind, {
      metadata: { name: 'broken', namespace: 'default' },
      spec: {
        schedule: '*/1 * * * *',
        jobTemplate: {
          spec: {
            completionMode: 'Sometimes',
            template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
          },
        },
      },
    });
    const later = new Date(Date.parse(cronJob.metadata.creationTimestamp ?? '') + 90_000);
    await reconcileAt('broken', later);
    expect(h.events).toContainEqual(
      expect.objectContaining({ about: 'CronJob broken', type: 'Warning', reason: 'FailedCreate' }),
    );
    expect((await statusOf('broken')).lastScheduleTime).toBeUndefined();
  });
});
