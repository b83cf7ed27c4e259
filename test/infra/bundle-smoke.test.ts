import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { APIGatewayProxyResult, DynamoDBBatchResponse, SQSBatchResponse } from 'aws-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { objectOfRecord } from '../../lib/controllers/record-keys';
import { encodeRequeue } from '../../lib/controllers/requeue-message';
import type { StreamRecord } from '../../lib/controllers/stream-record';
import { ReplicaSetKind } from '../../lib/kinds/replica-set';
import { createObjectTable } from '../../lib/store/create-object-table';
import { TableNodePodMarkers } from '../../lib/store/node-pod-markers';
import { aDeployment } from '../support/builders';
import { eventually } from '../support/eventually';
import { StreamPump } from '../support/stream-pump';
import { dynamoClient, uniqueTableName } from '../support/dynamo-engines';
import { engineEndpoint } from '../support/engines/test-engines';
import { proxyEvent, scheduledEvent, sqsEvent, streamEvent } from './lambda-events';
import {
  invokeShipped,
  synthesizeShippedStack,
  type ShippedFunction,
  type ShippedStack,
} from './shipped-bundles';

/**
 * The bundles the stack ships, as `cdk synth` writes them to cdk.out (test/infra/shipped-bundles.ts),
 * run on a bare Node.js: what the TypeScript tests cannot see (a dependency esbuild cannot resolve,
 * an external the runtime lacks, module-scope code that throws once minified) fails here. Each
 * handler gets the event shape AWS delivers: an API Gateway REST proxy event, a DynamoDB stream
 * batch read from DynamoDB Local's stream, an SQS batch, an EventBridge scheduled event. The
 * reconcile test also needs moto (SKIFF_ENGINES=dynamodb-local,moto) for its requeue queue.
 */
const endpoint = engineEndpoint('dynamodb-local');
const motoEndpoint = engineEndpoint('moto');
const describeWithDynamoDbLocal = endpoint ? describe : describe.skip;

