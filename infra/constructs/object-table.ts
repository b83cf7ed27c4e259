import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { INDEXES, TABLE, TTL_ATTRIBUTE } from '../../lib/store/table-schema';

/**
 * The DynamoDB calls lib/store/dynamo-object-store.ts makes, and nothing more: no Scan, no batch
 * writes, no table administration. A new call in the store needs its action here (the infra test
 * compares the two).
 */
export const OBJECT_STORE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
] as const;

/**
 * The one table holding every object, laid out by lib/store/table-schema.ts. Its stream (new and
 * old images) is what wakes the reconcilers. Retained on stack deletion: it is the cluster's state.
 *
 * `dynamodb.Table` (AWS::DynamoDB::Table) rather than TableV2 for LocalStack (design decision 8).
 */
export class ObjectTable extends Construct {
  /** For event sources and names; grant access through the methods below, not on this directly. */
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TTL_ATTRIBUTE,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of Object.values(INDEXES)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }

  get tableName(): string {
    return this.table.tableName;
  }

  /** Lets `grantee` run the object store: its item calls on the table and its indexes, nothing else. */
  grantReadWrite(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [...OBJECT_STORE_ACTIONS],
      resourceArns: [this.table.tableArn, `${this.table.tableArn}/index/*`],
    });
  }

  /** Lets `grantee` (a reconciler's role) consume the table's stream. */
  grantStreamRead(grantee: iam.IGrantable): iam.Grant {
    return this.table.grantStreamRead(grantee);
  }
}
