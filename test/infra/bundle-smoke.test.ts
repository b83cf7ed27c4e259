import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  DynamoDBBatchResponse,
  DynamoDBStreamEvent,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { buildSync } from 'esbuild';
import { toEsbuildOptions } from '../../infra/bundle-options';
import { objectOfRecord } from '../../lib/controllers/record-keys';
import { encodeRequeue } from '../../lib/controllers/requeue-message';
import type { StreamRecord } from '../../lib/controllers/stream-record';
import { ReplicaSetKind } from '../../lib/kinds/replica-set';
import { createObjectTable } from '../../lib/store/create-object-table';
import { aDeployment } from '../support/builders';
import { eventually } from '../support/eventually';
import { StreamPump } from '../support/stream-pump';
import { dynamoClient, uniqueTableName } from '../support/dynamo-engines';
import { engineEndpoint } from '../support/engines/test-engines';
import { PROJECT_ROOT } from '../support/engines/project-root';

/**
 * The bundles the stack ships, built by esbuild with the options SkiffFunction gives NodejsFunction
 * (infra/bundle-options.ts), copied out of the repository and run on a bare Node.js: what the
 * TypeScript tests cannot see (a dependency esbuild cannot resolve, an external the runtime lacks,
 * module-scope code that throws once minified) fails here. Each handler gets the event shape AWS
 * delivers: an API Gateway REST proxy event, a DynamoDB stream batch read from DynamoDB Local's stream.
 * The reconcile test also needs moto (SKIFF_ENGINES=dynamodb-local,moto) for its requeue queue.
 */
const endpoint = engineEndpoint('dynamodb-local');
const motoEndpoint = engineEndpoint('moto');
const describeWithDynamoDbLocal = endpoint ? describe : describe.skip;

/**
 * Loads one bundle and invokes one export with each event in turn, as one Lambda container would,
 * with Lambda's invocation context as far as Skiff's handlers read it. The answers go to a file:
 * stdout carries the handlers' own logs (the invocation metrics).
 */
const SCRIPT = `
const fs = require('node:fs');
const { Writable } = require('node:stream');
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
if (input.streaming) {
  // Lambda's Node.js runtime as a streaming function sees it: streamifyResponse marks the handler,
  // HttpResponseStream.from writes the metadata prelude (JSON, then 8 NUL bytes) API Gateway reads.
  globalThis.awslambda = {
    streamifyResponse: (handler) => handler,
    HttpResponseStream: {
      from(stream, metadata) {
        stream.write(JSON.stringify(metadata) + '\\0'.repeat(8));
        return stream;
      },
    },
  };
}
const handler = require(input.bundle)[input.exportName];
const context = { awsRequestId: 'smoke', functionName: 'smoke', getRemainingTimeInMillis: () => 30000 };
async function invokeStreaming(event) {
  const chunks = [];
  const stream = new Writable({ write(chunk, _encoding, done) { chunks.push(chunk); done(); } });
  const finished = new Promise((resolve) => stream.on('finish', resolve));
  await handler(event, stream, context);
  await finished;
  const [prelude, ...body] = Buffer.concat(chunks).toString('utf8').split('\\0'.repeat(8));
  return { ...JSON.parse(prelude), body: body.join('\\0'.repeat(8)) };
}
(async () => {
  const answers = [];
  for (const event of input.events) {
    answers.push(input.streaming ? await invokeStreaming(event) : await handler(event, context));
  }
  fs.writeFileSync(input.answers, JSON.stringify(answers));
})().catch((error) => { console.error(error); process.exit(1); });
`;

