import { EC2_RENEW_SECONDS, EC2_STATUS_REPORT_MS } from '../agent/node/ec2-direct-heartbeat';
/**
 * What the cost model assumes about the work, beside what the template says. Each figure is a
 * documented estimate, not a measurement on AWS: durations are warm arm64 invocations of the
 * size bench:api and bench:controllers see in-process, rounded up; DynamoDB units follow the
 * store's write path (docs/watch.md "What it costs") and DynamoDB's billing rules.
 */
export const WORKLOAD = {
  /**
   * Billed duration of one warm invocation, in ms. The API request and the reconcile batch are
   * derived from measurements (`npm run bench:invocations`: the shipped bundles' CPU per
   * invocation and their DynamoDB calls, lib/cost/durations.ts), as the mean over the run (Lambda
   * bills each invocation, so a million cost a million means) and rounded up; the others are
   * estimates.
   */
  durationMs: {
    /** A mutation through the API function at 1,024 MB (derived mean: 55 to 60 ms). */
    apiRequest: 60,
    /** The reconcile function's batch of one watched record at 512 MB (derived mean: 58 to 69 ms). */
    reconcileBatch: 70,
    /** One stream batch of the scheduler: a scheduling round (at low rates, one record). */
    streamBatch: 120,
    resyncTick: 400,
    scheduleTick: 300,
    /** A requeue drain finding the queue empty: one GetQueueAttributes (a warm SDK call, ~20 ms), rounded up. */
    requeueDrainTick: 50,
    /** One node lifecycle look inside a drain: three GetItems (Node, Lease, heartbeat item). */
    lifecycleLook: 30,
    authorizer: 50,
  },
  /** Size of the object a typical mutation writes (a ConfigMap, a Lease), in KB. */
  objectKb: 0.8,
  /** A node's Lease, and its Node with status (addresses, capacity, conditions, images). */
  leaseKb: 0.5,
  nodeKb: 3,
  /** What a change-log record adds to the object it carries (keys, type, selector view), in KB. */
  recordOverheadKb: 0.2,
  /**
   * Processes that read the change log past each update (a watch, a list's snapshot): each reads
   * the object once to resolve the update's unconfirmed record (docs/watch.md). One such reader is
   * assumed; each more watching process adds its read. Measured per record:
   * test/integration/cost/mutation-write-units.test.ts.
   */
  logReaders: 1,
  /** Read units of one consistent GetItem of an object under 4 KB. */
  getReadUnits: 1,
  /** Read units of one list: two consistent counter reads and one or two log/index queries. */
  listReadUnits: 4,
  /** Read units of one eventually consistent GetItem under 4 KB (a heartbeat item). */
  eventualGetReadUnits: 0.5,
  /** SQS requests of a requeue drain that finds work: a receive, a delete batch, a send batch. */
  sqsRequestsPerBusyDrain: 3,
  /**
   * Reads the reconcile function makes for one watched mutation (a Deployment's): the object (1)
   * and one consistent query for each list its controllers make in its namespace (its ReplicaSets;
   * the disruption controller's PodDisruptionBudgets), with no change-log snapshot (controllers'
   * lists need no position). Measured: test/integration/cost/reconcile-read-units.test.ts.
   */
  reconcileReadUnits: 3,
  /**
   * Read units of one resync sweep (every object, in one sweep): the controllers' lists and a
   * reconcile of each object, on a cluster with only its system namespaces, and what each node
   * (its Node and Lease) adds. Measured: test/integration/cost/resync-read-units.test.ts.
   */
  resyncReadUnits: { idleSweep: 135, perNode: 3.5 },
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
   * A direct renewal's write: through the change log (counter, record and object, so watches see it),
   * a plain conditional UpdateItem of the Lease item (1 WRU + its index copy, no log record:
   * Lease renewals would then not reach watches, which only the lifecycle controller reads), or
   * of a heartbeat item of its own outside every index (1 WRU: lib/store/node-heartbeats.ts).
   */
  directWrite?: 'change-log' | 'plain' | 'heartbeat-item';
  /** How long a silent node stays Ready: the lifecycle controller's grace (or the Lease's, longer). */
  leaseSeconds: number;
}

