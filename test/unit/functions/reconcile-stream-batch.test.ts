import { reconcileStreamBatch } from '../../../functions/reconcile/stream-batch';
import {
  aJobController,
  aJobRecord,
  aMarkerBoard,
  aPodRecord,
  aRequeueQueue,
  aRuntime,
  aStore,
  Job,
} from './reconciler-doubles';

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

  it("counts each node's pod changes on its marker: a binding, a status change, a deletion", async () => {
    const { queue } = aRequeueQueue();
    const { markers, counts } = aMarkerBoard();
    await reconcileStreamBatch(
      [
        aPodRecord('unbound', 1),
        aPodRecord('bound-now', 2, undefined, 'node-a'),
        aPodRecord('running', 3, 'node-a', 'node-a'),
        aPodRecord('deleted', 4, 'node-b', null),
        aJobRecord('a', 5),
      ],
      aRuntime([], queue, aStore(), markers),
    );
    expect(Object.fromEntries(counts)).toEqual({ 'node-a': 2, 'node-b': 1 });
  });

  it('fails the batch before any reconcile when the markers cannot be counted, so no change goes untold', async () => {
    const { controller, reconciled } = aJobController();
    const { queue } = aRequeueQueue();
    await expect(
      reconcileStreamBatch(
        [aPodRecord('p', 1, undefined, 'node-a'), aJobRecord('a', 2)],
        aRuntime([controller], queue, aStore(), aMarkerBoard({ refuse: true }).markers),
      ),
    ).rejects.toThrow('table unavailable');
    expect(reconciled).toEqual([]);
  });
});
