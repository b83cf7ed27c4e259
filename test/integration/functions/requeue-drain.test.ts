import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { drainRequeueQueue } from '../../../functions/requeue/requeue-drain';
import { encodeRequeue } from '../../../lib/controllers/requeue-message';
import { uniqueTableName } from '../../support/dynamo-engines';
import { engineEndpoint } from '../../support/engines/test-engines';
import {
  aJobController,
  aRequeueQueue,
  aRuntime,
  Job,
  silently,
} from '../../unit/functions/reconciler-doubles';

const motoEndpoint = engineEndpoint('moto');
const describeWithMoto = motoEndpoint ? describe : describe.skip;

/**
 * The requeue tick's drain against moto's SQS: due messages run and are deleted, delayed ones wait,
 * failed ones stay on the queue to come back. The controllers are doubles at Skiff's own port.
 */
describeWithMoto('the requeue drain (moto SQS)', () => {
  const sqs = new SQSClient({
    endpoint: motoEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  afterAll(() => sqs.destroy());

  const aQueue = async () => {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: uniqueTableName('requeue-drain') }),
    );
    return QueueUrl ?? '';
  };
  const enqueue = async (queueUrl: string, name: string, afterSeconds: number) => {
    const { body, delaySeconds } = encodeRequeue({
      controller: 'job-controller',
      key: { kind: Job, namespace: 'default', name },
      afterSeconds,
    });
    await sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, DelaySeconds: delaySeconds }),
    );
  };
  const waiting = async (queueUrl: string) => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return {
      visible: Number(Attributes?.ApproximateNumberOfMessages),
      inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible),
    };
  };
  const deadline = () => Date.now() + 20_000;

  it('runs the due reconciles once each and deletes their messages; a delayed one waits', async () => {
    const queueUrl = await aQueue();
    await enqueue(queueUrl, 'a', 0);
    await enqueue(queueUrl, 'a', 0);
    await enqueue(queueUrl, 'b', 0);
    await enqueue(queueUrl, 'later', 600);
    const { controller, reconciled } = aJobController();
    const runtime = aRuntime([controller], aRequeueQueue().queue);

    const result = await drainRequeueQueue({ sqs, queueUrl }, runtime, deadline(), silently);

    expect(result).toEqual({ received: 3, failed: 0 });
    expect(reconciled.sort()).toEqual(['a', 'b']);
    expect(await waiting(queueUrl)).toEqual({ visible: 0, inFlight: 0 });
  }, 60_000);

  it('asks once and receives nothing when no message is visible', async () => {
    const queueUrl = await aQueue();
    const { controller, reconciled } = aJobController();
    const result = await drainRequeueQueue(
      { sqs, queueUrl },
      aRuntime([controller], aRequeueQueue().queue),
      deadline(),
      silently,
    );
    expect(result).toEqual({ received: 0, failed: 0 });
    expect(reconciled).toEqual([]);
  });

  it('leaves a failed reconcile on the queue, hidden until its visibility timeout brings it back', async () => {
    const queueUrl = await aQueue();
    await enqueue(queueUrl, 'broken', 0);
    await enqueue(queueUrl, 'fine', 0);
    const { controller } = aJobController(async (key) => {
      if (key.name === 'broken') throw new Error('the reconcile failed');
      return {};
    });

    const result = await drainRequeueQueue(
      { sqs, queueUrl },
      aRuntime([controller], aRequeueQueue().queue),
      deadline(),
      silently,
    );

    expect(result).toEqual({ received: 2, failed: 1 });
    expect(await waiting(queueUrl)).toEqual({ visible: 0, inFlight: 1 });
  }, 60_000);
});
