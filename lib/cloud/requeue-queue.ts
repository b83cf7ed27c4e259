import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { encodeRequeue, type Requeue } from '../controllers/requeue-message';

/**
 * Where reconciles that asked to be looked at again later wait. Sending is at-least-once: a
 * requeue may arrive twice, which a level-based reconcile does not notice. `send` resolves only
 * when every requeue was accepted and throws RequeueSendError otherwise.
 */
export interface RequeueQueue {
  send(requeues: readonly Requeue[]): Promise<void>;
}

/** Some requeues were not accepted by the queue; the message lists them. */
export class RequeueSendError extends Error {
  override readonly name = 'RequeueSendError';
}

/** SendMessageBatch takes at most ten entries. */
const BATCH_LIMIT = 10;

/**
 * The RequeueQueue over one SQS queue (the consumer is functions/requeue). Delays beyond SQS's
 * 15 minutes are carried in the message, see encodeRequeue. The endpoint comes from
 * AWS_ENDPOINT_URL[_SQS], which the SDK reads itself.
 */
export class SqsRequeueQueue implements RequeueQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(requeues: readonly Requeue[]): Promise<void> {
    const failures: string[] = [];
    for (let start = 0; start < requeues.length; start += BATCH_LIMIT) {
      const batch = requeues.slice(start, start + BATCH_LIMIT);
      const answer = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((requeue, index) => {
            const { body, delaySeconds } = encodeRequeue(requeue);
            return { Id: String(index), MessageBody: body, DelaySeconds: delaySeconds };
          }),
        }),
      );
      for (const failed of answer.Failed ?? [])
        failures.push(
          `${batch[Number(failed.Id)]?.key.name ?? failed.Id}: ${failed.Code ?? ''} ${failed.Message ?? ''}`,
        );
    }
    if (failures.length) throw new RequeueSendError(`requeue queue refused ${failures.join('; ')}`);
  }
}
