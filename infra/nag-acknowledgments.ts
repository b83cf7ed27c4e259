import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { SkiffStack } from './skiff-stack';

/** An acknowledged cdk-nag finding: the rule (and finding) id as cdk-nag prints it, and why. */
interface Acknowledged {
  /** The construct path under the stack the acknowledgment covers (and everything below it); '' = the whole stack. */
  under: string;
  ids: readonly string[];
  reason: string;
}

const AWS = 'AwsSolutions::AwsSolutions-';
const SERVERLESS = 'Serverless::Serverless-';
const EVERY_FUNCTION = ['Api', 'Reconciler', 'Capacity'];
const TICKED_FUNCTIONS = [
  'Capacity/ScheduleFunction',
  'Reconciler/ResyncFunction',
  'Reconciler/RequeueFunction',
];
/** The stack's one dead-letter queue (infra/constructs/dead-letter-queue.ts). */
const DEAD_LETTER_QUEUES = ['DeadLetters'];
const EC2_ARN = 'arn:<AWS::Partition>:ec2:<AWS::Region>';

/**
 * The cdk-nag (AwsSolutions and Serverless packs) findings Skiff keeps on purpose, each with its
 * reason. test/infra/cdk-nag.test.ts fails on any finding not listed here, so a new one is either
 * fixed or argued for in this file. Most trade a per-request or per-month charge against issue 11's
 * cost targets (idle <= $0.50/month, <= $8 per million mutations) for something Skiff already has.
 */
function acknowledged(tableArn: string): Acknowledged[] {
  return [
    ...EVERY_FUNCTION.map((under) => ({
      under,
      ids: [
        `${AWS}IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]`,
      ],
      reason:
        'AWSLambdaBasicExecutionRole grants only CreateLogGroup/CreateLogStream/PutLogEvents, which every function needs for its own log group (made by the stack, with a retention).',
    })),
    {
      under: 'Capacity/Nodes',
      ids: [`${AWS}IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]`],
      reason:
        'Nodes are reached through Session Manager instead of SSH (no ingress); AWS maintains the exact action list SSM needs, as EKS node roles use it.',
    },
    {
      under: 'Capacity/Nodes',
      ids: [`${AWS}IAM5[Resource::*]`],
      reason:
        'ec2:DescribeTags (the node reads its own instance tags) has no resource-level permission; it is the only action on *.',
    },
    ...EVERY_FUNCTION.map((under) => ({
      under,
      ids: [`${AWS}IAM5[Resource::${tableArn}/index/*]`, `${AWS}IAM5[Resource::${tableArn}/stream/*]`],
      reason:
        "Scoped to Skiff's own object table: its indexes (queried by list and label selectors) and its stream, whose ARN carries a label only known after deploy.",
    })),
    {
      under: 'Capacity/ScheduleFunction',
      ids: [
        `${AWS}IAM5[Resource::*]`,
        ...['fleet', 'instance', 'network-interface', 'volume', 'spot-instances-request', 'subnet'].map(
          (type) => `${AWS}IAM5[Resource::${EC2_ARN}:<AWS::AccountId>:${type}/*]`,
        ),
        `${AWS}IAM5[Resource::${EC2_ARN}::image/*]`,
        `${AWS}IAM5[Resource::${EC2_ARN}::snapshot/*]`,
      ],
      reason:
        "Karpenter's controller policy narrowed to one cluster (infra/constructs/capacity-permissions.ts): resources a launch creates have no id beforehand and must carry the cluster tag in the request; terminate needs that tag; images, snapshots and spot requests are only read by a launch from the one template; Describe* and pricing:GetProducts have no resource-level permission (Describe held to the region). No action is a wildcard.",
    },
    {
      under: '',
      ids: [`${AWS}L1`, `${SERVERLESS}LambdaLatestVersion`],
      reason:
        'The runtime is pinned to nodejs22.x, the Node.js the bundles target (infra/bundle-options.ts) and the tests run; moving to a newer runtime is a deliberate change, not a silent one.',
    },
    {
      under: '',
      ids: [`${SERVERLESS}LambdaTracing`, `${SERVERLESS}APIGWXrayEnabled`],
      reason:
        "X-Ray would trace every tick and stream batch at a per-trace price against the idle cost target; each function's log group and CloudWatch metrics carry the errors.",
    },
    {
      under: '',
      ids: [`${SERVERLESS}LambdaDLQ`],
      reason:
        'No function is invoked asynchronously with work to lose: the API is synchronous (the caller sees the error), stream and queue consumers send failures to their event source mapping or queue dead-letter queues, and the ticked functions redo everything on the next tick.',
    },
    ...DEAD_LETTER_QUEUES.map((under) => ({
      under,
      ids: [`${AWS}SQS3`, `${SERVERLESS}SQSRedrivePolicy`],
      reason:
        'This queue is itself a dead-letter queue (of a stream trigger, a queue or a Lambda destination, which cdk-nag does not recognise as DLQ use); a dead-letter queue has no redrive of its own.',
    })),
    ...TICKED_FUNCTIONS.map((under) => ({
      under,
      ids: [`${SERVERLESS}LambdaAsyncFailureDestination`],
      reason:
        'A tick carries no work of its own: the function re-reads the store each time, so a failed tick is redone by the next one.',
    })),
    {
      under: '',
      ids: [`${SERVERLESS}EventBusDLQ`],
      reason:
        'The schedule, resync and requeue rules are ticks (a missed one is redone by the next); the interruption rules have the dead-letter queue on their targets.',
    },
    {
      under: '',
      ids: [`${SERVERLESS}LambdaEventSourceMappingDestination`],
      reason:
        'Any SQS mapping reads a queue whose redrive policy moves a message that keeps failing to the dead-letter queue; an SQS mapping takes no on-failure destination of its own.',
    },
    {
      under: 'Api',
      ids: [`${AWS}APIG1`, `${AWS}APIG6`, `${SERVERLESS}APIGWAccessLogging`],
      reason:
        "API Gateway access and execution logs are charged per request against the <= $8 per million mutations target and need an account-wide CloudWatch role; the API function's log group records every failed request.",
    },
    {
      under: 'Api',
      ids: [`${AWS}APIG2`],
      reason:
        "The API is one {proxy+} route to a function that validates every body against its kind's schema with Kubernetes' messages; a gateway model would answer in a shape kubectl does not read.",
    },
    {
      under: 'Api',
      ids: [`${AWS}APIG3`],
      reason:
        'A WAFv2 web ACL costs $5/month, ten times the idle cost target; every request is authenticated before it reaches the function.',
    },
    {
      under: 'Api',
      ids: [`${AWS}COG4`],
      reason:
        'Not applicable: the API authenticates as EKS does, with EKS-style tokens (a presigned sts:GetCallerIdentity URL) checked by its Lambda REQUEST authorizer and mapped through access entries, not Cognito user pools.',
    },
  ];
}

