import type { Template } from 'aws-cdk-lib/assertions';
import { INDEXES, TABLE, TTL_ATTRIBUTE } from '../../lib/store/table-schema';
import { synthesizeSkiffTemplate } from './skiff-template';

describe('ObjectTable', () => {
  let template: Template;
  beforeAll(() => {
    template = synthesizeSkiffTemplate();
  });

  it('is one AWS::DynamoDB::Table (not TableV2, for LocalStack)', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
  });

  it('keys items by pk (hash) and sk (range)', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
    });
  });

  it('has exactly the indexes of table-schema.ts: byKind keys only, the pod indexes every attribute', () => {
    const table = Object.values(template.findResources('AWS::DynamoDB::Table'))[0];
    const indexes = table.Properties.GlobalSecondaryIndexes as unknown[];
    expect(indexes).toHaveLength(Object.keys(INDEXES).length);
    for (const index of Object.values(INDEXES)) {
      expect(indexes).toContainEqual({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: index.name === 'byKind' ? 'KEYS_ONLY' : 'ALL' },
      });
    }
  });

  it('streams new and old images, bills per request, keeps point-in-time recovery and expires Events', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    });
  });

  it('outlives the stack: the table is the cluster state', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});
