import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { createApiHandler } from '../../../lib/api/api-handler';
import type { ApiResponse } from '../../../lib/api/http';
import { NamespaceKind } from '../../../lib/kinds/namespace';
import { findKindByKind } from '../../../lib/kinds/registry';
import type { KindInfo } from '../../../lib/kinds/kind-info';
import { logKeyOf } from '../../../lib/store/change-log/log-item';
import { TableChangeLog } from '../../../lib/store/change-log/table-change-log';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { toApiRequest } from '../../../functions/api/proxy-event';
import { statusOnError } from '../../../functions/api/status-on-error';
import { createStreamingHandler, type SignalledEvent } from '../../../functions/api/streaming-api-handler';
import { dynamoClient, dynamoEngines, uniqueTableName } from '../../support/dynamo-engines';
import { eventually } from '../../support/eventually';
import { FakeResponseStream } from '../../support/fake-response-stream';

const ConfigMap = findKindByKind('v1', 'ConfigMap') as KindInfo;
const engine = dynamoEngines().find((candidate) => candidate.name === 'dynamodb-local');
const describeOn = engine ? describe : describe.skip;

/**
 * A watch served as on AWS: API Gateway's streamed proxy event into the streaming handler (as
 * functions/api/handler.ts builds it), the API over a store whose TableChangeLog is shared with
 * another "Lambda" that writes, on DynamoDB Local (transactions). The response stream is Lambda's
 * at Skiff's port (metadata prelude, then the body).
 */
describeOn('a watch through the streaming Lambda handler', () => {
  const client = dynamoClient(engine?.endpoint ?? '');
  const tableName = uniqueTableName('lambda-watch');
  const newStore = () => {
    const changes = new TableChangeLog({ client, tableName, pollIntervalMs: 20 });
    return { changes, store: new DynamoObjectStore({ client, tableName, changes }) };
  };
  beforeAll(async () => {
    await createObjectTable(client, tableName);
    await newStore().store.create(NamespaceKind, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'default' },
    });
  });
  afterAll(() => client.destroy());

  const handlerFor = (out: FakeResponseStream) => {
    const { store, changes } = newStore();
    const api = createApiHandler({ store, watch: { feed: changes, maxSeconds: 14 * 60 } });
    return createStreamingHandler(
      middy(async (event: SignalledEvent): Promise<ApiResponse> =>
        api({ ...toApiRequest(event), signal: event.signal }),
      ).use(statusOnError<SignalledEvent, ApiResponse>((response) => response)),
      { open: () => out.open, deadlineMarginMs: 1000 },
    );
  };
  const watchEvent = (query: Record<string, string>) =>
    ({
      httpMethod: 'GET',
      path: '/api/v1/namespaces/default/configmaps',
      queryStringParameters: query,
      multiValueQueryStringParameters: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])),
      headers: { Accept: 'application/json' },
      multiValueHeaders: { Accept: ['application/json'] },
      body: null,
      isBase64Encoded: false,
    }) as unknown as APIGatewayProxyEvent;
  const lines = (out: FakeResponseStream) =>
    out.body
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; object: { metadata: { name?: string } } });

  it('streams the changes another writer commits, and ends cleanly before the invocation times out', async () => {
    const writer = newStore().store;
    const listed = await writer.list(ConfigMap, { namespace: 'default' });
    const out = new FakeResponseStream();
    const started = Date.now();
    const invocation = handlerFor(out)(
      watchEvent({ watch: 'true', resourceVersion: listed.metadata.resourceVersion }),
      {} as never,
      // Room for a change to cross the change log's 2 s gap timeout before the stream must end.
      { getRemainingTimeInMillis: () => 8000 } as Context,
    );
    await writer.create(ConfigMap, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'from-lambda', namespace: 'default' },
    });
    await eventually(async () =>
      expect(out.metadata).toEqual({ statusCode: 200, headers: { 'content-type': 'application/json' } }),
    );
    await eventually(async () =>
      expect(lines(out).map((event) => `${event.type} ${event.object.metadata.name}`)).toEqual([
        'ADDED from-lambda',
      ]),
    );
    await writer.delete(ConfigMap, 'default', 'from-lambda');
    await eventually(async () => expect(lines(out).map((event) => event.type)).toEqual(['ADDED', 'DELETED']));
    await invocation;
    expect(out.ended).toBe(true);
    // The stream ended at the deadline margin (8 s left, 1 s margin), not at the 14-minute cap.
    expect(Date.now() - started).toBeGreaterThanOrEqual(6900);
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it('answers a revision whose records DynamoDB TTL removed with an ERROR event carrying 410 Expired', async () => {
    const writer = newStore();
    const first = await writer.store.create(ConfigMap, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'expiring', namespace: 'default' },
    });
    await writer.store.delete(ConfigMap, 'default', 'expiring');
    await writer.changes.head(); // a reader resolves the log and records its watermark
    // DynamoDB's TTL removes the record after the create, as it does once a record is old enough.
    const revision = Number(first.metadata.resourceVersion);
    await client.send(new DeleteItemCommand({ TableName: tableName, Key: logKeyOf(revision + 1) }));

    const out = new FakeResponseStream();
    await handlerFor(out)(
      watchEvent({ watch: 'true', resourceVersion: String(revision) }),
      {} as never,
      { getRemainingTimeInMillis: () => 60_000 } as Context,
    );
    expect(out.metadata?.statusCode).toBe(200);
    const events = lines(out) as unknown as { type: string; object: { code: number; reason: string } }[];
    expect(events).toEqual([
      expect.objectContaining({
        type: 'ERROR',
        object: expect.objectContaining({ code: 410, reason: 'Expired' }),
      }),
    ]);
    expect(out.ended).toBe(true);
  });
});
