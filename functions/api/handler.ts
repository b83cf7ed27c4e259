import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { ApiResponse } from '../../lib/api/http';
import { loadAuthConfig } from '../../lib/auth/auth-config';
import { eksTokenAuthenticator } from '../../lib/auth/token-authenticator';
import { loadApiConfig } from '../../lib/config/api-config';
import { functionDynamoClient } from '../../lib/store/dynamo-client-tuning';
import { DynamoObjectStore } from '../../lib/store/dynamo-object-store';
import { TableChangeLog } from '../../lib/store/change-log/table-change-log';
import { createAuthenticatedApi } from './authenticated-api';
import { httpResponseStream, streamifyResponse } from './aws-lambda-streaming';
import { toApiRequest, toProxyResult } from './proxy-event';
import { statusOnError } from './status-on-error';
import { storedCatalogueDryRun } from './stored-catalogue-dry-run';
import { createStreamingHandler, type SignalledEvent } from './streaming-api-handler';
import { invocationMetrics } from '../invocation-metrics';

/** The longest a watch lasts on Lambda: under API Gateway's 15-minute limit on a streamed response. */
const WATCH_MAX_SECONDS = 14 * 60;

// Once per container: configuration, the client (endpoint from AWS_ENDPOINT_URL[_DYNAMODB], read
// by the SDK itself) and the store are reused by every invocation.
const config = loadApiConfig();
const client = functionDynamoClient();
// One change log per container: the revisions every write takes, and the records watches follow.
const changes = new TableChangeLog({ client, tableName: config.tableName });
const store = new DynamoObjectStore({ client, tableName: config.tableName, changes });
const auth = loadAuthConfig();
const api = createAuthenticatedApi({
  store,
  // Who calls: the authorizer's context, else the request's own token (functions/api/authenticated-api.ts).
  authenticate: eksTokenAuthenticator(store, auth),
  operators: auth.operators,
  // A streamed response ends at 15 minutes: a watch ends itself a minute before, cleanly, and the
  // client reconnects from its last resourceVersion as it does with kube-apiserver.
  watch: { feed: changes, maxSeconds: WATCH_MAX_SECONDS },
  // The scheduler's dry run, where the stack enabled it, over the catalogue the scheduler publishes.
  ...(config.dryRun ? { plan: storedCatalogueDryRun(store, client, config.tableName, config.dryRun) } : {}),
});

/** The Kubernetes API behind API Gateway's REST proxy integration. */
export const handler = middy(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> =>
  toProxyResult(await api(toApiRequest(event), event.requestContext?.authorizer)),
)
  .use(statusOnError(toProxyResult))
  .use(invocationMetrics('api'));

/**
 * The same API behind the streaming proxy integration (`responseTransferMode: STREAM`, invoked
 * with InvokeWithResponseStream), which the deployed API uses (infra/constructs/object-api.ts):
 * it also carries streamed responses (watch, later `logs -f`). Its invocation metrics measure the
 * time to the response's head.
 */
export const streamingHandler = streamifyResponse(
  createStreamingHandler(
    middy(async (event: SignalledEvent): Promise<ApiResponse> =>
      api({ ...toApiRequest(event), signal: event.signal }, event.requestContext?.authorizer),
    )
      .use(statusOnError<SignalledEvent, ApiResponse>((response) => response))
      .use(invocationMetrics('api')),
    { open: httpResponseStream },
  ),
);
