import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { CATALOGUE_KEY } from '../../lib/cloud/instance-catalogue/stored-catalogue';
import { SCHEDULER_LEASE_KEY } from '../../lib/scheduling/runner/scheduler-lease';
import { RESOLVED_WATERMARK_KEY, REVISION_COUNTER_KEY } from '../../lib/store/change-log/log-item';
import { INDEXES, TABLE, TTL_ATTRIBUTE } from '../../lib/store/table-schema';
import { POD_MARKER_CHANGES_ATTRIBUTE, POD_MARKER_PARTITION_PREFIX } from '../../lib/store/node-pod-markers';

/**
 * The DynamoDB calls lib/store/dynamo-object-store.ts and its change log
 * (lib/store/change-log/table-change-log.ts) make on items, and nothing more: no Scan, no batch
 * writes, no table administration. A new call in the store needs its action here (the infra test
 * compares the two). UpdateItem has its own narrower grant (ObjectTable.grantReadWrite).
 */
export const OBJECT_STORE_ACTIONS = [
  'dynamodb:GetItem',
  // The change log's readers read the objects of a page of unconfirmed records in one call.
  'dynamodb:BatchGetItem',
  'dynamodb:PutItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
] as const;

/** The partition keys of the change log's counter items, the only items the store updates in place. */
export const COUNTER_PARTITIONS = [
  REVISION_COUNTER_KEY[TABLE.partitionKey]?.S ?? '',
  RESOLVED_WATERMARK_KEY[TABLE.partitionKey]?.S ?? '',
] as const;

/** The partition key of the scheduler's lease item (lib/scheduling/runner/scheduler-lease.ts). */
export const SCHEDULER_LEASE_PARTITION = SCHEDULER_LEASE_KEY[TABLE.partitionKey]?.S ?? '';

/** The partition key of the published instance catalogue (lib/cloud/instance-catalogue/stored-catalogue.ts). */
export const CATALOGUE_PARTITION = CATALOGUE_KEY[TABLE.partitionKey]?.S ?? '';

/** What Lambda's stream poller calls on the table's stream. */
export const STREAM_READ_ACTIONS = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
] as const;

export interface ObjectTableProps {
  /**
   * A customer-managed KMS key to encrypt the table (and its stream) at rest. Without one the table
   * uses DynamoDB's default encryption at rest (an AWS owned key), which already covers every
   * object, Secrets included; a key of your own adds control over and audit of its use. The
   * grants below then include the key's use, since reading or writing an item needs it.
   */
  encryptionKey?: kms.IKey;
}

/**
 * The one table holding every object, laid out by lib/store/table-schema.ts. Its stream (new and
 * old images) is what wakes the reconcilers. Retained on stack deletion: it is the cluster's state.
 *
 * `dynamodb.Table` (AWS::DynamoDB::Table) rather than TableV2 for LocalStack (design decision 8).
 */
export class ObjectTable extends Construct {
  /** For event sources and names; grant access through the methods below, not on this directly. */
  readonly table: dynamodb.Table;
  /** The customer-managed key encrypting the table, when one was given. */
  readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: ObjectTableProps = {}) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TTL_ATTRIBUTE,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(props.encryptionKey
        ? { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }
        : {}),
    });
    for (const index of Object.values(INDEXES)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType[index.projection],
      });
    }
  }

  get tableName(): string {
    return this.table.tableName;
  }

  /**
   * Lets `grantee` run the object store: its item calls on the table and its indexes, nothing else.
   * Transactions (TransactWriteItems) are authorized by the item actions they contain. UpdateItem
   * is allowed only on the change log's counter items (their partition keys, see log-item.ts).
   */
  grantReadWrite(grantee: iam.IGrantable): iam.Grant {
    const items = iam.Grant.addToPrincipal({
      grantee,
      actions: [...OBJECT_STORE_ACTIONS],
      resourceArns: [this.table.tableArn, `${this.table.tableArn}/index/*`],
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:UpdateItem'],
      resourceArns: [this.table.tableArn],
      conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [...COUNTER_PARTITIONS] } },
    });
    this.encryptionKey?.grantEncryptDecrypt(grantee);
    return items;
  }

  /**
   * Lets `grantee` (the scheduler) hold the scheduler lease: UpdateItem on the lease item's
   * partition alone, the one call DynamoSchedulerLease makes (acquire, confirm and release are
   * conditional updates). A separate grant rather than a third key in grantReadWrite's, so the API
   * and the reconcilers, which never schedule, cannot take or break the lease.
   */
  grantSchedulerLease(grantee: iam.IGrantable): iam.Grant {
    this.encryptionKey?.grantEncryptDecrypt(grantee);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:UpdateItem'],
      resourceArns: [this.table.tableArn],
      conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [SCHEDULER_LEASE_PARTITION] } },
    });
  }

  /**
   * Lets `grantee` (the scheduler) publish the instance catalogue for the API's dry run: PutItem on
   * the catalogue item's partition alone, the one call saveCatalogue makes. grantReadWrite's
   * PutItem covers it today; this grant states the scheduler's need on its own, so the publish
   * keeps working if the store's grant is ever narrowed to object keys.
   */
  grantCataloguePublish(grantee: iam.IGrantable): iam.Grant {
    this.encryptionKey?.grantEncryptDecrypt(grantee);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:PutItem'],
      resourceArns: [this.table.tableArn],
      conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [CATALOGUE_PARTITION] } },
    });
  }

  /**
   * Lets `grantee` (the stream reconciler) count pod changes on the nodes' marker items: UpdateItem
   * on the `~pods#` partitions alone, only their change count, returning nothing
   * (lib/store/node-pod-markers.ts).
   */
  grantPodMarkerCounts(grantee: iam.IGrantable): iam.Grant {
    this.encryptionKey?.grantEncryptDecrypt(grantee);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:UpdateItem'],
      resourceArns: [this.table.tableArn],
      conditions: {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${POD_MARKER_PARTITION_PREFIX}*`] },
        'ForAllValues:StringEquals': {
          'dynamodb:Attributes': [TABLE.partitionKey, TABLE.sortKey, POD_MARKER_CHANGES_ATTRIBUTE],
        },
        StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
      },
    });
  }

  /** The stream's ARN, for event source mappings. */
  get streamArn(): string {
    const arn = this.table.tableStreamArn;
    if (!arn) throw new Error('the object table has no stream');
    return arn;
  }

  /**
   * Lets `grantee` (a reconciler's role) consume the table's stream, and nothing else: unlike
   * `Table.grantStreamRead`, ListStreams is not granted on `*` but on the table's streams, as in
   * DynamoDB's own policy example for Lambda stream triggers.
   */
  grantStreamRead(grantee: iam.IGrantable): iam.Grant {
    const list = iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:ListStreams'],
      resourceArns: [`${this.table.tableArn}/stream/*`],
    });
    const read = iam.Grant.addToPrincipal({
      grantee,
      actions: [...STREAM_READ_ACTIONS],
      resourceArns: [this.streamArn],
    });
    this.encryptionKey?.grantDecrypt(grantee);
    return list.combine(read);
  }
}
