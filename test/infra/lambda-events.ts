import type { APIGatewayProxyEvent, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import type { StreamRecord } from '../../lib/controllers/stream-record';

/** The event Lambda's DynamoDB event source mapping delivers for these records of the table's stream. */
export function streamEvent(records: StreamRecord[]): DynamoDBStreamEvent {
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
export function sqsEvent(body: string): SQSEvent {
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
export function scheduledEvent() {
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
export function proxyEvent(
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
      // The caller as the API Gateway authorizer hands it on (functions/authorizer): a cluster admin.
      authorizer: { username: 'smoke-admin', groups: '["system:masters","system:authenticated"]' },
      httpMethod: method,
      identity: { userArn: 'arn:aws:iam::123456789012:user/smoke', sourceIp: '127.0.0.1' },
      path: `/prod${requestPath}`,
      protocol: 'HTTP/1.1',
      requestId: 'smoke',
      requestTimeEpoch: Date.now(),
      resourceId: 'proxy',
      resourcePath: '/{proxy+}',
      stage: 'prod',
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}
