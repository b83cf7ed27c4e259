import { garbageCollectorFor } from '../../../../lib/controllers/garbage-collector/garbage-collector';
import { jobController } from '../../../../lib/controllers/job/job-controller';
import { JobKind } from '../../../../lib/kinds/job';
import type { KubeObject } from '../../../../lib/kinds/meta';
import { PodKind } from '../../../../lib/kinds/pod';
import { aJob } from '../../../support/builders';
import { dynamoEngines } from '../../../support/dynamo-engines';
import { controllerHarness, type ControllerHarness } from '../garbage-collector/controller-harness';

interface JobStatusView {
  active?: number;
  succeeded?: number;
  failed?: number;
  startTime?: string;
  completionTime?: string;
  conditions?: { type: string; status: string; reason?: string }[];
}

describe.each(dynamoEngines())('Job controller on $name', (engine) => {
  let h: ControllerHarness;
  beforeAll(async () => {
    h = await controllerHarness(engine, 'job');
  });
  afterAll(() => h.destroy());

  const reconcile = (name: string) =>
    jobController.reconcile({ kind: JobKind, namespace: 'default', name }, h.context);
  const statusOf = async (name: string) =>
    (await h.store.get(JobKind, 'default', name)).status as JobStatusView;
  async function podsOf(name: string): Promise<KubeObject[]> {
    const { items } = await h.store.list(PodKind, { namespace: 'default' });
    return items.filter((p) => p.metadata.labels?.['job-name'] === name);
  }
  const phase = (pod: KubeObject) => (pod.status as { phase?: string }).phase;
  const active = async (name: string) =>
    (await podsOf(name)).filter((p) => phase(p) !== 'Succeeded' && phase(p) !== 'Failed');

  /** Plays the node agent: the pod's only container ended now, with `phase`. */
  async function finish(pod: KubeObject, result: 'Succeeded' | 'Failed') {
    const finishedAt = h.context
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    await h.store.updateStatus(PodKind, {
      ...pod,
      status: {
        phase: result,
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 0,
            image: 'nginx:1.27',
            imageID: '',
            state: { terminated: { exitCode: result === 'Failed' ? 1 : 0, finishedAt } },
          },
        ],
      },
    });
  }

  it('with completions 3 and parallelism 2, runs two pods at a time and completes when three succeed', async () => {
    await h.create(JobKind, aJob({ name: 'three', completions: 3, parallelism: 2 }));
    await reconcile('three');
    const first = await podsOf('three');
    expect(first).toHaveLength(2);
    const job = await h.store.get(JobKind, 'default', 'three');
    for (const pod of first) {
      expect(pod.metadata.labels).toMatchObject({ 'job-name': 'three', 'controller-uid': job.metadata.uid });
      expect((pod.spec as { restartPolicy: string }).restartPolicy).toBe('Never');
    }
    expect(await statusOf('three')).toMatchObject({ active: 2, succeeded: 0 });

    await reconcile('three'); // idempotent: nothing new while both run
    expect(await podsOf('three')).toHaveLength(2);

    h.advance(30);
    for (const pod of first) await finish(pod, 'Succeeded');
    await reconcile('three');
    const running = await active('three');
    expect(running).toHaveLength(1); // only one completion left
    expect(await statusOf('three')).toMatchObject({ active: 1, succeeded: 2 });

    h.advance(30);
    await finish(running[0], 'Succeeded');
    await reconcile('three');
    const status = await statusOf('three');
    expect(status).toMatchObject({
      active: 0,
      succeeded: 3,
      failed: 0,
      completionTime: '2026-01-01T00:01:00Z',
    });
    expect(status.conditions).toEqual([expect.objectContaining({ type: 'Complete', status: 'True' })]);
    expect(await podsOf('three')).toHaveLength(3);
  });

  it('retries failing pods with 10 s, then 20 s of backoff and stops at backoffLimit with a Failed condition', async () => {
    await h.create(JobKind, aJob({ name: 'flaky', backoffLimit: 2 }));
    await reconcile('flaky');
    const waits: (number | undefined)[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const [pod] = await active('flaky');
      expect(pod).toBeDefined();
      h.advance(5);
      await finish(pod, 'Failed');
      const result = await reconcile('flaky');
      if (attempt === 2) {
        expect(result.requeueAfterSeconds).toBeUndefined();
        break;
      }
      // No replacement before the backoff has passed, measured from the failure.
      expect(await active('flaky')).toHaveLength(0);
      waits.push(result.requeueAfterSeconds);
      h.advance((result.requeueAfterSeconds ?? 0) - 1);
      expect((await reconcile('flaky')).requeueAfterSeconds).toBe(1);
      expect(await active('flaky')).toHaveLength(0);
      h.advance(1);
      await reconcile('flaky');
    }
    expect(waits).toEqual([10, 20]);
    const status = await statusOf('flaky');
    expect(status).toMatchObject({ failed: 3, active: 0 });
    expect(status.conditions).toEqual([
      expect.objectContaining({ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }),
    ]);
    await reconcile('flaky');
    expect(await podsOf('flaky')).toHaveLength(3);
  });

  it('fails a Job running past activeDeadlineSeconds and deletes its pods', async () => {
    await h.create(
      JobKind,
      aJob({ name: 'slow', activeDeadlineSeconds: 60, parallelism: 2, completions: 2 }),
    );
    expect((await reconcile('slow')).requeueAfterSeconds).toBe(60);
    expect(await podsOf('slow')).toHaveLength(2);
    h.advance(60);
    await reconcile('slow');
    expect((await statusOf('slow')).conditions).toEqual([
      expect.objectContaining({ type: 'Failed', reason: 'DeadlineExceeded' }),
    ]);
    expect(await podsOf('slow')).toHaveLength(0);
  });

  it('deletes a finished Job ttlSecondsAfterFinished later, and the garbage collector its pods', async () => {
    await h.create(JobKind, aJob({ name: 'brief', ttlSecondsAfterFinished: 100 }));
    await reconcile('brief');
    const [pod] = await podsOf('brief');
    await finish(pod, 'Succeeded');
    expect((await reconcile('brief')).requeueAfterSeconds).toBe(100);
    h.advance(99);
    expect((await reconcile('brief')).requeueAfterSeconds).toBe(1);
    h.advance(1);
    await reconcile('brief');
    expect(await h.find(JobKind, 'default', 'brief')).toBeUndefined();
    await garbageCollectorFor(JobKind).reconcile(
      { kind: JobKind, namespace: 'default', name: 'brief' },
      h.context,
    );
    expect(await podsOf('brief')).toHaveLength(0);
  });

  it('wakes the controlling Job when one of its pods changes', () => {
    const keys = jobController.watches[0].keysFor({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'p',
        namespace: 'default',
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'three', uid: 'u', controller: true }],
      },
    });
    expect(keys).toEqual([{ kind: JobKind, namespace: 'default', name: 'three' }]);
  });
});