describeWithDynamoDbLocal('The shipped Lambda bundles against DynamoDB Local', () => {
  let shipped: ShippedStack;
  let workDir: string;
  let apiFunction: ShippedFunction;
  const tableName = uniqueTableName('bundle-smoke');

  /** Invokes `fn` (its shipped export unless `exportName` says another) with each event in turn. */
  function invoke<Answer>(
    fn: ShippedFunction,
    exportName: string,
    events: unknown[],
    env: Record<string, string> = {},
  ): Answer[] {
    return invokeShipped<Answer>(
      { ...fn, exportName },
      events,
      {
        AWS_ENDPOINT_URL_DYNAMODB: endpoint ?? '',
        SKIFF_TABLE_NAME: tableName,
        SKIFF_CLUSTER_NAME: 'smoke',
        ...env,
      },
      workDir,
    );
  }

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'skiff-bundle-smoke-'));
    shipped = synthesizeShippedStack();
    await createObjectTable(dynamoClient(endpoint ?? ''), tableName);
    apiFunction = shipped.function('Api/Function');
  }, 180_000);
  afterAll(() => {
    shipped?.remove();
    rmSync(workDir, { recursive: true, force: true });
  });

  // streamingHandler is the export the stack deploys (a streaming integration); handler is the
  // buffered REST proxy one.
  describe.each([
    { exportName: 'streamingHandler', configMapName: 'smoke-streaming' },
    { exportName: 'handler', configMapName: 'smoke-proxy' },
  ])("the API bundle's $exportName", ({ exportName, configMapName }) => {
    let answers: APIGatewayProxyResult[];

    beforeAll(() => {
      const configMap = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: configMapName, namespace: 'default' },
        data: { greeting: 'hello' },
      };
      answers = invoke<APIGatewayProxyResult>(apiFunction, exportName, [
        proxyEvent('GET', '/api/v1/namespaces'),
        proxyEvent('POST', '/api/v1/namespaces/default/configmaps', configMap),
        proxyEvent('GET', `/api/v1/namespaces/default/configmaps/${configMapName}`),
      ]);
    }, 120_000);

    it('lists namespaces', () => {
      expect(answers[0].statusCode).toBe(200);
      const list = JSON.parse(answers[0].body) as { kind: string; items: { metadata: { name: string } }[] };
      expect(list.kind).toBe('NamespaceList');
      expect(list.items.map((item) => item.metadata.name)).toContain('default');
    });

    it('creates a ConfigMap and reads it back', () => {
      expect(answers[1].statusCode).toBe(201);
      expect(answers[2].statusCode).toBe(200);
      const read = JSON.parse(answers[2].body) as {
        kind: string;
        metadata: { name: string; uid?: string; resourceVersion?: string };
        data: Record<string, string>;
      };
      expect(read).toMatchObject({
        kind: 'ConfigMap',
        metadata: { name: configMapName },
        data: { greeting: 'hello' },
      });
      expect(read.metadata.uid).toBe(
        (JSON.parse(answers[1].body) as { metadata: { uid: string } }).metadata.uid,
      );
    });
  });

  it('serves a custom kind once its CRD is created, and a fresh instance of the bundle serves it too', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.smoke.skiff.dev' },
      spec: {
        group: 'smoke.skiff.dev',
        scope: 'Namespaced',
        names: { plural: 'gadgets', kind: 'Gadget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: { type: 'object', properties: { size: { type: 'integer', default: 1 } } },
                },
              },
            },
          },
        ],
      },
    };
    const gadgets = '/apis/smoke.skiff.dev/v1/namespaces/default/gadgets';
    const gadget = { apiVersion: 'smoke.skiff.dev/v1', kind: 'Gadget', metadata: { name: 'one' }, spec: {} };
    const [createdCrd, createdGadget] = invoke<APIGatewayProxyResult>(apiFunction, 'handler', [
      proxyEvent('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd),
      proxyEvent('POST', gadgets, gadget),
    ]);
    expect(createdCrd.statusCode).toBe(201);
    expect(createdGadget.statusCode).toBe(201);
    expect(JSON.parse(createdGadget.body)).toMatchObject({ spec: { size: 1 } });
    // Another instance (a cold start) reads the CRDs at its first request.
    const [read] = invoke<APIGatewayProxyResult>(apiFunction, 'handler', [
      proxyEvent('GET', `${gadgets}/one`),
    ]);
    expect(read.statusCode).toBe(200);
    expect(JSON.parse(read.body)).toMatchObject({ kind: 'Gadget', metadata: { name: 'one' } });
  }, 120_000);

  // The reconcilers requeue what they must look at again (a Deployment's progress) on SQS: moto's.
  const describeWithMoto = motoEndpoint ? describe : describe.skip;
  describeWithMoto('the reconcile, resync and requeue bundles', () => {
    let pump: StreamPump;
    let sqs: SQSClient;
    let queueUrl: string;
    beforeAll(async () => {
      pump = await StreamPump.open(endpoint ?? '', tableName);
      sqs = new SQSClient({
        endpoint: motoEndpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      });
      const queue = await sqs.send(
        new CreateQueueCommand({ QueueName: uniqueTableName('bundle-smoke-requeue') }),
      );
      queueUrl = queue.QueueUrl ?? '';
    });
    afterAll(() => {
      pump?.close();
      sqs?.destroy();
    });

    it("answers a stream batch holding a Deployment's insert with no failure: its ReplicaSet is stored and its rollout requeued", async () => {
      const [created] = invoke<APIGatewayProxyResult>(apiFunction, 'handler', [
        proxyEvent(
          'POST',
          '/apis/apps/v1/namespaces/default/deployments',
          aDeployment({ name: 'smoke', replicas: 2 }),
        ),
      ]);
      expect(created.statusCode).toBe(201);
      const insert = await eventually(async () => {
        await pump.poll();
        const record = pump
          .records()
          .find((r) => r.eventName === 'INSERT' && objectOfRecord(r)?.object.kind === 'Deployment');
        expect(record).toBeDefined();
        return record as StreamRecord;
      });

      const reconcile = shipped.function('Reconciler/Function');
      const [answer] = invoke<DynamoDBBatchResponse>(reconcile, 'handler', [streamEvent([insert])], {
        SKIFF_REQUEUE_QUEUE_URL: queueUrl,
        AWS_ENDPOINT_URL_SQS: motoEndpoint ?? '',
      });
      expect(answer.batchItemFailures).toEqual([]);

      const [listed] = invoke<APIGatewayProxyResult>(apiFunction, 'handler', [
        proxyEvent('GET', '/apis/apps/v1/namespaces/default/replicasets'),
      ]);
      const replicaSets = JSON.parse(listed.body) as {
        items: {
          metadata: { ownerReferences?: { kind: string; name: string }[] };
          spec: { replicas: number };
        }[];
      };
      expect(replicaSets.items).toHaveLength(1);
      expect(replicaSets.items[0].metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'Deployment', name: 'smoke' }),
      ]);
      expect(replicaSets.items[0].spec.replicas).toBe(2);

      // The Deployment controller asked (with a delay) to look at its rollout again, through the queue.
      const { Attributes: counts } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed'],
        }),
      );
      expect(
        Number(counts?.ApproximateNumberOfMessages ?? 0) +
          Number(counts?.ApproximateNumberOfMessagesDelayed ?? 0),
      ).toBeGreaterThan(0);
    }, 120_000);

    it("counts a bound pod's change on its node's marker, which the node role polls instead of watching", async () => {
      const [created] = invoke<APIGatewayProxyResult>(apiFunction, 'handler', [
        proxyEvent('POST', '/api/v1/namespaces/default/pods', {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'placed' },
          spec: { nodeName: 'smoke-node', containers: [{ name: 'main', image: 'busybox' }] },
        }),
      ]);
      expect(created.statusCode).toBe(201);
      const insert = await eventually(async () => {
        await pump.poll();
        const record = pump
          .records()
          .find((r) => r.eventName === 'INSERT' && objectOfRecord(r)?.object.metadata.name === 'placed');
        expect(record).toBeDefined();
        return record as StreamRecord;
      });
      const client = dynamoClient(endpoint ?? '');
      const markers = new TableNodePodMarkers({ client, tableName });
      expect(await markers.read('smoke-node')).toBe(0);
      const [answer] = invoke<DynamoDBBatchResponse>(
        shipped.function('Reconciler/Function'),
        'handler',
        [streamEvent([insert])],
        { SKIFF_REQUEUE_QUEUE_URL: queueUrl, AWS_ENDPOINT_URL_SQS: motoEndpoint ?? '' },
      );
      expect(answer.batchItemFailures).toEqual([]);
      expect(await markers.read('smoke-node')).toBe(1);
      client.destroy();
      const [deleted] = invoke<APIGatewayProxyResult>(apiFunction, 'handler', [
        proxyEvent('DELETE', '/api/v1/namespaces/default/pods/placed', undefined, {
          gracePeriodSeconds: '0',
        }),
      ]);
      expect(deleted.statusCode).toBe(200);
    }, 120_000);

    it("then the resync bundle's tick reconciles everything stored: the ReplicaSet's two Pods are created", () => {
      const resync = shipped.function('Reconciler/ResyncFunction');
      // Every object due on every tick, so this one sweep covers the ReplicaSet.
      invoke(resync, 'handler', [scheduledEvent()], {
        SKIFF_REQUEUE_QUEUE_URL: queueUrl,
        AWS_ENDPOINT_URL_SQS: motoEndpoint ?? '',
        SKIFF_RESYNC_INTERVAL_SECONDS: '60',
        SKIFF_RESYNC_TICK_SECONDS: '60',
      });

      const [listed] = invoke<APIGatewayProxyResult>(apiFunction, 'handler', [
        proxyEvent('GET', '/api/v1/namespaces/default/pods'),
      ]);
      const pods = JSON.parse(listed.body) as {
        items: { metadata: { ownerReferences?: { kind: string }[] } }[];
      };
      expect(pods.items).toHaveLength(2);
      expect(pods.items.map((pod) => pod.metadata.ownerReferences?.[0]?.kind)).toEqual([
        'ReplicaSet',
        'ReplicaSet',
      ]);
    }, 120_000);

    it("then the requeue bundle's SQS batch reconciles the ReplicaSet it names: a deleted Pod is replaced", () => {
      // By uid: the ReplicaSet may give the replacement the name the deleted Pod had.
      const listPods = () => {
        const [listed] = invoke<APIGatewayProxyResult>(apiFunction, 'handler', [
          proxyEvent('GET', '/api/v1/namespaces/default/pods'),
        ]);
        return (JSON.parse(listed.body) as { items: { metadata: { name: string; uid: string } }[] }).items;
      };
      const [doomed, kept] = listPods().map((pod) => pod.metadata);
      const [deleted] = invoke<APIGatewayProxyResult>(apiFunction, 'handler', [
        // At once, as for a pod no kubelet runs: nothing here would finish a graceful deletion.
        proxyEvent('DELETE', `/api/v1/namespaces/default/pods/${doomed.name}`, undefined, {
          gracePeriodSeconds: '0',
        }),
      ]);
      expect(deleted.statusCode).toBe(200);
      const [replicaSetList] = invoke<APIGatewayProxyResult>(apiFunction, 'handler', [
        proxyEvent('GET', '/apis/apps/v1/namespaces/default/replicasets'),
      ]);
      const replicaSetName = (JSON.parse(replicaSetList.body) as { items: { metadata: { name: string } }[] })
        .items[0].metadata.name;

      const requeue = shipped.function('Reconciler/RequeueFunction');
      const { body } = encodeRequeue({
        controller: 'replicaset-controller',
        key: { kind: ReplicaSetKind, namespace: 'default', name: replicaSetName },
        afterSeconds: 0,
      });
      const [answer] = invoke<SQSBatchResponse>(requeue, 'handler', [sqsEvent(body)], {
        SKIFF_REQUEUE_QUEUE_URL: queueUrl,
        AWS_ENDPOINT_URL_SQS: motoEndpoint ?? '',
      });
      expect(answer.batchItemFailures).toEqual([]);

      const after = listPods().map((pod) => pod.metadata.uid);
      expect(after).toHaveLength(2);
      expect(after).toContain(kept.uid);
      expect(after).not.toContain(doomed.uid);
    }, 120_000);
  });
});
