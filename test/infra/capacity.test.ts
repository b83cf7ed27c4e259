import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Capacity } from '../../infra/constructs/capacity';
import { ObjectTable } from '../../infra/constructs/object-table';
import {
  SKIFF_CLUSTER_NAME,
  SKIFF_LAUNCH_TEMPLATE_ID,
  SKIFF_SUBNETS,
  SKIFF_TABLE_NAME,
} from '../../lib/config/env-names';
import { TABLE } from '../../lib/store/table-schema';
import {
  asList,
  functionIdByDescription,
  onlyLogicalId,
  roleStatementsOf,
  synthesizeSkiffTemplate,
  unbundledApp,
  type Statement,
} from './skiff-template';

type Resource = { Type: string; Properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

const SCHEDULER = 'Skiff scheduler: places pods, launches and retires capacity';
const INTERRUPTION_HANDLER = 'Skiff interruption handler: cordons nodes EC2 is taking back';

/**
 * A template value as a string where it can be one: `Fn::Join`s joined, pseudo parameters named
 * (`aws`, `REGION`, `ACCOUNT`), other references as `{LogicalId}` or `{LogicalId.Attribute}`.
 * ARNs in policies then read as they would in the console.
 */
function rendered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rendered);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map(rendered).join(separator);
  }
  if ('Ref' in object) {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': 'REGION',
      'AWS::AccountId': 'ACCOUNT',
    };
    return pseudo[object.Ref as string] ?? `{${String(object.Ref)}}`;
  }
  if ('Fn::GetAtt' in object) return `{${(object['Fn::GetAtt'] as string[]).join('.')}}`;
  if ('Fn::Sub' in object && typeof object['Fn::Sub'] === 'string') return object['Fn::Sub'];
  return Object.fromEntries(Object.entries(object).map(([key, inner]) => [key, rendered(inner)]));
}

/** Every statement of a function's role, rendered, with its actions and resources as lists. */
function statementsOf(template: Template, functionId: string) {
  return roleStatementsOf(template, functionId).map((statement: Statement) => ({
    sid: (statement as { Sid?: string }).Sid,
    effect: statement.Effect,
    actions: asList(statement.Action).sort(),
    resources: asList(rendered(statement.Resource) as unknown),
    condition: rendered(statement.Condition),
  }));
}

const ec2Arn = (type: string) => `arn:aws:ec2:REGION:ACCOUNT:${type}`;

/** Names every part of a template holding a Capacity. */
function partsOf(template: Template) {
  const scheduleFunctionId = functionIdByDescription(template, SCHEDULER);
  const interruptionFunctionId = functionIdByDescription(template, INTERRUPTION_HANDLER);
  const functions = template.findResources('AWS::Lambda::Function') as Record<string, Resource>;
  const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')) as Resource[];
  const triggerOf = (id: string) => {
    const found = mappings.filter((m) => m.Properties.FunctionName?.Ref === id);
    if (found.length !== 1) throw new Error(`expected one event source for ${id}, found ${found.length}`);
    return found[0].Properties;
  };
  const queueId = (prefix: string) => {
    const ids = Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) => id.startsWith(prefix));
    if (ids.length !== 1) throw new Error(`expected one queue ${prefix}, found ${ids.length}`);
    return ids[0];
  };
  const launchTemplateId = onlyLogicalId(template, 'AWS::EC2::LaunchTemplate');
  const launchTemplate = () =>
    (template.findResources('AWS::EC2::LaunchTemplate')[launchTemplateId] as Resource).Properties;
  return {
    tableId: onlyLogicalId(template, 'AWS::DynamoDB::Table'),
    scheduleFunctionId,
    interruptionFunctionId,
    launchTemplateId,
    nodeRoleId: Object.keys(
      template.findResources('AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'ec2.amazonaws.com' } }] },
        },
      }),
    )[0],
    instanceProfileId: onlyLogicalId(template, 'AWS::IAM::InstanceProfile'),
    securityGroupId: onlyLogicalId(template, 'AWS::EC2::SecurityGroup'),
    deadLettersId: queueId('DeadLetters'),
    fn: (id: string) => functions[id].Properties,
    variables: (id: string) => functions[id].Properties.Environment.Variables as Record<string, unknown>,
    triggerOf,
    launchTemplate,
    /** The nodes' first-boot script, with references rendered as `{LogicalId}`. */
    userData: () => userDataOf(launchTemplate()),
    /** The agent bundle's object key, as the user data downloads it. */
    agentBundleKey: () => {
      const key = /aws s3 cp 's3:\/\/[^/]+\/([^']+)'/.exec(userDataOf(launchTemplate()))?.[1];
      if (key === undefined) throw new Error('the user data downloads no S3 object');
      return key;
    },
    queue: (id: string) => (template.findResources('AWS::SQS::Queue')[id] as Resource).Properties,
  };
}

