import { reconcileStreamBatch } from '../../../functions/reconcile/stream-batch';
import { aJobController, aJobRecord, aRequeueQueue, aRuntime, Job } from './reconciler-doubles';

describe('reconcile function (stream batch)', () => {
  let consoleError: jest.SpyInstance;
  beforeEach(() => {
    consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => consoleError.mockRestore());

  it('reconciles each record and answers with an empty partial batch response', async () => {
    const { controller, reconciled } = aJobController();
    const { queue, sent } = aRequeueQueue();
    const response = await reconcileStreamBatch(
      [aJobRecord('a', 1), aJobRecord('b', 2)],
      aRuntime([controller], queue),
    );
    expect(reconciled.sort()).toEqual(['a', 'b']);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sent).toEqual([]);
  });

  it('sends the requeues the reconciles ask for to the requeue queue', async () => {
    const { controller } = aJobController(async (key) => ({
      requeueAfterSeconds: key.name === 'a' ? 3600 : undefined,
    }));
    const { queue, sent } = aRequeueQueue();
    await reconcileStreamBatch([aJobRecord('a', 1), aJobRecord('b', 2)], aRuntime([controller], queue));
    expect(sent).toEqual([
      {
        controller: 'job-controller',
        key: { kind: Job, namespace: 'default', name: 'a' },
        afterSeconds: 3600,
      },
    ]);
  });

  it('names the earliest record behind a failed reconcile', async () => {
    const { controller } = aJobController(async (key) => {
      if (key.name === 'b') throw new Error('boom');
      return {};
    });
    const { queue } = aRequeueQueue();
    const response = await reconcileStreamBatch(
      [aJobRecord('a', 1), aJobRecord('b', 2), aJobRecord('c', 3)],
      aRuntime([controller], queue),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
  });

  it('fails the whole batch when a requeue cannot be sent, so none is lost', async () => {
    const { controller } = aJobController(async () => ({ requeueAfterSeconds: 10 }));
    const { queue } = aRequeueQueue({ refuse: true });
    await expect(reconcileStreamBatch([aJobRecord('a', 1)], aRuntime([controller], queue))).rejects.toThrow(
      'queue unavailable',
    );
  });
});
