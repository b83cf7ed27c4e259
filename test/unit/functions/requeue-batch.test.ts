import { runRequeueBatch } from '../../../functions/requeue/requeue-batch';
import { encodeRequeue } from '../../../lib/controllers/requeue-message';
import { aJobController, aRequeueQueue, aRuntime, Job, silently } from './reconciler-doubles';

const jobKey = (name: string) => ({ kind: Job, namespace: 'default', name });
const aMessage = (messageId: string, name: string, afterSeconds = 60) => ({
  messageId,
  body: encodeRequeue({ controller: 'job-controller', key: jobKey(name), afterSeconds }).body,
});

describe('requeue function (SQS batch)', () => {
  it('reconciles each due key once, however many messages ask for it', async () => {
    const { controller, reconciled } = aJobController();
    const { queue } = aRequeueQueue();
    const response = await runRequeueBatch(
      [aMessage('m1', 'a'), aMessage('m2', 'a'), aMessage('m3', 'b')],
      aRuntime([controller], queue),
      silently,
    );
    expect(reconciled.sort()).toEqual(['a', 'b']);
    expect(response).toEqual({ batchItemFailures: [] });
  });

  it('sends a message owing more delay on for its next stretch instead of reconciling early', async () => {
    const { controller, reconciled } = aJobController();
    const { queue, sent } = aRequeueQueue();
    await runRequeueBatch([aMessage('m1', 'a', 3600)], aRuntime([controller], queue), silently);
    expect(reconciled).toEqual([]);
    expect(sent).toEqual([{ controller: 'job-controller', key: jobKey('a'), afterSeconds: 2700 }]);
  });

  it('sends on the requeue a reconcile asks for', async () => {
    const { controller } = aJobController(async () => ({ requeueAfterSeconds: 30 }));
    const { queue, sent } = aRequeueQueue();
    await runRequeueBatch([aMessage('m1', 'a')], aRuntime([controller], queue), silently);
    expect(sent).toEqual([{ controller: 'job-controller', key: jobKey('a'), afterSeconds: 30 }]);
  });

  it('reports every message behind a failed reconcile, and only those', async () => {
    const { controller } = aJobController(async (key) => {
      if (key.name === 'a') throw new Error('boom');
      return {};
    });
    const { queue } = aRequeueQueue();
    const response = await runRequeueBatch(
      [aMessage('m1', 'a'), aMessage('m2', 'b'), aMessage('m3', 'a')],
      aRuntime([controller], queue),
      silently,
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }, { itemIdentifier: 'm3' }]);
  });

  it('reports a message it cannot decode (it ends in the dead-letter queue) and runs the rest', async () => {
    const { controller, reconciled } = aJobController();
    const { queue } = aRequeueQueue();
    const errors: string[] = [];
    const response = await runRequeueBatch(
      [{ messageId: 'bad', body: '{"controller":"gone"}' }, aMessage('m2', 'b')],
      aRuntime([controller], queue),
      (message) => errors.push(message),
    );
    expect(reconciled).toEqual(['b']);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
    expect(errors).toEqual(['requeue message bad cannot be run']);
  });

  it('reports the messages whose onward requeue the queue refused, so they come back', async () => {
    const { controller } = aJobController(async (key) => ({
      requeueAfterSeconds: key.name === 'a' ? 30 : undefined,
    }));
    const { queue } = aRequeueQueue({ refuse: true });
    const response = await runRequeueBatch(
      [aMessage('m1', 'a'), aMessage('m2', 'b'), aMessage('m3', 'c', 3600)],
      aRuntime([controller], queue),
      silently,
    );
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m1', 'm3']);
  });
});