describeWithDynamoDbLocal('The shipped Lambda bundles against DynamoDB Local', () => {
  let bundleDir: string;
  let apiBundle: string;
  const tableName = uniqueTableName('bundle-smoke');

  /** Builds `entry` as the stack does, into bundleDir/<name>.js. */
  function bundle(entry: string, name: string): string {
    const outfile = path.join(bundleDir, `${name}.js`);
    buildSync(toEsbuildOptions(path.join(PROJECT_ROOT, entry), outfile));
    return outfile;
  }

  /** Loads the bundle in a fresh Node.js (one Lambda container) and invokes `exportName` with each event in turn. */
  function invoke<Answer>(
    bundlePath: string,
    exportName: string,
    events: unknown[],
    env: Record<string, string> = {},
  ): Answer[] {
    const answersFile = path.join(bundleDir, `answers-${exportName}-${Date.now()}.json`);
    const run = spawnSync(process.execPath, ['--enable-source-maps', '-e', SCRIPT], {
      cwd: bundleDir,
      input: JSON.stringify({
        bundle: bundlePath,
        exportName,
        streaming: exportName === 'streamingHandler',
        events,
        answers: answersFile,
      }),
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_ENDPOINT_URL_DYNAMODB: endpoint ?? '',
        SKIFF_TABLE_NAME: tableName,
        ...env,
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (run.status !== 0) throw new Error(`the bundle failed (status ${run.status}): ${run.stderr}`);
    return JSON.parse(readFileSync(answersFile, 'utf8')) as Answer[];
  }

  beforeAll(async () => {
    bundleDir = mkdtempSync(path.join(tmpdir(), 'skiff-bundle-smoke-'));
    await createObjectTable(dynamoClient(endpoint ?? ''), tableName);
    apiBundle = bundle('functions/api/handler.ts', 'api');
  }, 120_000);
  afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

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
      answers = invoke<APIGatewayProxyResult>(apiBundle, exportName, [
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
      const [created] = invoke<APIGatewayProxyResult>(apiBundle, 'handler', [
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

      const reconcile = bundle('functions/reconcile/handler.ts', 'reconcile');
      const [answer] = invoke<DynamoDBBatchResponse>(reconcile, 'handler', [streamEvent([insert])], {
        SKIFF_REQUEUE_QUEUE_URL: queueUrl,
        AWS_ENDPOINT_URL_SQS: motoEndpoint ?? '',
      });
      expect(answer.batchItemFailures).toEqual([]);

      const [listed] = invoke<APIGatewayProxyResult>(apiBundle, 'handler', [
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

    it("then the resync bundle's tick reconciles everything stored: the ReplicaSet's two Pods are created", () => {
      const resync = bundle('functions/resync/handler.ts', 'resync');
      // Every object due on every tick, so this one sweep covers the ReplicaSet.
      invoke(resync, 'handler', [scheduledEvent()], {
        SKIFF_REQUEUE_QUEUE_URL: queueUrl,
        AWS_ENDPOINT_URL_SQS: motoEndpoint ?? '',
        SKIFF_RESYNC_INTERVAL_SECONDS: '60',
        SKIFF_RESYNC_TICK_SECONDS: '60',
      });

      const [listed] = invoke<APIGatewayProxyResult>(apiBundle, 'handler', [
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
        const [listed] = invoke<APIGatewayProxyResult>(apiBundle, 'handler', [
          proxyEvent('GET', '/api/v1/namespaces/default/pods'),
        ]);
        return (JSON.parse(listed.body) as { items: { metadata: { name: string; uid: string } }[] }).items;
      };
      const [doomed, kept] = listPods().map((pod) => pod.metadata);
      const [deleted] = invoke<APIGatewayProxyResult>(apiBundle, 'handler', [
        // At once, as for a pod no kubelet runs: nothing here would finish a graceful deletion.
        proxyEvent('DELETE', `/api/v1/namespaces/default/pods/${doomed.name}`, undefined, {
          gracePeriodSeconds: '0',
        }),
      ]);
      expect(deleted.statusCode).toBe(200);
      const [replicaSetList] = invoke<APIGatewayProxyResult>(apiBundle, 'handler', [
        proxyEvent('GET', '/apis/apps/v1/namespaces/default/replicasets'),
      ]);
      const replicaSetName = (JSON.parse(replicaSetList.body) as { items: { metadata: { name: string } }[] })
        .items[0].metadata.name;

      const requeue = bundle('functions/requeue/handler.ts', 'requeue');
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

/** The event Lambda's DynamoDB event source mapping delivers for these records of the table's stream. */
function streamEvent(records: StreamRecord[]): DynamoDBStreamEvent {
  return {
    Records: records.map((record) => ({
      ...record,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/skiff-objects/stream/smoke',
    })) as DynamoDBStreamEvent['Records'],
  };
}

/** The event Lambda's SQS event source mapping delivers for one message of the requeue queue. */
function sqsEvent(body: string): SQSEvent {
  return {
    Records: [
      {
        messageId: 'smoke-1',
        receiptHandle: 'smoke',
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Date.now()),
          SenderId: 'smoke',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:skiff-requeue',
        awsRegion: 'us-east-1',
      },
    ],
  };
}

/** The event an EventBridge schedule rule delivers. */
function scheduledEvent() {
  return {
    version: '0',
    id: 'smoke',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:000000000000:rule/skiff-resync'],
    detail: {},
  };
}

/** An API Gateway REST proxy event, as the `{proxy+}` integration delivers it. */
function proxyEvent(
  method: string,
  requestPath: string,
  body?: unknown,
  query?: Record<string, string>,
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    Host: 'example.execute-api.us-east-1.amazonaws.com',
    ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
  };
  return {
    httpMethod: method,
    path: requestPath,
    resource: '/{proxy+}',
    pathParameters: { proxy: requestPath.slice(1) },
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: query ?? null,
    multiValueQueryStringParameters: query
      ? Object.fromEntries(Object.entries(query).map(([name, value]) => [name, [value]]))
      : null,
    stageVariables: null,
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'example',
      authorizer: null,
      httpMethod: method,
      identity: { userArn: 'arn:aws:iam::123456789012:user/smoke', sourceIp: '127.0.0.1' },
      path: `/prod${requestPath}`,
      protocol: 'HTTP/1.1',
      requestId: 'smoke',
      requestTimeEpoch: Date.now(),
      resourceId: 'proxy',
      resourcePath: '/{proxy+}',
      stage: 'prod',
    } as APIGatewayProxyEvent['requestContext'],
  };
}
