import { resync } from '../../../functions/resync/resync';
import type { ResyncSchedule } from '../../../lib/controllers/resync';
import { aJob, aJobController, aRequeueQueue, aRuntime, aStore, Job, silently } from './reconciler-doubles';

/** A schedule under which every object is due (who is due is lib/controllers/resync's own test). */
const EVERYTHING_DUE: ResyncSchedule = { intervalSeconds: 0, tickSeconds: 60 };

describe('resync function', () => {
  it("reconciles every object of each controller's kind", async () => {
    const { controller, reconciled } = aJobController();
    const { queue } = aRequeueQueue();
    const store = aStore([aJob('a'), aJob('b'), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }]);
    const result = await resync(aRuntime([controller], queue, store), EVERYTHING_DUE, silently);
    expect(reconciled.sort()).toEqual(['a', 'b']);
    expect(result).toEqual({ reconciled: 2, failed: 0 });
  });

  it('counts failed reconciles and sends the requeues asked for', async () => {
    const { controller } = aJobController(async (key) => {
      if (key.name === 'a') throw new Error('boom');
      return { requeueAfterSeconds: 5 };
    });
    const { queue, sent } = aRequeueQueue();
    const result = await resync(
      aRuntime([controller], queue, aStore([aJob('a'), aJob('b')])),
      EVERYTHING_DUE,
      silently,
    );
    expect(result).toEqual({ reconciled: 2, failed: 1 });
    expect(sent).toEqual([
      { controller: 'job-controller', key: { kind: Job, namespace: 'default', name: 'b' }, afterSeconds: 5 },
    ]);
  });
});
