import { resync } from '../../../functions/resync/resync';
import { aJob, aJobController, aRequeueQueue, aRuntime, aStore, Job, silently } from './reconciler-doubles';

describe('resync function', () => {
  it("reconciles every object of each controller's kind", async () => {
    const { controller, reconciled } = aJobController();
    const { queue } = aRequeueQueue();
    const store = aStore([aJob('a'), aJob('b'), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }]);
    const result = await resync(aRuntime([controller], queue, store), silently);
    expect(reconciled.sort()).toEqual(['a', 'b']);
    expect(result).toEqual({ reconciled: 2, failed: 0 });
  });

  it('counts failed reconciles and sends the requeues asked for', async () => {
    const { controller } = aJobController(async (key) => {
      if (key.name === 'a') throw new Error('boom');
      return { requeueAfterSeconds: 5 };
    });
    const { queue, sent } = aRequeueQueue();
    const result = await resync(aRuntime([controller], queue, aStore([aJob('a'), aJob('b')])), silently);
    expect(result).toEqual({ reconciled: 2, failed: 1 });
    expect(sent).toEqual([
      { controller: 'job-controller', key: { kind: Job, namespace: 'default', name: 'b' }, afterSeconds: 5 },
    ]);
  });
});