/** What the agent does today (lib/agent/node/node-registration.ts, docs/agent.md). */
export const CURRENT_HEARTBEAT: HeartbeatPlan = {
  name: 'before: Lease PATCH + Node GET every 10 s, status every 60 s, all through API Gateway REST',
  renewSeconds: 10,
  nodeGetPerRenewal: true,
  statusSeconds: 60,
  transport: 'rest-api',
  leaseSeconds: 40,
};

/**
 * What agents on AWS do (lib/agent/node/ec2-direct-heartbeat.ts, docs/agent.md "Heartbeats"):
 * renew their own heartbeat item straight in the table every 30 s (a 120 s Lease), post an
 * unchanged status every 10 minutes (twice kube's nodeStatusReportFrequency) without reading the
 * Node first. The model
 * uses it when the node role may write its heartbeat item (StackInventory.nodeHeartbeat).
 */
export const CHOSEN_HEARTBEAT: HeartbeatPlan = {
  name: 'chosen: heartbeat item UpdateItem by the node role every 30 s (120 s Lease), status every 10 min',
  renewSeconds: EC2_RENEW_SECONDS,
  nodeGetPerRenewal: false,
  statusSeconds: EC2_STATUS_REPORT_MS / 1000,
  transport: 'dynamodb-direct',
  directWrite: 'heartbeat-item',
  leaseSeconds: 120,
};

/** Locally and without the node role's grant: Lease PATCHes through the API, status every 5 minutes. */
export const API_HEARTBEAT: HeartbeatPlan = {
  name: 'API: Lease PATCH every 10 s, status every 5 min, through API Gateway REST',
  renewSeconds: 10,
  nodeGetPerRenewal: false,
  statusSeconds: 300,
  transport: 'rest-api',
  leaseSeconds: 40,
};

/** Options for the lead to choose from; each is modelled beside today's plan. */
export const HEARTBEAT_OPTIONS: readonly HeartbeatPlan[] = [
  CURRENT_HEARTBEAT,
  CHOSEN_HEARTBEAT,
  {
    ...CHOSEN_HEARTBEAT,
    name: 'chosen, renewing every 10 s as the kubelet (40 s Lease)',
    renewSeconds: 10,
    leaseSeconds: 40,
  },
  {
    ...CHOSEN_HEARTBEAT,
    name: 'chosen, renewing every 40 s (160 s Lease)',
    renewSeconds: 40,
    leaseSeconds: 160,
  },
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
    leaseSeconds: 40,
    transport: 'rest-api',
  },
  {
    name: 'C: B + renew every 40 s (Lease 160 s, lifecycle grace to match)',
    renewSeconds: 40,
    nodeGetPerRenewal: false,
    statusSeconds: 300,
    leaseSeconds: 160,
    transport: 'rest-api',
  },
  {
    name: 'D: B through a Lambda Function URL (IAM auth) instead of API Gateway',
    renewSeconds: 10,
    nodeGetPerRenewal: false,
    statusSeconds: 300,
    leaseSeconds: 40,
    transport: 'function-url',
  },
  {
    name: 'E: B as a direct DynamoDB write by the node role through the change log',
    renewSeconds: 10,
    nodeGetPerRenewal: false,
    statusSeconds: 300,
    leaseSeconds: 40,
    transport: 'dynamodb-direct',
    directWrite: 'change-log',
  },
  {
    name: 'G: plain conditional UpdateItem of the Lease by the node role, every 10 s, status every 5 min',
    renewSeconds: 10,
    nodeGetPerRenewal: false,
    statusSeconds: 300,
    leaseSeconds: 40,
    transport: 'dynamodb-direct',
    directWrite: 'plain',
  },
  {
    name: 'H: G renewing every 40 s (Lease 160 s)',
    renewSeconds: 40,
    nodeGetPerRenewal: false,
    statusSeconds: 300,
    leaseSeconds: 160,
    transport: 'dynamodb-direct',
    directWrite: 'plain',
  },
  {
    name: 'F: B through an API Gateway HTTP API',
    renewSeconds: 10,
    nodeGetPerRenewal: false,
    statusSeconds: 300,
    leaseSeconds: 40,
    transport: 'http-api',
  },
];
