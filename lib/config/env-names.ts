/**
 * Environment variable names shared by infra (which sets them on functions) and runtime (which
 * reads them), so a rename can never leave the two disagreeing.
 */

/** The object table's name, set on every function that touches the store. */
export const SKIFF_TABLE_NAME = 'SKIFF_TABLE_NAME';

/** The local control plane's port on 127.0.0.1 (`npm start`; the --port flag wins). */
export const SKIFF_PORT = 'SKIFF_PORT';

/** The CloudFormation stack name `infra/app.ts` synthesizes (overridden by the `stackName` context). */
export const SKIFF_STACK_NAME = 'SKIFF_STACK_NAME';

/**
 * Endpoint overrides for LocalStack and the local engines. Skiff never reads these itself: the
 * installed AWS SDK v3 resolves them in every client (`@smithy/core` getEndpointUrlConfig, checked
 * with @aws-sdk/client-dynamodb 3.1162), the per-service form winning over the generic one. They
 * are named here so that code which sets them (a LocalStack deployment, a test) spells them right.
 */
export const AWS_ENDPOINT_URL = 'AWS_ENDPOINT_URL';
export const AWS_ENDPOINT_URL_DYNAMODB = 'AWS_ENDPOINT_URL_DYNAMODB';

/** The URL of the SQS queue holding delayed reconciles (`requeueAfter`), set on every reconciler function. */
export const SKIFF_REQUEUE_QUEUE_URL = 'SKIFF_REQUEUE_QUEUE_URL';

/** The per-service endpoint override for SQS (see AWS_ENDPOINT_URL above). */
export const AWS_ENDPOINT_URL_SQS = 'AWS_ENDPOINT_URL_SQS';

/** The resync interval: the sweep reconciles every object once in each interval of this many seconds. */
export const SKIFF_RESYNC_INTERVAL_SECONDS = 'SKIFF_RESYNC_INTERVAL_SECONDS';

/** Seconds between resync sweeps (the schedule rule's rate). */
export const SKIFF_RESYNC_TICK_SECONDS = 'SKIFF_RESYNC_TICK_SECONDS';

/**
 * The cluster's name: every instance the capacity functions launch is tagged `skiff.dev/cluster`
 * with it, and their EC2 permissions are scoped to that tag.
 */
export const SKIFF_CLUSTER_NAME = 'SKIFF_CLUSTER_NAME';

/** The launch template every node starts from (id), set on the schedule function. */
export const SKIFF_LAUNCH_TEMPLATE_ID = 'SKIFF_LAUNCH_TEMPLATE_ID';

/** Subnets the schedule function may launch into, with their zones: `subnet-0abc:us-east-1a,subnet-0def:us-east-1b`. */
export const SKIFF_SUBNETS = 'SKIFF_SUBNETS';

/**
 * `true` on the API function when the stack serves the scheduler's dry run from the catalogue the
 * schedule function publishes (ObjectApi.enableDryRun); unset or `false`, the plan route is 404.
 */
export const SKIFF_DRY_RUN = 'SKIFF_DRY_RUN';

/** Seconds between scheduling rounds when nothing changes (`npm start`; the EventBridge rule's minute on AWS). */
export const SKIFF_SCHEDULER_TICK_SECONDS = 'SKIFF_SCHEDULER_TICK_SECONDS';

/**
 * The function's region, set by the Lambda runtime itself (never by infra): the region whose
 * on-demand prices the scheduler asks the Pricing API for.
 */
export const AWS_REGION = 'AWS_REGION';

/**
 * The node agent's settings (lib/agent), set on EC2 by the node's systemd unit
 * (infra/constructs/node-user-data.ts): the API it registers with and follows pods through; where
 * its identity comes from (`ec2`: instance metadata and tags); which runtime runs containers and,
 * for the container runtime, which engine; the folder of its pods' files.
 */
export const SKIFF_API_URL = 'SKIFF_API_URL';
export const SKIFF_AGENT_IDENTITY = 'SKIFF_AGENT_IDENTITY';
export const SKIFF_AGENT_RUNTIME = 'SKIFF_AGENT_RUNTIME';
export const SKIFF_AGENT_ENGINE = 'SKIFF_AGENT_ENGINE';
export const SKIFF_AGENT_DATA_DIR = 'SKIFF_AGENT_DATA_DIR';

/**
 * The node lifecycle controller's timings: how long a node may go without a heartbeat before it
 * is NotReady (kube-controller-manager's --node-monitor-grace-period, 40 s), and how long pods
 * without their own toleration then stay before they are evicted (kube-apiserver's
 * --default-unreachable-toleration-seconds, 300 s).
 */
export const SKIFF_NODE_MONITOR_GRACE_SECONDS = 'SKIFF_NODE_MONITOR_GRACE_SECONDS';
export const SKIFF_DEFAULT_TOLERATION_SECONDS = 'SKIFF_DEFAULT_TOLERATION_SECONDS';

/**
 * The range Services' ClusterIPs are allocated from (kube-apiserver's --service-cluster-ip-range),
 * read by the API: an IPv4 CIDR, default 10.96.0.0/12.
 */
export const SKIFF_SERVICE_CIDR = 'SKIFF_SERVICE_CIDR';
