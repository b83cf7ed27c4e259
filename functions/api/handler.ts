import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { ApiResponse } from '../../lib/api/http';
import { createApiHandler } from '../../lib/api/api-handler';
import { loadApiConfig } from '../../lib/config/api-config';
import { withoutResponseLogging } from '../../lib/store/dynamo-client-tuning';
import { DynamoObjectStore } from '../../lib/store/dynamo-object-store';
import { httpResponseStream, streamifyResponse } from './aws-lambda-streaming';
import { toApiRequest, toProxyResult } from './proxy-event';
import { statusOnError } from './status-on-error';
import { createStreamingHandler, type SignalledEvent } from './streaming-api-handler';
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
  .use(statusOnError(toProxyResult))
  .use(invocationMetrics('api'));

/**
 * The same API behind the streaming proxy integration (`responseTransferMode: STREAM`, invoked
 * with InvokeWithResponseStream), which also carries streamed responses (watch, `logs -f`). The
 * integration moves to it with the watch work; until then `handler` serves every request. Its
 * invocation metrics measure the time to the response's head.
 */
export const streamingHandler = streamifyResponse(
  createStreamingHandler(
    middy(async (event: SignalledEvent): Promise<ApiResponse> =>
      api({ ...toApiRequest(event), signal: event.signal }),
    )
      .use(statusOnError<SignalledEvent, ApiResponse>((response) => response))
      .use(invocationMetrics('api')),
    { open: httpResponseStream },
  ),
);
