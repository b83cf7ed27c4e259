import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { Context, EventBridgeEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { decodeObject } from '../../../lib/kinds/decode';
import { EventKind, type Event } from '../../../lib/kinds/event';
import { NamespaceKind } from '../../../lib/kinds/namespace';
import { NodeKind, type Node } from '../../../lib/kinds/node';
import { NodeClaimKind } from '../../../lib/kinds/node-claim';
import { SKIFF_TABLE_NAME } from '../../../lib/config/env-names';
import { TableChangeLog } from '../../../lib/store/change-log/table-change-log';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { aNamespace, aNode } from '../../support/builders';
import { dynamoClient, uniqueTableName } from '../../support/dynamo-engines';
import { testEngines } from '../../support/engines/test-engines';
import { aSpotInterruptionWarning } from '../../unit/cloud/fixtures/interruption-events';

// The function's store writes through the table's change log (transactions): DynamoDB Local or moto.
const endpoint = testEngines()['dynamodb-local'] ?? testEngines().moto;
const describeOn = endpoint === undefined ? describe.skip : describe;

/** An SQS record as Lambda delivers one from the interruption queue, EventBridge's event as its body. */
function anSqsRecord(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `AQEB${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1788264000000',
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: '1788264000100',
    },
    messageAttributes: {},
    md5OfBody: '0c9c1b1b7e3a4f0e9b2d7d5e1f3a2b4c',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:skiff-interruption',
    awsRegion: 'us-east-1',
  };
}

describeOn('the interruption Lambda', () => {
  const client = dynamoClient(endpoint ?? '');
  const tableName = uniqueTableName('interruption-fn');
  const store = new DynamoObjectStore({
    client,
    tableName,
    changes: new TableChangeLog({ client, tableName }),
  });
  const saved = { ...process.env };
  let handler: (event: SQSEvent | EventBridgeEvent<string, unknown>, context: Context) => Promise<unknown>;
  // The function logs to the console, as on Lambda: kept out of the test output, and read back.
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);

  beforeAll(async () => {
    await createObjectTable(client, tableName);
    await store.create(NamespaceKind, decodeObject(NamespaceKind, aNamespace({ name: 'default' })).object);
    Object.assign(process.env, {
      [SKIFF_TABLE_NAME]: tableName,
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    // The handler builds its store from the environment when its module loads, as on a cold start.
    ({ handler } = jest.requireActual<typeof import('../../../functions/interruption/handler')>(
      '../../../functions/interruption/handler',
    ));
  });
  afterAll(() => {
    jest.restoreAllMocks();
    process.env = saved;
    client.destroy();
  });

  const context = { functionName: 'skiff-interruption', awsRequestId: 'req-1' } as Context;
  const invoke = (records: SQSRecord[]) =>
    handler({ Records: records }, context) as Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

  it('cordons the node, records the Events and deletes the claim, acknowledging every message', async () => {
    const instanceId = 'i-0aaaaaaaaaaaaaaa1';
    const claim = await store.create(
      NodeClaimKind,
      decodeObject(NodeClaimKind, {
        apiVersion: 'skiff.dev/v1alpha1',
        kind: 'NodeClaim',
        metadata: { name: 'spot-a', finalizers: ['karpenter.sh/termination'] },
        spec: { nodePool: 'default', instanceType: 'm5.large', capacityType: 'spot' },
      }).object,
    );
    const providerID = `aws:///us-east-1a/${instanceId}`;
    await store.updateStatus(NodeClaimKind, { ...claim, status: { instanceId, providerID } });
    await store.create(NodeKind, decodeObject(NodeKind, aNode({ name: 'spot-a', providerID })).object);

    const answer = await invoke([
      anSqsRecord('m-spot', aSpotInterruptionWarning(instanceId)),
      anSqsRecord('m-junk', 'not an event'),
    ]);

    expect(answer).toEqual({ batchItemFailures: [] });
    expect(warn).toHaveBeenCalledWith('interruption message acknowledged unread', {
      messageId: 'm-junk',
      why: 'the body is not JSON',
    });
    const node = (await store.get(NodeKind, undefined, 'spot-a')) as unknown as Node;
    expect(node.spec.unschedulable).toBe(true);
    expect(node.spec.taints).toEqual([{ key: 'karpenter.sh/disrupted', effect: 'NoSchedule' }]);
    expect((await store.get(NodeClaimKind, undefined, 'spot-a')).metadata.deletionTimestamp).toBeDefined();
    const events = (await store.list(EventKind, { namespace: 'default' })).items as unknown as Event[];
    expect(
      events.map((e) => `${e.involvedObject.kind} ${e.reason} by ${e.source?.component}`).sort(),
    ).toEqual([
      'Node SpotInterrupted by skiff-interruption',
      'Node TerminatingOnInterruption by skiff-interruption',
      'NodeClaim SpotInterrupted by skiff-interruption',
      'NodeClaim TerminatingOnInterruption by skiff-interruption',
    ]);
  });

  // How the stack invokes it: an EventBridge rule's asynchronous invocation, one event each.
  const direct = (json: string) => handler(JSON.parse(json) as EventBridgeEvent<string, unknown>, context);

  it('handles one event an EventBridge rule invokes it with, and acknowledges an unreadable one', async () => {
    const instanceId = 'i-0ccccccccccccccc1';
    const claim = await store.create(
      NodeClaimKind,
      decodeObject(NodeClaimKind, {
        apiVersion: 'skiff.dev/v1alpha1',
        kind: 'NodeClaim',
        metadata: { name: 'spot-direct', finalizers: ['karpenter.sh/termination'] },
        spec: { nodePool: 'default', instanceType: 'm5.large', capacityType: 'spot' },
      }).object,
    );
    const providerID = `aws:///us-east-1a/${instanceId}`;
    await store.updateStatus(NodeClaimKind, { ...claim, status: { instanceId, providerID } });
    await store.create(NodeKind, decodeObject(NodeKind, aNode({ name: 'spot-direct', providerID })).object);

    await expect(direct(aSpotInterruptionWarning(instanceId, { id: 'ev-direct' }))).resolves.toBeUndefined();
    await expect(
      direct(JSON.stringify({ id: 'ev-junk', 'detail-type': 'Nothing' })),
    ).resolves.toBeUndefined();

    const node = (await store.get(NodeKind, undefined, 'spot-direct')) as unknown as Node;
    expect(node.spec.unschedulable).toBe(true);
    expect(
      (await store.get(NodeClaimKind, undefined, 'spot-direct')).metadata.deletionTimestamp,
    ).toBeDefined();
    expect(warn).toHaveBeenCalledWith('interruption message acknowledged unread', {
      messageId: 'ev-junk',
      why: expect.stringContaining('Nothing'),
    });
  });

  it('reports the messages whose handling failed in batchItemFailures, and acknowledges the unreadable', async () => {
    await client.send(new DeleteTableCommand({ TableName: tableName }));

    const answer = await invoke([
      anSqsRecord('m-first', aSpotInterruptionWarning('i-0bbbbbbbbbbbbbbb1')),
      anSqsRecord('m-junk', '{}'),
      anSqsRecord('m-second', aSpotInterruptionWarning('i-0bbbbbbbbbbbbbbb2')),
    ]);

    expect(answer).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm-first' }, { itemIdentifier: 'm-second' }],
    });
    // Invoked by a rule, the failure throws: Lambda retries the event, then parks it.
    await expect(
      direct(aSpotInterruptionWarning('i-0bbbbbbbbbbbbbbb3', { id: 'ev-failing' })),
    ).rejects.toThrow('interruption event ev-failing (SpotInterruption) failed');
  });
});
