import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createApiHandler } from '../../lib/api/api-handler';
import { loadApiConfig } from '../../lib/config/api-config';
import { withoutResponseLogging } from '../../lib/store/dynamo-client-tuning';
import { DynamoObjectStore } from '../../lib/store/dynamo-object-store';
import { toApiRequest, toProxyResult } from './proxy-event';
import { statusOnError } from './status-on-error';
import { invocationMetrics } from '../invocation-metrics';

// Once per container: configuration, the client (endpoint from AWS_ENDPOINT_URL[_DYNAMODB], read
// by the SDK itself) and the store are reused by every invocation.
const config = loadApiConfig();
const client = withoutResponseLogging(new DynamoDBClient({}));
const api = createApiHandler({ store: new DynamoObjectStore({ client, tableName: config.tableName }) });

/** The Kubernetes API behind API Gateway's REST proxy integration. */
export const handler = middy(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> =>
  toProxyResult(await api(toApiRequest(event))),
)
  .use(statusOnError())
  .use(invocationMetrics('api'));