/** Records every acknowledged finding on the construct it is about, where cdk-nag reads it. */
export function acknowledgeNagFindings(stack: SkiffStack): void {
  const table = stack.objects.table.node.defaultChild as CfnElement;
  // cdk-nag names a resource in a finding by its token: `<LogicalId.Arn>`.
  for (const { under, ids, reason } of acknowledged(`<${stack.getLogicalId(table)}.Arn>`)) {
    const scope = under === '' ? stack : constructAt(stack, under);
    for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
  }
}

/**
 * The findings an operator's function (or the operators' fan-out, which reads the stream) keeps,
 * for the same reasons as the stack's own functions: recorded by those constructs on themselves.
 */
export function acknowledgeOperatorNagFindings(
  scope: IConstruct,
  streamOf?: { table: { node: IConstruct['node'] } },
): void {
  Validations.of(scope).acknowledge({
    id: `${AWS}IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]`,
    reason:
      'AWSLambdaBasicExecutionRole grants only CreateLogGroup/CreateLogStream/PutLogEvents, which every function needs for its own log group (made by the stack, with a retention).',
  });
  if (!streamOf) return;
  const table = streamOf.table.node.defaultChild as CfnElement;
  Validations.of(scope).acknowledge({
    id: `${AWS}IAM5[Resource::<${Stack.of(scope).getLogicalId(table)}.Arn>/stream/*]`,
    reason:
      "Scoped to Skiff's own object table's streams (ListStreams), whose ARN carries a label only known after deploy.",
  });
}

function constructAt(stack: SkiffStack, relativePath: string): IConstruct {
  return relativePath.split('/').reduce<IConstruct>((scope, id) => scope.node.findChild(id), stack);
}
