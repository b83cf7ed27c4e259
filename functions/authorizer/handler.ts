import middy from '@middy/core';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { loadAuthConfig } from '../../lib/auth/auth-config';
import { eksTokenAuthenticator } from '../../lib/auth/token-authenticator';
import { loadApiConfig } from '../../lib/config/api-config';
import { functionDynamoClient } from '../../lib/store/dynamo-client-tuning';
import { DynamoObjectStore } from '../../lib/store/dynamo-object-store';
import { invocationMetrics } from '../invocation-metrics';
import { requestAuthorizer } from './request-authorizer';

// Once per container: configuration, the store (read only: access entries, claims, nodes) and the
// authenticator, whose caches of verified tokens and entries serve every invocation.
const client = functionDynamoClient();
const store = new DynamoObjectStore({ client, tableName: loadApiConfig().tableName });
const authenticate = eksTokenAuthenticator(store, loadAuthConfig());

/** API Gateway's REQUEST authorizer for the Kubernetes API (infra/constructs/api-authorizer.ts). */
export const handler = middy<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>(
  requestAuthorizer(authenticate),
).use(invocationMetrics('authorizer'));
