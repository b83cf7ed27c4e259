import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { SKIFF_ADMIN_PRINCIPAL_ARN, SKIFF_NODE_ROLE_ARN } from '../../lib/auth/auth-config';
import { SKIFF_CLUSTER_NAME, SKIFF_TABLE_NAME } from '../../lib/config/env-names';
import type { ObjectTable } from './object-table';
import { SkiffFunction } from './skiff-function';

export interface ApiAuthorizerProps {
  table: ObjectTable;
  /** Tokens must be minted for this name: `aws eks get-token --cluster-name <clusterName>`. */
  clusterName: string;
  /** The deploying principal, made cluster admin (system:masters). */
  adminPrincipalArn?: string;
}

/**
 * How long API Gateway reuses an authorizer's answer for the same Authorization header.
 *
 * An EKS token is good for 15 minutes from its signing, and kubectl reuses one for up to 14
 * (`aws eks get-token` reports it expiring then), so every cached answer is for a token that
 * was valid when verified. The TTL bounds three things: how long after its 15 minutes a token
 * first seen late may still be accepted (at most this long), how long a deleted or changed
 * AccessEntry keeps its old effect (this plus the mapper's 5 s), and how long a node's identity
 * stays as it was. One minute keeps all three short while a kubectl session (a burst of requests
 * with one token) still costs one authorizer invocation per minute rather than one per request.
 * RBAC is not cached here: the API function decides each request against the stored policy.
 */
export const AUTHORIZER_CACHE_TTL = Duration.minutes(1);

/**
 * The API's authentication, as EKS does it: a REQUEST authorizer (functions/authorizer) whose
 * identity source is the Authorization header. A request without the header is answered 401 by
 * API Gateway without invoking anything; one whose EKS token does not verify, or whose principal no
 * AccessEntry maps, is answered 401 by the authorizer; an allowed one reaches the API function
 * with `{username, uid, groups, arn}` in its request context. The function only reads the object
 * table (access entries, and the NodeClaims and Nodes that name a node's instance) and calls STS
 * through the token's presigned URL, which needs no permission of its own.
 */
export class ApiAuthorizer extends Construct {
  readonly function: SkiffFunction;
  readonly authorizer: apigateway.RequestAuthorizer;

  constructor(scope: Construct, id: string, props: ApiAuthorizerProps) {
    super(scope, id);
    this.function = new SkiffFunction(this, 'Function', {
      entry: 'functions/authorizer/handler.ts',
      description: 'Skiff API authorizer: EKS tokens and access entries',
      memorySize: 256,
      // The verifier waits at most 5 s for STS, and the authorizer has 10 s in all at API Gateway.
      timeout: Duration.seconds(10),
      environment: {
        [SKIFF_TABLE_NAME]: props.table.tableName,
        [SKIFF_CLUSTER_NAME]: props.clusterName,
        ...(props.adminPrincipalArn ? { [SKIFF_ADMIN_PRINCIPAL_ARN]: props.adminPrincipalArn } : {}),
      },
    });
    // Read only: the store's reads (GetItem, Query) on the table and its indexes, nothing else.
    iam.Grant.addToPrincipal({
      grantee: this.function,
      actions: ['dynamodb:GetItem', 'dynamodb:Query'],
      resourceArns: [props.table.table.tableArn, `${props.table.table.tableArn}/index/*`],
    });
    props.table.encryptionKey?.grantDecrypt(this.function);

    this.authorizer = new apigateway.RequestAuthorizer(this, 'Authorizer', {
      handler: this.function,
      identitySources: [apigateway.IdentitySource.header('Authorization')],
      resultsCacheTtl: AUTHORIZER_CACHE_TTL,
    });
  }

  /** Nodes' sessions of this role are mapped to their nodes (the built-in EC2 entry). */
  trustNodeRole(roleArn: string): void {
    this.function.addEnvironment(SKIFF_NODE_ROLE_ARN, roleArn);
  }
}

/**
 * The answers API Gateway gives on its own (before or instead of the function) that clients see,
 * each with kube-apiserver's status code and reason, so kubectl prints a Kubernetes message rather
 * than `{"message":"Unauthorized"}`. A 401 is exactly kube's: `Unauthorized`.
 */
const GATEWAY_STATUSES: readonly {
  type: apigateway.ResponseType;
  code?: number;
  reason?: string;
  message?: string;
}[] = [
  { type: apigateway.ResponseType.UNAUTHORIZED, code: 401, reason: 'Unauthorized', message: 'Unauthorized' },
  { type: apigateway.ResponseType.ACCESS_DENIED, code: 403, reason: 'Forbidden' },
  { type: apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN, code: 403, reason: 'Forbidden' },
  { type: apigateway.ResponseType.RESOURCE_NOT_FOUND, code: 404, reason: 'NotFound' },
  { type: apigateway.ResponseType.BAD_REQUEST_BODY, code: 400, reason: 'BadRequest' },
  { type: apigateway.ResponseType.BAD_REQUEST_PARAMETERS, code: 400, reason: 'BadRequest' },
  { type: apigateway.ResponseType.REQUEST_TOO_LARGE, code: 413, reason: 'RequestEntityTooLarge' },
  { type: apigateway.ResponseType.UNSUPPORTED_MEDIA_TYPE, code: 415, reason: 'UnsupportedMediaType' },
  { type: apigateway.ResponseType.THROTTLED, code: 429, reason: 'TooManyRequests' },
  { type: apigateway.ResponseType.QUOTA_EXCEEDED, code: 429, reason: 'TooManyRequests' },
  { type: apigateway.ResponseType.AUTHORIZER_FAILURE, code: 500, reason: 'InternalError' },
  { type: apigateway.ResponseType.AUTHORIZER_CONFIGURATION_ERROR, code: 500, reason: 'InternalError' },
  { type: apigateway.ResponseType.API_CONFIGURATION_ERROR, code: 500, reason: 'InternalError' },
  { type: apigateway.ResponseType.INTEGRATION_FAILURE, code: 504, reason: 'Timeout' },
  { type: apigateway.ResponseType.INTEGRATION_TIMEOUT, code: 504, reason: 'Timeout' },
  // Any other 4XX or 5XX: its code is not known to the template, so the Status carries none.
  { type: apigateway.ResponseType.DEFAULT_4XX },
  { type: apigateway.ResponseType.DEFAULT_5XX },
];

/**
 * The Status body of a gateway response: a mapping template with simple `$context` substitution
 * (no VTL); `$context.error.messageString` is API Gateway's message as a quoted JSON string.
 */
export function gatewayStatusTemplate(options: { code?: number; reason?: string; message?: string }): string {
  const message =
    options.message === undefined ? '$context.error.messageString' : JSON.stringify(options.message);
  return (
    `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":${message}` +
    (options.reason ? `,"reason":"${options.reason}"` : '') +
    (options.code ? `,"code":${options.code}` : '') +
    '}'
  );
}

/** Sets the Status gateway responses on `api`. */
export function addStatusGatewayResponses(api: apigateway.IRestApi & apigateway.RestApiBase): void {
  for (const status of GATEWAY_STATUSES)
    api.addGatewayResponse(`Status${status.type.responseType}`, {
      type: status.type,
      ...(status.code ? { statusCode: String(status.code) } : {}),
      responseHeaders: { 'Content-Type': "'application/json'" },
      templates: { 'application/json': gatewayStatusTemplate(status) },
    });
}