const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

function userDataOf(launchTemplate: Resource['Properties']): string {
  return rendered(launchTemplate.LaunchTemplateData.UserData['Fn::Base64']) as string;
}

/** The here-document the script writes to `file`. */
function writtenFile(script: string, file: string): string {
  const found = new RegExp(`cat > ${file} <<'SKIFF_EOF'\\n([\\s\\S]*?)\\nSKIFF_EOF\\n`).exec(script);
  if (found === null) throw new Error(`the user data writes no ${file}`);
  return found[1];
}

describe('Capacity', () => {
  let template: Template;
  let parts: ReturnType<typeof partsOf>;
  beforeAll(() => {
    template = synthesizeSkiffTemplate();
    parts = partsOf(template);
  });

  /** A Capacity on its own, with a network and a cluster name of its own. */
  function synthesizeWithNetwork(): Template {
    const stack = new Stack(unbundledApp(), 'CapacityOnly');
    new Capacity(stack, 'Capacity', {
      table: new ObjectTable(stack, 'Objects'),
      apiUrl: 'https://api.prod-east.example/prod/',
      clusterName: 'prod-east',
      network: {
        vpcId: 'vpc-0123456789abcdef0',
        subnets: [
          { subnetId: 'subnet-0aaaaaaaaaaaaaaaa', zone: 'us-east-1a' },
          { subnetId: 'subnet-0bbbbbbbbbbbbbbbb', zone: 'us-east-1b' },
        ],
      },
    });
    return Template.fromStack(stack);
  }

  describe('schedule function', () => {
    it('runs one round at a time: reserved concurrency 1, 60 s, 1024 MB', () => {
      expect(parts.fn(parts.scheduleFunctionId)).toMatchObject({
        ReservedConcurrentExecutions: 1,
        Timeout: 60,
        MemorySize: 1024,
      });
    });

    it('is told the table, the cluster (the stack name by default), the launch template and no subnets', () => {
      expect(parts.variables(parts.scheduleFunctionId)).toMatchObject({
        [SKIFF_TABLE_NAME]: { Ref: parts.tableId },
        [SKIFF_CLUSTER_NAME]: 'Skiff',
        [SKIFF_LAUNCH_TEMPLATE_ID]: { Ref: parts.launchTemplateId },
        // None: EC2 launches into the default subnet of the zone it picks.
        [SKIFF_SUBNETS]: '',
      });
    });

    it('with a network, is told its subnets and zones and may launch into those subnets only', () => {
      const own = synthesizeWithNetwork();
      const ownParts = partsOf(own);
      expect(ownParts.variables(ownParts.scheduleFunctionId)).toMatchObject({
        [SKIFF_CLUSTER_NAME]: 'prod-east',
        [SKIFF_SUBNETS]: 'subnet-0aaaaaaaaaaaaaaaa:us-east-1a,subnet-0bbbbbbbbbbbbbbbb:us-east-1b',
      });
      const fromTemplate = statementsOf(own, ownParts.scheduleFunctionId).find(
        (s) => s.sid === 'LaunchFromTheNodeTemplate',
      );
      const subnets = fromTemplate?.resources.filter((r) => String(r).includes(':subnet/'));
      expect(subnets).toEqual([
        ec2Arn('subnet/subnet-0aaaaaaaaaaaaaaaa'),
        ec2Arn('subnet/subnet-0bbbbbbbbbbbbbbbb'),
      ]);
      own.hasResourceProperties('AWS::EC2::SecurityGroup', { VpcId: 'vpc-0123456789abcdef0' });
    });
  });

  describe('triggers', () => {
    it('wakes the scheduler for changes to Pods, Nodes, NodeClaims and NodePools only, batched for 1 s', () => {
      const trigger = parts.triggerOf(parts.scheduleFunctionId);
      expect(trigger).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': [parts.tableId, 'StreamArn'] },
        MaximumBatchingWindowInSeconds: 1,
        Enabled: true,
      });
      const patterns = (trigger.FilterCriteria.Filters as { Pattern: string }[]).map((f) =>
        JSON.parse(f.Pattern),
      );
      const kinds = {
        [TABLE.kindKey]: { S: ['core/Pod', 'core/Node', 'skiff.dev/NodeClaim', 'skiff.dev/NodePool'] },
      };
      expect(patterns).toEqual([{ dynamodb: { NewImage: kinds } }, { dynamodb: { OldImage: kinds } }]);
    });

    it("keeps the reconciler's stream settings: bisect, partial batches, bounded retries, a dead-letter queue", () => {
      const reconcilerTrigger = parts.triggerOf(functionIdByDescription(template, 'Skiff controllers'));
      const schedulerTrigger = parts.triggerOf(parts.scheduleFunctionId);
      const shared = (trigger: Record<string, unknown>) =>
        Object.fromEntries(
          Object.entries(trigger).filter(
            ([key]) => !['FunctionName', 'FilterCriteria', 'DestinationConfig'].includes(key),
          ),
        );
      expect(shared(schedulerTrigger)).toEqual(shared(reconcilerTrigger));
      expect(schedulerTrigger).toMatchObject({
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: 5,
        DestinationConfig: { OnFailure: { Destination: arnOf(parts.deadLettersId) } },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [parts.deadLettersId, 'QueueName'] } }],
        Threshold: 0,
      });
    });

    it('runs a round every 5 minutes from an EventBridge rule; a tick is neither retried nor kept past the next', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(5 minutes)',
        State: 'ENABLED',
        Targets: [
          {
            Arn: arnOf(parts.scheduleFunctionId),
            Id: Match.anyValue(),
            RetryPolicy: { MaximumRetryAttempts: 0 },
          },
        ],
      });
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: parts.scheduleFunctionId },
        MaximumRetryAttempts: 0,
        MaximumEventAgeInSeconds: 300,
      });
    });
  });

  describe('interruption rules', () => {
    const rulesToHandler = () =>
      Object.entries(template.findResources('AWS::Events::Rule') as Record<string, Resource>).filter(
        ([, rule]) =>
          'EventPattern' in rule.Properties &&
          (rule.Properties.Targets as { Arn: unknown }[]).some(
            (target) => JSON.stringify(target.Arn) === JSON.stringify(arnOf(parts.interruptionFunctionId)),
          ),
      );

    it('send spot warnings, rebalance recommendations, stops and terminations, and EC2 maintenance to the handler', () => {
      const patterns = rulesToHandler().map(([, rule]) => rule.Properties.EventPattern);
      expect(patterns).toEqual([
        { source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] },
        { source: ['aws.ec2'], 'detail-type': ['EC2 Instance Rebalance Recommendation'] },
        {
          source: ['aws.ec2'],
          'detail-type': ['EC2 Instance State-change Notification'],
          detail: { state: ['stopping', 'stopped', 'shutting-down', 'terminated'] },
        },
        {
          source: ['aws.health'],
          'detail-type': ['AWS Health Event'],
          detail: { service: ['EC2'], eventTypeCategory: ['scheduledChange'] },
        },
      ]);
    });

    it('invoke it directly, with no queue to poll: a delivery given up on after 5 minutes is parked', () => {
      for (const [, rule] of rulesToHandler())
        expect(rule.Properties.Targets).toEqual([
          expect.objectContaining({
            RetryPolicy: { MaximumEventAgeInSeconds: 300 },
            DeadLetterConfig: { Arn: arnOf(parts.deadLettersId) },
          }),
        ]);
      expect(
        Object.values(
          template.findResources('AWS::Lambda::EventSourceMapping') as Record<string, Resource>,
        ).filter((m) => m.Properties.FunctionName?.Ref === parts.interruptionFunctionId),
      ).toEqual([]);
      // Only those four rules may invoke it.
      const permissions = Object.values(
        template.findResources('AWS::Lambda::Permission') as Record<string, Resource>,
      ).filter((p) => JSON.stringify(p.Properties.FunctionName).includes(parts.interruptionFunctionId));
      expect(permissions.map((p) => p.Properties.SourceArn).sort()).toEqual(
        rulesToHandler()
          .map(([id]) => arnOf(id))
          .sort(),
      );
    });

    it('retry a failed handling twice within the 5 minutes a warning is worth, then park the event', () => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: parts.interruptionFunctionId },
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 300,
        DestinationConfig: { OnFailure: { Destination: arnOf(parts.deadLettersId) } },
      });
      expect(parts.variables(parts.interruptionFunctionId)).toMatchObject({
        [SKIFF_TABLE_NAME]: { Ref: parts.tableId },
        [SKIFF_CLUSTER_NAME]: 'Skiff',
      });
    });
  });

  describe('least privilege', () => {
    const scheduler = () => statementsOf(template, parts.scheduleFunctionId);
    const bySid = (sid: string) => {
      const found = scheduler().filter((s) => s.sid === sid);
      expect(found).toHaveLength(1);
      return found[0];
    };
    const clusterTagged = { 'aws:RequestTag/skiff.dev/cluster': 'Skiff' };
    const launched = ['fleet/*', 'instance/*', 'network-interface/*', 'volume/*'].map(ec2Arn);

    it('launches only fleets, instances, volumes and interfaces the request tags for the cluster', () => {
      expect(bySid('LaunchOnlyResourcesTaggedForTheCluster')).toEqual({
        sid: 'LaunchOnlyResourcesTaggedForTheCluster',
        effect: 'Allow',
        actions: ['ec2:CreateFleet', 'ec2:RunInstances'],
        resources: launched,
        condition: { StringEquals: clusterTagged },
      });
    });

    it('launches only from the node template, its security group, public images and snapshots', () => {
      expect(bySid('LaunchFromTheNodeTemplate')).toEqual({
        sid: 'LaunchFromTheNodeTemplate',
        effect: 'Allow',
        actions: ['ec2:CreateFleet', 'ec2:RunInstances'],
        resources: [
          ec2Arn(`launch-template/{${parts.launchTemplateId}}`),
          ec2Arn(`security-group/{${parts.securityGroupId}.GroupId}`),
          ec2Arn('subnet/*'),
          ec2Arn('spot-instances-request/*'),
          'arn:aws:ec2:REGION::image/*',
          'arn:aws:ec2:REGION::snapshot/*',
        ],
        condition: undefined,
      });
    });

    it('tags only as part of a launch, and only with the cluster tag', () => {
      expect(bySid('TagOnlyWhileLaunching')).toEqual({
        sid: 'TagOnlyWhileLaunching',
        effect: 'Allow',
        actions: ['ec2:CreateTags'],
        resources: launched,
        condition: {
          StringEquals: { ...clusterTagged, 'ec2:CreateAction': ['CreateFleet', 'RunInstances'] },
        },
      });
    });

    it("terminates only the cluster's instances", () => {
      expect(bySid('TerminateOnlyTheClustersInstances')).toEqual({
        sid: 'TerminateOnlyTheClustersInstances',
        effect: 'Allow',
        actions: ['ec2:TerminateInstances'],
        resources: [ec2Arn('instance/*')],
        condition: { StringEquals: { 'aws:ResourceTag/skiff.dev/cluster': 'Skiff' } },
      });
    });

    it('describes instances, types, spot prices, subnets and launch templates in its region, and reads prices', () => {
      expect(bySid('DescribeInTheRegion')).toMatchObject({
        actions: [
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeInstances',
          'ec2:DescribeLaunchTemplates',
          'ec2:DescribeSpotPriceHistory',
          'ec2:DescribeSubnets',
        ],
        resources: ['*'],
        condition: { StringEquals: { 'aws:RequestedRegion': 'REGION' } },
      });
      expect(bySid('ReadOnDemandPrices')).toMatchObject({
        actions: ['pricing:GetProducts'],
        resources: ['*'],
      });
    });

    it('holds the scheduler lease: UpdateItem, its only call, on the ~lease partition alone', () => {
      const leaseSource = readFileSync(
        path.join(__dirname, '../../lib/scheduling/runner/scheduler-lease.ts'),
        'utf8',
      );
      const calls = new Set([...leaseSource.matchAll(/new (\w+)Command\(/g)].map((m) => `dynamodb:${m[1]}`));
      expect([...calls]).toEqual(['dynamodb:UpdateItem']);
      const updates = scheduler().filter((s) => s.actions.includes('dynamodb:UpdateItem'));
      const onPartitions = (...keys: string[]) => ({
        sid: undefined,
        effect: 'Allow',
        actions: ['dynamodb:UpdateItem'],
        resources: [`{${parts.tableId}.Arn}`],
        condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': keys } },
      });
      // The store's own grant (the change log's counters), and the lease's: no other item is updated.
      expect(updates).toEqual([onPartitions('~revision', '~resolved'), onPartitions('~lease')]);
    });

    it('lets no other function take or break the lease', () => {
      const functionIds = Object.keys(template.findResources('AWS::Lambda::Function')).filter(
        (id) => id !== parts.scheduleFunctionId,
      );
      expect(functionIds.length).toBeGreaterThan(2);
      for (const id of functionIds)
        for (const statement of statementsOf(template, id))
          expect(JSON.stringify(statement.condition ?? {})).not.toContain('~lease');
    });

    it('publishes the instance catalogue: PutItem on the ~catalogue partition, the one call saveCatalogue makes', () => {
      const catalogueSource = readFileSync(
        path.join(__dirname, '../../lib/cloud/instance-catalogue/stored-catalogue.ts'),
        'utf8',
      );
      const writes = [...catalogueSource.matchAll(/new (\w+)Command\(/g)]
        .map((m) => `dynamodb:${m[1]}`)
        .filter((call) => call !== 'dynamodb:GetItem');
      expect(writes).toEqual(['dynamodb:PutItem']);
      const onCatalogue = scheduler().filter((s) => JSON.stringify(s.condition ?? {}).includes('~catalogue'));
      expect(onCatalogue).toEqual([
        {
          sid: undefined,
          effect: 'Allow',
          actions: ['dynamodb:PutItem'],
          resources: [`{${parts.tableId}.Arn}`],
          condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['~catalogue'] } },
        },
      ]);
    });

    it('lets no other function publish the catalogue by its own grant', () => {
      const functionIds = Object.keys(template.findResources('AWS::Lambda::Function')).filter(
        (id) => id !== parts.scheduleFunctionId,
      );
      expect(functionIds.length).toBeGreaterThan(2);
      for (const id of functionIds)
        for (const statement of statementsOf(template, id))
          expect(JSON.stringify(statement.condition ?? {})).not.toContain('~catalogue');
    });

    it('passes only the node role, and only to EC2', () => {
      const passes = scheduler().filter((s) => s.actions.some((a) => a.startsWith('iam:')));
      expect(passes).toEqual([
        {
          sid: 'PassOnlyTheNodeRoleToEC2',
          effect: 'Allow',
          actions: ['iam:PassRole'],
          resources: [`{${parts.nodeRoleId}.Arn}`],
          condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
        },
      ]);
    });

    it('grants the scheduler the store, its stream, its dead letters and the statements above, nothing more', () => {
      const described = new Set([
        'LaunchOnlyResourcesTaggedForTheCluster',
        'LaunchFromTheNodeTemplate',
        'TagOnlyWhileLaunching',
        'TerminateOnlyTheClustersInstances',
        'DescribeInTheRegion',
        'ReadOnDemandPrices',
        'PassOnlyTheNodeRoleToEC2',
      ]);
      const statements = scheduler();
      expect(statements.flatMap((s) => (s.sid === undefined ? [] : [s.sid])).sort()).toEqual(
        [...described].sort(),
      );
      const rest = statements
        .filter((s) => s.sid === undefined)
        .flatMap((s) => s.actions.map((a) => [a, s.resources]));
      expect(rest.map(([action]) => action).sort()).toEqual(
        [
          ...[
            'dynamodb:BatchGetItem',
            'dynamodb:DeleteItem',
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:Query',
            // The change log's counters, and the lease.
            'dynamodb:UpdateItem',
            'dynamodb:UpdateItem',
            // The published catalogue.
            'dynamodb:PutItem',
          ],
          ...[
            'dynamodb:DescribeStream',
            'dynamodb:GetRecords',
            'dynamodb:GetShardIterator',
            'dynamodb:ListStreams',
          ],
          ...['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
        ].sort(),
      );
      for (const [action, resources] of rest) {
        const prefix = String(action).startsWith('sqs:')
          ? `{${parts.deadLettersId}.Arn}`
          : `{${parts.tableId}.`;
        for (const resource of resources as unknown[]) expect(String(resource).startsWith(prefix)).toBe(true);
      }
    });

    it('lets the interruption function use the store and park what it gives up on, nothing more', () => {
      const grants = statementsOf(template, parts.interruptionFunctionId).flatMap((s) =>
        s.actions.flatMap((action) => s.resources.map((resource) => `${action} ${String(resource)}`)),
      );
      const table = `{${parts.tableId}.Arn}`;
      const queue = `{${parts.deadLettersId}.Arn}`;
      expect(grants.sort()).toEqual(
        [
          ...[
            'dynamodb:BatchGetItem',
            'dynamodb:DeleteItem',
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:Query',
          ].flatMap((a) => [`${a} ${table}`, `${a} ${table}/index/*`]),
          `dynamodb:UpdateItem ${table}`,
          // The Lambda destination's grant: SendMessage, with the two reads CDK's grant adds.
          ...['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'].map((a) => `${a} ${queue}`),
        ].sort(),
      );
    });

    it('allows no wildcard action, and no change to EC2 or IAM on every resource', () => {
      for (const id of [parts.scheduleFunctionId, parts.interruptionFunctionId])
        for (const statement of statementsOf(template, id)) {
          expect(statement.effect).toBe('Allow');
          for (const action of statement.actions) expect(action).not.toMatch(/\*/);
          const reads = statement.actions.every((a) => /^(ec2:Describe|pricing:Get)/.test(a));
          if (!reads) expect(statement.resources).not.toContain('*');
        }
    });
  });

  describe('nodes', () => {
    it('run as a role only EC2 may assume, with Session Manager access, the agent bundle, DescribeTags, its own heartbeat and the pod change markers alone', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' } },
          ],
        },
        ManagedPolicyArns: [
          {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore'],
            ],
          },
        ],
      });
      const inline = Object.values(
        template.findResources('AWS::IAM::Policy', {
          Properties: { Roles: Match.arrayWith([{ Ref: parts.nodeRoleId }]) },
        }),
      ).flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
      expect(rendered(inline)).toEqual([
        {
          Sid: 'ReadTheNodeAgentBundle',
          Effect: 'Allow',
          Action: 's3:GetObject',
          // The one object, not the assets bucket nor a listing of it.
          Resource: `arn:aws:s3:::cdk-hnb659fds-assets-\${AWS::AccountId}-\${AWS::Region}/${parts.agentBundleKey()}`,
        },
        // Describe calls take no resource-level permission.
        { Sid: 'DescribeTagsOfItsInstance', Effect: 'Allow', Action: 'ec2:DescribeTags', Resource: '*' },
        // Its own heartbeat item, by the instance it runs on: the key and the renewal time only.
        {
          Sid: 'RenewItsOwnHeartbeat',
          Effect: 'Allow',
          Action: 'dynamodb:UpdateItem',
          Resource: `{${parts.tableId}.Arn}`,
          Condition: {
            'ForAllValues:StringEquals': {
              'dynamodb:LeadingKeys': ['~heartbeat#${ec2:SourceInstanceARN}'],
              'dynamodb:Attributes': ['pk', 'sk', 'renewedAt'],
            },
            StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
          },
        },
        // The pod change markers it polls instead of watching: their key and count only.
        {
          Sid: 'ReadPodChangeMarkers',
          Effect: 'Allow',
          Action: 'dynamodb:GetItem',
          Resource: `{${parts.tableId}.Arn}`,
          Condition: {
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['~pods#*'] },
            'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'changes'] },
          },
        },
      ]);
      template.hasResourceProperties('AWS::IAM::InstanceProfile', { Roles: [{ Ref: parts.nodeRoleId }] });
    });

    it('start from a template requiring IMDSv2 with one hop, with the instance profile and an encrypted gp3 root', () => {
      const data = parts.launchTemplate().LaunchTemplateData;
      expect(data.MetadataOptions).toEqual({
        HttpEndpoint: 'enabled',
        HttpTokens: 'required',
        HttpPutResponseHopLimit: 1,
        // EC2 refuses launches with metadata tags enabled while a tag key holds a '/', as Skiff's do.
        InstanceMetadataTags: 'disabled',
      });
      expect(data.IamInstanceProfile).toEqual({ Arn: arnOf(parts.instanceProfileId) });
      expect(data.BlockDeviceMappings).toEqual([
        {
          DeviceName: '/dev/xvda',
          Ebs: { VolumeType: 'gp3', VolumeSize: 20, Encrypted: true, DeleteOnTermination: true },
        },
      ]);
      expect(data.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [parts.securityGroupId, 'GroupId'] }]);
    });

    it('run the latest Amazon Linux 2023 for arm64, from its public SSM parameter', () => {
      const imageParameter = (parts.launchTemplate().LaunchTemplateData.ImageId as { Ref: string }).Ref;
      expect(template.toJSON().Parameters[imageParameter]).toEqual({
        Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
        Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64',
      });
    });

    it('tag their network interfaces for the cluster, as the launch permissions require', () => {
      expect(parts.launchTemplate().LaunchTemplateData.TagSpecifications).toEqual([
        { ResourceType: 'network-interface', Tags: [{ Key: 'skiff.dev/cluster', Value: 'Skiff' }] },
      ]);
    });

    it('accept no inbound traffic', () => {
      const group = (template.findResources('AWS::EC2::SecurityGroup')[parts.securityGroupId] as Resource)
        .Properties;
      expect(group.SecurityGroupIngress).toBeUndefined();
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    });

    describe('first boot', () => {
      it('installs Node.js 22, docker and unzip from the Amazon Linux 2023 repositories, and starts docker', () => {
        const lines = parts.userData().split('\n');
        expect(lines.slice(0, 4)).toEqual([
          '#!/bin/bash',
          'set -euo pipefail',
          'dnf install -y nodejs22 docker unzip',
          'systemctl enable --now docker.service',
        ]);
      });

      it("downloads the agent bundle from its asset in the stack's region and unpacks it", () => {
        const script = parts.userData();
        expect(script).toContain(
          `aws s3 cp 's3://cdk-hnb659fds-assets-\${AWS::AccountId}-\${AWS::Region}/${parts.agentBundleKey()}' '/opt/skiff/agent.zip' --region REGION\n`,
        );
        expect(parts.agentBundleKey()).toMatch(/^[0-9a-f]{64}\.zip$/);
        expect(script).toContain('unzip -q /opt/skiff/agent.zip -d /opt/skiff/agent\n');
      });

      it("writes the agent's environment: the API's URL, its identity from EC2, pods in docker, /var/lib/skiff", () => {
        const restApi = onlyLogicalId(template, 'AWS::ApiGateway::RestApi');
        const stage = onlyLogicalId(template, 'AWS::ApiGateway::Stage');
        expect(writtenFile(parts.userData(), '/etc/skiff/agent.env').split('\n')).toEqual([
          `SKIFF_API_URL=https://{${restApi}}.execute-api.REGION.{AWS::URLSuffix}/{${stage}}/`,
          `SKIFF_TABLE_NAME={${parts.tableId}}`,
          'SKIFF_AGENT_IDENTITY=ec2',
          'SKIFF_AGENT_RUNTIME=container',
          'SKIFF_AGENT_ENGINE=docker',
          'SKIFF_AGENT_DATA_DIR=/var/lib/skiff',
        ]);
      });

      it('takes the API URL it is given', () => {
        const lt = Object.values(
          synthesizeWithNetwork().findResources('AWS::EC2::LaunchTemplate'),
        )[0] as Resource;
        expect(writtenFile(userDataOf(lt.Properties), '/etc/skiff/agent.env')).toContain(
          'SKIFF_API_URL=https://api.prod-east.example/prod/\n',
        );
      });

      it('runs the agent as skiff-agent.service, restarted whatever its exit, after docker, and starts it now and at every boot', () => {
        const script = parts.userData();
        const unit = writtenFile(script, '/etc/systemd/system/skiff-agent.service');
        expect(unit.split('\n')).toEqual(
          expect.arrayContaining([
            'Requires=docker.service',
            'After=network-online.target docker.service',
            'EnvironmentFile=/etc/skiff/agent.env',
            'Environment=NODE_OPTIONS=--enable-source-maps',
            'ExecStart=/usr/bin/node-22 /opt/skiff/agent/agent.js',
            'Restart=always',
            'RestartSec=5',
            'WantedBy=multi-user.target',
          ]),
        );
        expect(script.endsWith('systemctl daemon-reload\nsystemctl enable --now skiff-agent.service')).toBe(
          true,
        );
      });

      it('is a script bash parses (bash -n), references filled with placeholders', () => {
        const folder = mkdtempSync(path.join(tmpdir(), 'skiff-user-data-'));
        const file = path.join(folder, 'user-data.sh');
        writeFileSync(file, parts.userData());
        const check = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
        rmSync(folder, { recursive: true, force: true });
        expect(check.stderr).toBe('');
        expect(check.status).toBe(0);
      });
    });
  });

  it('outputs the launch template id and the node role ARN', () => {
    const outputs = template.toJSON().Outputs;
    expect(outputs.LaunchTemplateId.Value).toEqual({ Ref: parts.launchTemplateId });
    expect(outputs).not.toHaveProperty('InterruptionQueueUrl');
    expect(outputs.NodeRoleArn.Value).toEqual(arnOf(parts.nodeRoleId));
  });

  it('keeps both functions’ logs for a month', () => {
    for (const id of [parts.scheduleFunctionId, parts.interruptionFunctionId])
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: { 'Fn::Join': ['', ['/aws/lambda/', { Ref: id }]] },
        RetentionInDays: 30,
      });
  });
});
