import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ObjectTable } from '../../infra/constructs/object-table';
import { Reconciler } from '../../infra/constructs/reconciler';
import {
  SKIFF_REQUEUE_QUEUE_URL,
  SKIFF_RESYNC_INTERVAL_SECONDS,
  SKIFF_RESYNC_TICK_SECONDS,
  SKIFF_TABLE_NAME,
} from '../../lib/config/env-names';
import { TABLE } from '../../lib/store/table-schema';
import { CONTROLLERS } from '../../lib/controllers/registry';
import { triggerKinds, watchedKindKeys } from '../../lib/controllers/watched-kinds';
import {
  asList,
  functionIdByDescription,
  onlyLogicalId,
  roleStatementsOf,
  synthesizeSkiffTemplate,
  unbundledApp,
} from './skiff-template';

type Resource = { Type: string; Properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A Reconciler on its own, woken by the kinds a ReplicaSet controller would watch. */
function synthesizeReconciler(kindKeys: string[]): Template {
  const stack = new Stack(unbundledApp(), 'ReconcilerOnly');
  new Reconciler(stack, 'Reconciler', { table: new ObjectTable(stack, 'Objects'), kindKeys });
  return Template.fromStack(stack);
}

/** Names every part of a Reconciler template. */
function partsOf(template: Template) {
  const queues = template.findResources('AWS::SQS::Queue') as Record<string, Resource>;
  const idOf = (prefix: string) => {
    const ids = Object.keys(queues).filter((id) => id.startsWith(prefix));
    if (ids.length !== 1) throw new Error(`expected one queue ${prefix}, found ${ids.length}`);
    return ids[0];
  };
  const streamFunctionId = functionIdByDescription(template, 'Skiff controllers');
  const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')) as Resource[];
  const byFunction = (id: string) => {
    const found = mappings.filter((m) => m.Properties.FunctionName?.Ref === id);
    if (found.length !== 1) throw new Error(`expected one event source for ${id}, found ${found.length}`);
    return found[0].Properties;
  };
  const requeueFunctionId = functionIdByDescription(template, 'Skiff controllers: delayed reconciles');
  const triggersOf = (id: string) => mappings.filter((m) => m.Properties.FunctionName?.Ref === id);
  return {
    tableId: onlyLogicalId(template, 'AWS::DynamoDB::Table'),
    streamFunctionId,
    requeueFunctionId,
    resyncFunctionId: functionIdByDescription(template, 'Skiff controllers: periodic resync'),
    deadLettersId: idOf('DeadLetters'),
    requeueQueueId: idOf('ReconcilerRequeueQueue'),
    streamTrigger: () => byFunction(streamFunctionId),
    requeueTriggers: () => triggersOf(requeueFunctionId),
    queue: (id: string) => queues[id].Properties,
  };
}

const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

describe('Reconciler', () => {
  let template: Template;
  let parts: ReturnType<typeof partsOf>;
  beforeAll(() => {
    template = synthesizeReconciler(['apps/ReplicaSet', 'core/Pod']);
    parts = partsOf(template);
  });

  describe('stream trigger', () => {
    it('reads the object table stream from the oldest record, in batches of 100 within a second', () => {
      expect(parts.streamTrigger()).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': [parts.tableId, 'StreamArn'] },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 1,
        Enabled: true,
      });
    });

    it('bisects a failing batch and retries only what the partial batch response names', () => {
      expect(parts.streamTrigger()).toMatchObject({
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it('gives up on a record after at most 5 retries or an hour, whichever comes first', () => {
      const trigger = parts.streamTrigger();
      expect(trigger.MaximumRetryAttempts).toBe(5);
      expect(trigger.MaximumRecordAgeInSeconds).toBeGreaterThanOrEqual(60);
      expect(trigger.MaximumRecordAgeInSeconds).toBeLessThanOrEqual(3600);
    });

    it('parks what it gives up on in its dead-letter queue', () => {
      expect(parts.streamTrigger().DestinationConfig).toEqual({
        OnFailure: { Destination: arnOf(parts.deadLettersId) },
      });
    });

    it('wakes only for the watched kinds, by the new image or (for a removal) the old one', () => {
      const patterns = (parts.streamTrigger().FilterCriteria.Filters as { Pattern: string }[]).map((f) =>
        JSON.parse(f.Pattern),
      );
      const kinds = { [TABLE.kindKey]: { S: ['apps/ReplicaSet', 'core/Pod'] } };
      expect(patterns).toEqual([{ dynamodb: { NewImage: kinds } }, { dynamodb: { OldImage: kinds } }]);
    });

    it('in the stack, wakes for every record of the kinds ordinary controllers watch, and for the collection records of the kinds only the garbage collectors watch', () => {
      const stackTemplate = synthesizeSkiffTemplate();
      const trigger = partsOf(stackTemplate).streamTrigger();
      expect(trigger.Enabled).toBe(true);
      const patterns = (trigger.FilterCriteria.Filters as { Pattern: string }[]).map((f) =>
        JSON.parse(f.Pattern),
      );
      const { everyRecord, collectionRecords } = triggerKinds(CONTROLLERS);
      const every = { [TABLE.kindKey]: { S: everyRecord } };
      const collected = { S: collectionRecords };
      expect(patterns).toEqual([
        { dynamodb: { NewImage: every } },
        { dynamodb: { OldImage: every } },
        {
          dynamodb: {
            NewImage: { [TABLE.kindKey]: collected, [TABLE.collectable]: { S: [{ exists: true }] } },
          },
        },
        { eventName: ['REMOVE'], dynamodb: { OldImage: { [TABLE.kindKey]: collected } } },
      ]);
      // Together, every kind some controller owns or watches, each in one list.
      expect([...everyRecord, ...collectionRecords].sort()).toEqual(watchedKindKeys(CONTROLLERS));
      expect(everyRecord).toEqual(expect.arrayContaining(['apps/Deployment', 'core/Pod', 'core/Node']));
      expect(collectionRecords).toEqual(expect.arrayContaining(['core/ConfigMap', 'core/Secret']));
      expect(watchedKindKeys(CONTROLLERS)).not.toContain('core/Event');
      expect(watchedKindKeys(CONTROLLERS)).not.toContain('coordination.k8s.io/Lease');
    });
  });

  describe('dead-letter queue', () => {
    it('is one for the stack, keeping what it holds for 14 days', () => {
      expect(parts.queue(parts.deadLettersId).MessageRetentionPeriod).toBe(14 * 24 * 3600);
    });

    it('raises its one alarm as soon as one message waits', () => {
      template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
      for (const id of [parts.deadLettersId])
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }],
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
        });
    });
  });

  describe('requeue queue', () => {
    it('parks a message received 5 times in the dead-letter queue', () => {
      expect(parts.queue(parts.requeueQueueId).RedrivePolicy).toEqual({
        deadLetterTargetArn: arnOf(parts.deadLettersId),
        maxReceiveCount: 5,
      });
    });

    it('hides a received message for at least six times its consumer timeout', () => {
      const consumer = template.findResources('AWS::Lambda::Function')[parts.requeueFunctionId];
      expect(parts.queue(parts.requeueQueueId).VisibilityTimeout).toBeGreaterThanOrEqual(
        6 * consumer.Properties.Timeout,
      );
    });

    it('is drained every minute by a tick, not polled by a trigger (which would receive while it is empty)', () => {
      expect(parts.requeueTriggers()).toEqual([]);
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 minute)',
        Targets: [
          {
            Arn: arnOf(parts.requeueFunctionId),
            Id: Match.anyValue(),
            RetryPolicy: { MaximumRetryAttempts: 0 },
          },
        ],
      });
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: parts.requeueFunctionId },
        MaximumRetryAttempts: 0,
        MaximumEventAgeInSeconds: 60,
      });
    });

    it('encrypts every queue at rest and refuses plain HTTP', () => {
      for (const id of [parts.deadLettersId, parts.requeueQueueId]) {
        expect(parts.queue(id).SqsManagedSseEnabled).toBe(true);
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: id }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      }
    });
  });

  describe('resync', () => {
    it('runs every 10 minutes from an EventBridge rule, without retries (the next tick is the retry)', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(10 minutes)',
        State: 'ENABLED',
        Targets: [
          {
            Arn: arnOf(parts.resyncFunctionId),
            Id: Match.anyValue(),
            RetryPolicy: { MaximumRetryAttempts: 0 },
          },
        ],
      });
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: parts.resyncFunctionId },
        MaximumRetryAttempts: 0,
      });
    });

    it('tells the sweep its interval and its tick (10 minutes each by default: a whole sweep each time)', () => {
      const variables =
        template.findResources('AWS::Lambda::Function')[parts.resyncFunctionId].Properties.Environment
          .Variables;
      expect(variables[SKIFF_RESYNC_INTERVAL_SECONDS]).toBe('600');
      expect(variables[SKIFF_RESYNC_TICK_SECONDS]).toBe('600');
    });
  });

  describe('functions', () => {
    it('are each told the table name and the requeue queue URL', () => {
      for (const id of [parts.streamFunctionId, parts.requeueFunctionId, parts.resyncFunctionId]) {
        const variables =
          template.findResources('AWS::Lambda::Function')[id].Properties.Environment.Variables;
        expect(variables[SKIFF_TABLE_NAME]).toEqual({ Ref: parts.tableId });
        expect(variables[SKIFF_REQUEUE_QUEUE_URL]).toEqual({ Ref: parts.requeueQueueId });
      }
    });
  });

  describe('least privilege', () => {
    const tableArn = () => arnOf(parts.tableId);
    const indexArn = () => ({ 'Fn::Join': ['', [tableArn(), '/index/*']] });
    const streamArn = () => ({ 'Fn::GetAtt': [parts.tableId, 'StreamArn'] });
    const tableStreams = () => ({ 'Fn::Join': ['', [tableArn(), '/stream/*']] });

    /** Every (action, resource) pair a function's role allows. */
    const grantsOf = (functionId: string) =>
      roleStatementsOf(template, functionId).flatMap((statement) => {
        expect(statement.Effect).toBe('Allow');
        return asList(statement.Action).flatMap((action) =>
          asList(statement.Resource).map((resource) => ({ action, resource })),
        );
      });

    const objectStore = () => [
      ...[
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:PutItem',
        'dynamodb:DeleteItem',
        'dynamodb:Query',
      ].flatMap((action) => [
        { action, resource: tableArn() },
        { action, resource: indexArn() },
      ]),
      // The change log's counters (their own statement, limited to their partitions).
      { action: 'dynamodb:UpdateItem', resource: tableArn() },
    ];
    const sendRequeues = () => [{ action: 'sqs:SendMessage', resource: arnOf(parts.requeueQueueId) }];

    it('lets the stream function use the store, read only the table stream and send requeues and dead letters', () => {
      const streamRead = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'].map(
        (action) => ({ action, resource: streamArn() }),
      );
      const deadLetters = ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'].map((action) => ({
        action,
        resource: arnOf(parts.deadLettersId),
      }));
      expect(sortGrants(grantsOf(parts.streamFunctionId))).toEqual(
        sortGrants([
          ...objectStore(),
          ...sendRequeues(),
          ...streamRead,
          // ListStreams on the table's streams rather than on `*` (DynamoDB's own example policy).
          { action: 'dynamodb:ListStreams', resource: tableStreams() },
          ...deadLetters,
          // The nodes' pod change markers (its condition is asserted below).
          { action: 'dynamodb:UpdateItem', resource: tableArn() },
        ]),
      );
    });

    it('lets only the stream function count pod changes, on the marker items alone', () => {
      const markerGrants = (fnId: string) =>
        roleStatementsOf(template, fnId).filter((statement) =>
          JSON.stringify(statement.Condition ?? {}).includes('~pods#'),
        );
      expect(markerGrants(parts.streamFunctionId)).toEqual([
        expect.objectContaining({
          Action: 'dynamodb:UpdateItem',
          Condition: {
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['~pods#*'] },
            'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'changes'] },
            StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
          },
        }),
      ]);
      expect(markerGrants(parts.requeueFunctionId)).toEqual([]);
      expect(markerGrants(parts.resyncFunctionId)).toEqual([]);
    });

    it('lets the requeue drain use the store and consume and send requeues, nothing more', () => {
      const consume = [
        'sqs:ReceiveMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:GetQueueUrl',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
      ].map((action) => ({ action, resource: arnOf(parts.requeueQueueId) }));
      expect(sortGrants(grantsOf(parts.requeueFunctionId))).toEqual(
        sortGrants([...objectStore(), ...sendRequeues(), ...consume]),
      );
    });

    it('lets the resync function use the store and send requeues, nothing more', () => {
      expect(sortGrants(grantsOf(parts.resyncFunctionId))).toEqual(
        sortGrants([...objectStore(), ...sendRequeues()]),
      );
    });
  });
});

function sortGrants(grants: { action: string; resource: unknown }[]) {
  return grants.map((g) => `${g.action} ${JSON.stringify(g.resource)}`).sort();
}
