import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { encodeRequeue } from '../../lib/controllers/requeue-message';
import { decodeObject } from '../../lib/kinds/decode';
import type { KindInfo } from '../../lib/kinds/kind-info';
import { NamespaceKind } from '../../lib/kinds/namespace';
import { NodeKind, type Node } from '../../lib/kinds/node';
import { NodeClaimKind } from '../../lib/kinds/node-claim';
import { ReplicaSetKind } from '../../lib/kinds/replica-set';
import { TableChangeLog } from '../../lib/store/change-log/table-change-log';
import { createObjectTable } from '../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../lib/store/dynamo-object-store';
import { aNamespace, aNode } from '../support/builders';
import { dynamoClient, uniqueTableName } from '../support/dynamo-engines';
import { engineEndpoint } from '../support/engines/test-engines';
import { aSpotInterruptionWarning } from '../unit/cloud/fixtures/interruption-events';
import { scheduledEvent } from './lambda-events';
import { invokeShipped, synthesizeShippedStack, type ShippedStack } from './shipped-bundles';

const endpoint = engineEndpoint('dynamodb-local');
const motoEndpoint = engineEndpoint('moto');
const describeWithEngines = endpoint ? describe : describe.skip;
const describeWithMoto = endpoint && motoEndpoint ? describe : describe.skip;

/**
 * The bundles `cdk synth` ships for the functions EventBridge rules invoke with no queue or
 * trigger in between (see shipped-bundles.ts): the interruption function with one EC2 event, and
 * the requeue function with its one-minute tick, which drains the requeue queue (moto's).
 */
describeWithEngines('The shipped bundles EventBridge rules invoke', () => {
  const dynamo = dynamoClient(endpoint ?? '');
  const tableName = uniqueTableName('bundle-smoke-rules');
  const store = new DynamoObjectStore({
    client: dynamo,
    tableName,
    changes: new TableChangeLog({ client: dynamo, tableName }),
  });
  let shipped: ShippedStack;
  let workDir: string;
  const create = (kind: KindInfo, manifest: unknown) =>
    store.create(kind, decodeObject(kind, manifest).object);

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'skiff-bundle-smoke-rules-'));
    shipped = synthesizeShippedStack();
    await createObjectTable(dynamo, tableName);
    await create(NamespaceKind, aNamespace({ name: 'default' }));
  }, 180_000);

  afterAll(() => {
    shipped?.remove();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
    dynamo.destroy();
  });

  it("interruption: a spot warning as its rule delivers it cordons the instance's node and deletes its claim", async () => {
    const instanceId = 'i-0ddddddddddddddd1';
    const providerID = `aws:///us-east-1a/${instanceId}`;
    const claim = await create(NodeClaimKind, {
      apiVersion: 'skiff.dev/v1alpha1',
      kind: 'NodeClaim',
      metadata: { name: 'spot-smoke', finalizers: ['karpenter.sh/termination'] },
      spec: { nodePool: 'default', instanceType: 'm5.large', capacityType: 'spot' },
    });
    await store.updateStatus(NodeClaimKind, { ...claim, status: { instanceId, providerID } });
    await create(NodeKind, aNode({ name: 'spot-smoke', providerID }));

    const interruption = shipped.function('Capacity/InterruptionFunction');
    const answers = invokeShipped(
      interruption,
      [JSON.parse(aSpotInterruptionWarning(instanceId, { id: 'smoke-spot' }))],
      { SKIFF_TABLE_NAME: tableName, SKIFF_CLUSTER_NAME: 'Skiff', AWS_ENDPOINT_URL_DYNAMODB: endpoint ?? '' },
      workDir,
    );

    expect(answers).toEqual([null]); // an asynchronous invocation's answer is not read
    const node = (await store.get(NodeKind, undefined, 'spot-smoke')) as unknown as Node;
    expect(node.spec.unschedulable).toBe(true);
    expect(
      (await store.get(NodeClaimKind, undefined, 'spot-smoke')).metadata.deletionTimestamp,
    ).toBeDefined();
  }, 120_000);

  describeWithMoto('requeue, on its tick', () => {
    const sqs = new SQSClient({
      endpoint: motoEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    afterAll(() => sqs.destroy());

    it('runs the due requeue, deletes its message and leaves the delayed one waiting', async () => {
      const { QueueUrl: queueUrl = '' } = await sqs.send(
        new CreateQueueCommand({ QueueName: uniqueTableName('bundle-smoke-drain') }),
      );
      for (const afterSeconds of [0, 600]) {
        const { body, delaySeconds } = encodeRequeue({
          controller: 'replicaset-controller',
          // Gone (never created): a reconcile of a missing object is done.
          key: { kind: ReplicaSetKind, namespace: 'default', name: `ghost-${afterSeconds}` },
          afterSeconds,
        });
        await sqs.send(
          new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, DelaySeconds: delaySeconds }),
        );
      }

      const requeue = shipped.function('Reconciler/RequeueFunction');
      const answers = invokeShipped(
        requeue,
        [scheduledEvent()],
        {
          SKIFF_TABLE_NAME: tableName,
          SKIFF_REQUEUE_QUEUE_URL: queueUrl,
          AWS_ENDPOINT_URL_DYNAMODB: endpoint ?? '',
          AWS_ENDPOINT_URL_SQS: motoEndpoint ?? '',
        },
        workDir,
      );

      expect(answers).toEqual([null]);
      const { Attributes: counts } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
      );
      expect(counts).toEqual({
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '0',
        ApproximateNumberOfMessagesDelayed: '1',
      });
    }, 120_000);
  });
});
