/**
 * What the cost model assumes about the work, beside what the template says. Each figure is a
 * documented estimate, not a measurement on AWS: durations are warm arm64 invocations of the
 * size bench:api and bench:controllers see in-process, rounded up; DynamoDB units follow the
 * store's write path (docs/watch.md "What it costs") and DynamoDB's billing rules.
 */
export const WORKLOAD = {
  /** Billed duration of one warm invocation, in ms. */
  durationMs: {
    apiRequest: 30,
    /** One stream batch of the reconciler or the scheduler (at low rates, one record). */
    streamBatch: 120,
    resyncTick: 400,
    scheduleTick: 300,
    authorizer: 50,
  },
  /** Size of the object a typical mutation writes (a ConfigMap, a Lease), in KB. */
  objectKb: 0.8,
  /** A node's Lease, and its Node with status (addresses, capacity, conditions, images). */
  leaseKb: 0.5,
  nodeKb: 3,
  /** What a change-log record adds to the object it carries (keys, type, selector view), in KB. */
  recordOverheadKb: 0.2,
  /** Read units of one consistent GetItem of an object under 4 KB. */
  getReadUnits: 1,
  /** Read units of one list: two consistent counter reads and one or two log/index queries. */
  listReadUnits: 4,
  /** Reads a reconcile makes beyond its trigger: the object and one list of what it owns. */
  reconcileReadUnits: 5,
  /** Lists one scheduling round makes (pending pods, nodes, claims, pools). */
  scheduleListsPerTick: 4,
  /** Stream-triggered invocations per watched mutation: 1 at low rates (batching only helps). */
  invocationsPerWatchedMutation: 1,
  /** Bytes logged per invocation (START, END, REPORT lines and a short JSON line). */
  logBytesPerInvocation: 600,
  /** Lambda's SQS event source: pollers kept per queue while idle and their long-poll wait. */
  sqsIdlePollers: 5,
  sqsLongPollSeconds: 20,
  /** Change-log records are kept this long (2 x LOG_RETENTION_SECONDS) before DynamoDB's TTL. */
  recordRetentionHours: 48,
  /** Size of the table outside the log with no nodes (kinds, default objects), in GB. */
  idleTableGb: 0.001,
} as const;

/** How a node's agent keeps itself alive: the path and periods of its heartbeats. */
export interface HeartbeatPlan {
  name: string;
  /** Lease renewal period, s (the kubelet's: 10 s for a 40 s Lease). */
  renewSeconds: number;
  /** Whether each renewal also GETs the Node (to re-register or post Ready when needed). */
  nodeGetPerRenewal: boolean;
  /** Node status post period, s (Skiff posts every 60 s; kube's nodeStatusReportFrequency is 5 min). */
  statusSeconds: number;
  /** How renewals reach the table. Status posts always go through the API. */
  transport: 'rest-api' | 'http-api' | 'function-url' | 'dynamodb-direct';
  /**
   * A direct renewal's write: through the change log (counter + transaction, so watches see it)
   * or a plain conditional UpdateItem of the Lease item (1 WRU + its index copy, no log record:
   * Lease renewals would then not reach watches, which only the lifecycle controller reads).
   */
  directWrite?: 'change-log' | 'plain';
}

/** What the agent does today (lib/agent/node/node-registration.ts, docs/agent.md). */
export const CURRENT_HEARTBEAT: HeartbeatPlan = {
  name: 'today: Lease PATCH + Node GET every 10 s, status every 60 s, all through API Gateway REST',
  renewSeconds: 10,
  nodeGetPerRenewal: true,
  statusSeconds: 60,
  transport: 'rest-api',
};

/** Options for the lead to choose from; each is modelled beside today's plan. */
export const HEARTBEAT_OPTIONS: readonly HeartbeatPlan[] = [
  CURRENT_HEARTBEAT,
  {
    ...CURRENT_HEARTBEAT,
    name: 'A: no Node GET per renewal (GET only when a status post is due)',
    nodeGetPerRenewal: false,
  },
  {
    name: 'B: A + status every 5 min (kube nodeStatusReportFrequency)',
    renewSeconds: 10,
    nodeGetPerRenewal: false,
    statusSeconds: 300,
    transport: 'rest-api',
  },
  {
    name: 'C: B + renew every 40 s (Lease 160 s, lifecycle grace to match)',
    renewSeconds: 40,
    nodeGetPerRenewal: false,
    statusSeconds: 300,
    transport: 'rest-api',
  },
  {
    name: 'D: B through a Lambda Function URL (IAM auth) instead of API Gateway',
    renewSeconds: 10,
    nodeGetPerRenewal: false,
    statusSeconds: 300,
    transport: 'function-url',
  },
  {
    name: 'E: B as a direct DynamoDB write by the node role (counter + transaction)',
    renewSeconds: 10,
    nodeGetPerRenewal: false,
    statusSeconds: 300,
    transport: 'dynamodb-direct',
    directWrite: 'change-log',
  },
  {
    name: 'G: plain conditional UpdateItem of the Lease by the node role, every 10 s, status every 5 min',
    renewSeconds: 10,
    nodeGetPerRenewal: false,
    statusSeconds: 300,
    transport: 'dynamodb-direct',
    directWrite: 'plain',
  },
  {
    name: 'H: G renewing every 40 s (Lease 160 s)',
    renewSeconds: 40,
    nodeGetPerRenewal: false,
    statusSeconds: 300,
    transport: 'dynamodb-direct',
    directWrite: 'plain',
  },
  {
    name: 'F: B through an API Gateway HTTP API',
    renewSeconds: 10,
    nodeGetPerRenewal: false,
    statusSeconds: 300,
    transport: 'http-api',
  },
];
