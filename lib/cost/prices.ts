/**
 * The unit prices the cost model uses: AWS's public on-demand list prices in us-east-1, taken on
 * the date below from the services' pricing pages (aws.amazon.com/<service>/pricing). Free tiers
 * are NOT counted anywhere in the model: a cluster in an account that still has them pays less.
 * Prices change; re-take them (and the date) rather than editing one figure.
 */
export const PRICE_SOURCE = { region: 'us-east-1', takenOn: '2026-12-01' } as const;

export const PRICES = {
  /** API Gateway REST API, per request (first 333 million a month). */
  restApiRequest: 3.5 / 1e6,
  /** API Gateway HTTP API, per request of up to 512 KB (first 300 million): an option, not used. */
  httpApiRequest: 1.0 / 1e6,
  /** Lambda, per request (any trigger: API Gateway, stream, SQS, EventBridge). */
  lambdaRequest: 0.2 / 1e6,
  /** Lambda on arm64 (Graviton), per GB-second of duration (first 7.5 billion GB-s). */
  lambdaArmGbSecond: 0.0000133334,
  /** Lambda on x86_64, per GB-second. */
  lambdaX86GbSecond: 0.0000166667,
  /** DynamoDB on-demand (Standard table class), per write request unit (1 KB; 2 in a transaction). */
  dynamoWriteUnit: 0.625 / 1e6,
  /** DynamoDB on-demand, per read request unit (4 KB strongly consistent; half that eventually). */
  dynamoReadUnit: 0.125 / 1e6,
  /**
   * DynamoDB Streams GetRecords: free when made by a Lambda trigger (the only consumers Skiff has);
   * $0.02 per 100,000 for other readers.
   */
  dynamoStreamReadByLambda: 0,
  /** DynamoDB storage, per GB-month (first 25 GB free: not counted). */
  dynamoStorageGbMonth: 0.25,
  /** DynamoDB continuous backups (point-in-time recovery), per GB-month of table size. */
  dynamoPitrGbMonth: 0.2,
  /** SQS standard queue, per request (a ReceiveMessage, empty or not, is one request per 64 KB). */
  sqsRequest: 0.4 / 1e6,
  /** EventBridge: scheduled rules and AWS service events (EC2, Health) on the default bus are free. */
  eventBridgeScheduledOrServiceEvent: 0,
  /** CloudWatch standard-resolution metric alarm, per alarm-month. */
  cloudWatchAlarmMonth: 0.1,
  /** CloudWatch Logs ingestion (standard class), per GB. */
  logsIngestGb: 0.5,
  /** CloudWatch Logs storage, per GB-month (compressed). */
  logsStorageGbMonth: 0.03,
  /** KMS customer managed key, per key-month (rotation adds $1 for each of the first two rotations). */
  kmsKeyMonth: 1.0,
  /** KMS requests, per request ($0.03 per 10,000). */
  kmsRequest: 0.03 / 10_000,
  /** An EKS control plane in standard support, per month ($0.10 an hour x 730 hours). */
  eksControlPlaneMonth: 73,
} as const;

/** Hours and seconds in the month the model bills (AWS's convention: 730 hours). */
export const MONTH_HOURS = 730;
export const MONTH_SECONDS = MONTH_HOURS * 3600;
