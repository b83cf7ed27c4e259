import { jobPodManifest } from '../../../../lib/controllers/job/job-pod';
import { planJob } from '../../../../lib/controllers/job/plan-job';
import { decodeObject } from '../../../../lib/kinds/decode';
import { JobKind, type Job, type JobStatus } from '../../../../lib/kinds/job';
import { PodKind, type Pod } from '../../../../lib/kinds/pod';
import { aJob, type JobOptions } from '../../../support/builders';

const T0 = new Date('2026-01-01T00:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const iso = (seconds: number) =>
  at(seconds)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');

function job(options: JobOptions = {}, status: JobStatus = {}): Job {
  const decoded = decodeObject(JobKind, aJob(options)).object;
  return {
    ...decoded,
    metadata: { ...decoded.metadata, uid: 'job-uid' },
    status: { startTime: iso(0), ...status },
  } as unknown as Job;
}

/** Attempt `attempt`'s pod, in `phase`; a finished one finished at `finishedAt` seconds. */
function pod(of: Job, attempt: number, phase: string, finishedAt = 0): Pod {
  const manifest = jobPodManifest(of, attempt);
  const terminated = phase === 'Succeeded' || phase === 'Failed';
  const status = {
    phase,
    ...(terminated
      ? {
          containerStatuses: [
            {
              name: 'app',
              state: { terminated: { exitCode: phase === 'Failed' ? 1 : 0, finishedAt: iso(finishedAt) } },
            },
          ],
        }
      : {}),
  };
  return decodeObject(PodKind, { ...manifest, status }).object as unknown as Pod;
}

describe('planJob', () => {
  it('starts min(parallelism, completions) pods and stamps startTime', () => {
    const fresh = job({ completions: 3, parallelism: 2 });
    const plan = planJob({ ...fresh, status: {} }, [], at(0));
    expect(plan.create).toEqual([0, 1]);
    expect(plan.status).toMatchObject({ active: 2, succeeded: 0, failed: 0, startTime: iso(0) });
  });

  it('replaces a succeeded pod only while completions remain', () => {
    const j = job({ completions: 3, parallelism: 2 });
    expect(planJob(j, [pod(j, 0, 'Succeeded'), pod(j, 1, 'Running')], at(5)).create).toEqual([2]);
    expect(
      planJob(j, [pod(j, 0, 'Succeeded'), pod(j, 1, 'Succeeded'), pod(j, 2, 'Running')], at(5)).create,
    ).toEqual([]);
  });

  it('completes when succeeded reaches completions', () => {
    const j = job({ completions: 2 });
    const plan = planJob(j, [pod(j, 0, 'Succeeded'), pod(j, 1, 'Succeeded')], at(30));
    expect(plan.finished?.type).toBe('Complete');
    expect(plan.status).toMatchObject({ succeeded: 2, active: 0, completionTime: iso(30) });
    expect(plan.status.conditions).toEqual([
      expect.objectContaining({ type: 'Complete', status: 'True', lastTransitionTime: iso(30) }),
    ]);
  });

  it.each([
    { failures: 1, now: 5, create: [], requeue: 5 },
    { failures: 1, now: 10, create: [1], requeue: undefined },
    { failures: 2, now: 19, create: [], requeue: 1 },
    { failures: 2, now: 20, create: [2], requeue: undefined },
    { failures: 3, now: 39, create: [], requeue: 1 },
  ])(
    'after $failures failure(s), at $now s after the last, creates $create',
    ({ failures, now, create, requeue }) => {
      const j = job({ backoffLimit: 6 });
      const pods = Array.from({ length: failures }, (_, i) => pod(j, i, 'Failed', 0));
      const plan = planJob(j, pods, at(now));
      expect(plan.create).toEqual(create);
      expect(plan.requeueAfterSeconds).toBe(requeue);
      expect(plan.status.failed).toBe(failures);
    },
  );

  it('fails with BackoffLimitExceeded once failures pass backoffLimit, deleting active pods', () => {
    const j = job({ backoffLimit: 1, parallelism: 2, completions: 4 });
    const running = pod(j, 2, 'Running');
    const plan = planJob(j, [pod(j, 0, 'Failed'), pod(j, 1, 'Failed'), running], at(60));
    expect(plan.finished).toMatchObject({ type: 'Failed', reason: 'BackoffLimitExceeded' });
    expect(plan.delete).toEqual([running]);
    expect(plan.create).toEqual([]);
    expect(plan.status.completionTime).toBeUndefined();
  });

  it('fails with DeadlineExceeded past activeDeadlineSeconds, and requeues for the deadline before', () => {
    const j = job({ activeDeadlineSeconds: 100 });
    const running = [pod(j, 0, 'Running')];
    expect(planJob(j, running, at(40)).requeueAfterSeconds).toBe(60);
    expect(planJob(j, running, at(100)).finished).toMatchObject({ reason: 'DeadlineExceeded' });
  });

  it('deletes the newest extra pods when parallelism drops', () => {
    const j = job({ parallelism: 1, completions: 5 });
    const plan = planJob(j, [pod(j, 0, 'Running'), pod(j, 1, 'Running'), pod(j, 2, 'Running')], at(1));
    expect(plan.delete.map((p) => p.metadata.annotations?.['batch.skiff.dev/attempt'])).toEqual(['2', '1']);
    expect(plan.status.active).toBe(1);
  });

  it.each([
    { now: 50, deleteJob: false, requeue: 50 },
    { now: 100, deleteJob: true, requeue: undefined },
  ])(
    'deletes a finished Job ttlSecondsAfterFinished later (at $now s: $deleteJob)',
    ({ now, deleteJob, requeue }) => {
      const finished: JobStatus = {
        completionTime: iso(0),
        conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: iso(0) }],
      };
      const j = job({ ttlSecondsAfterFinished: 100 }, finished);
      const plan = planJob(j, [pod(j, 0, 'Succeeded')], at(now));
      expect(plan.deleteJob).toBe(deleteJob);
      expect(plan.requeueAfterSeconds).toBe(requeue);
      expect(plan.create).toEqual([]);
    },
  );

  it('counts container restarts against backoffLimit under restartPolicy OnFailure', () => {
    const j = job({ backoffLimit: 2, podSpec: { restartPolicy: 'OnFailure' } });
    const restarting = decodeObject(PodKind, {
      ...jobPodManifest(j, 0),
      status: { phase: 'Running', containerStatuses: [{ name: 'app', restartCount: 3 }] },
    }).object as unknown as Pod;
    expect(planJob(j, [restarting], at(1)).finished).toMatchObject({ reason: 'BackoffLimitExceeded' });
  });
});
