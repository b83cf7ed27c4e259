import { CfnOutput, Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { SKIFF_ADMIN_PRINCIPAL_ARN, SKIFF_NODE_ROLE_ARN, SKIFF_OPERATORS } from '../../lib/auth/auth-config';
import type { OperatorGrant } from '../../lib/operators/operator-access';
import {
  SKIFF_CLUSTER_NAME,
  SKIFF_DRY_RUN,
  SKIFF_SUBNETS,
  SKIFF_TABLE_NAME,
} from '../../lib/config/env-names';
import { subnetsVariable } from '../../lib/config/scheduler-config';
import { addStatusGatewayResponses, ApiAuthorizer } from './api-authorizer';
import type { ObjectTable } from './object-table';
import { SkiffFunction } from './skiff-function';

export interface ObjectApiProps {
  table: ObjectTable;
  /** The name clients mint tokens for: `aws eks get-token --cluster-name <clusterName>`. */
  clusterName: string;
  /**
   * The deploying principal's ARN, made cluster admin (system:masters) by a built-in access
   * entry (infra/app.ts reads it from `-c adminPrincipalArn=...`). Without it, no one can reach
   * the API until an AccessEntry exists, which only an admin can create.
   */
  adminPrincipalArn?: string;
}

/** What the API's dry run plans with: the cluster's zones, as the schedule function is told them. */
export interface DryRunProps {
  /** The subnets nodes launch into, whose zones the plan may use (none: every zone). */
  subnets: readonly { subnetId: string; zone: string }[];
}

/**
 * How long one response may stream: API Gateway's limit for a streamed integration response (and
 * the most an integration `timeout` may be with `responseTransferMode: STREAM`, where a buffered
 * one defaults to 29 s), which is also Lambda's longest function timeout (900 s).
 */
const STREAM_LIMIT = Duration.minutes(15);

/**
 * The Kubernetes API: a REST (v1) API Gateway proxying every path and method to one function
 * (functions/api) that reads and writes the object table. Every method has the EKS-token REQUEST
 * authorizer (ApiAuthorizer): a request reaches the function only with a verified token of a
 * principal an access entry maps, and the function then authorizes it with RBAC. The function
 * does not rely on that alone: without an authorizer context (LocalStack's community edition may
 * not run authorizers) it verifies the token itself, so it is told the same cluster name and
 * built-in entries. API Gateway's own error answers are Kubernetes Statuses.
 *
 * The integration streams (`responseTransferMode: STREAM`): API Gateway invokes the function's
 * `streamingHandler` export with InvokeWithResponseStream, so a watch (`?watch=true`) or
 * `logs -f` answer is sent as it is written. Every request takes that path, because API Gateway
 * routes on path and method, never on the query string; the streaming handler writes an ordinary
 * answer in one piece, as the buffered integration did. A streamed response lasts at most 15
 * minutes, and API Gateway ends one idle for 5 (on a regional endpoint; 30 s on an edge-optimized
 * one): the watch sends a bookmark each minute to stay inside the idle timeout, and at the 15-minute
 * limit its client reconnects from the last resourceVersion it saw, as clients do when
 * kube-apiserver ends a watch at its request timeout. The function timeout is that limit for every
 * request, since one function serves both kinds (it was 10 s, which no longer bounds a stuck
 * ordinary request).
 *
 * API Gateway needs only `lambda:InvokeFunction`, which InvokeWithResponseStream requires as
 * Invoke does; LambdaIntegration grants it to apigateway.amazonaws.com for this API's methods alone.
 */
export class ObjectApi extends Construct {
  readonly function: SkiffFunction;
  readonly restApi: apigateway.LambdaRestApi;
  readonly authorizer: ApiAuthorizer;

  constructor(scope: Construct, id: string, props: ObjectApiProps) {
    super(scope, id);
    this.function = new SkiffFunction(this, 'Function', {
      entry: 'functions/api/handler.ts',
      handler: 'streamingHandler',
      description: 'Skiff Kubernetes API',
      memorySize: 1024,
      timeout: STREAM_LIMIT,
      environment: {
        [SKIFF_TABLE_NAME]: props.table.tableName,
        [SKIFF_CLUSTER_NAME]: props.clusterName,
        ...(props.adminPrincipalArn ? { [SKIFF_ADMIN_PRINCIPAL_ARN]: props.adminPrincipalArn } : {}),
      },
    });
    props.table.grantReadWrite(this.function);
    this.authorizer = new ApiAuthorizer(this, 'Authorizer', props);

    this.restApi = new apigateway.LambdaRestApi(this, 'RestApi', {
      handler: this.function,
      proxy: true,
      integrationOptions: {
        responseTransferMode: apigateway.ResponseTransferMode.STREAM,
        timeout: STREAM_LIMIT,
      },
      description: 'Skiff Kubernetes API',
      // Regional: a stream may idle 5 minutes here, 30 s behind an edge-optimized endpoint.
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // Protobuf bodies (kubectl create, client-go) reach the function base64-encoded, byte for byte.
      binaryMediaTypes: ['application/vnd.kubernetes.protobuf'],
      defaultMethodOptions: {
        authorizationType: apigateway.AuthorizationType.CUSTOM,
        authorizer: this.authorizer.authorizer,
      },
      // The account-wide CloudWatch role is a singleton that two stacks in one account would fight over.
      cloudWatchRole: false,
      deployOptions: { stageName: 'prod', throttlingRateLimit: 100, throttlingBurstLimit: 200 },
    });

    addStatusGatewayResponses(this.restApi);

    // A fixed output name, so `skiff` and scripts can find the API in the stack's outputs.
    new CfnOutput(this, 'Url', {
      value: this.restApi.url,
      description: 'The Kubernetes API server URL (bearer tokens of `aws eks get-token` only)',
    }).overrideLogicalId('ApiUrl');
  }

  /**
   * Maps sessions of the nodes' instance role to their nodes (`system:node:<name>`, group
   * system:nodes), in the authorizer and in the function's own check. Called by the stack once the
   * capacity exists, as enableDryRun is.
   */
  /**
   * Maps an operator function's role to its user and grants it its resources (SKIFF_OPERATORS,
   * lib/operators/operator-access.ts), in the authorizer and the function. Called by each Operator.
   */
  trustOperator(grant: OperatorGrant): void {
    if (this.operators.length === 0) {
      const value = Lazy.string({ produce: () => Stack.of(this).toJsonString(this.operators) });
      this.function.addEnvironment(SKIFF_OPERATORS, value);
      this.authorizer.function.addEnvironment(SKIFF_OPERATORS, value);
    }
    this.operators.push(grant);
  }

  private readonly operators: OperatorGrant[] = [];

  trustNodeRole(roleArn: string): void {
    this.authorizer.trustNodeRole(roleArn);
    this.function.addEnvironment(SKIFF_NODE_ROLE_ARN, roleArn);
  }

  /**
   * Serves the scheduler's dry run (`GET /apis/skiff.dev/v1alpha1/plan`) over the instance
   * catalogue the schedule function publishes in the object table
   * (lib/cloud/instance-catalogue/stored-catalogue.ts), which the function already reads with
   * its store grant: it is told the flag and the subnets' zones, and granted nothing more (no EC2
   * or Pricing call). Called by the stack once the capacity exists, so this construct need not
   * know the Capacity construct.
   */
  enableDryRun(props: DryRunProps): void {
    this.function.addEnvironment(SKIFF_DRY_RUN, 'true');
    this.function.addEnvironment(SKIFF_SUBNETS, subnetsVariable(props.subnets));
  }
}
