import { MONTH_SECONDS, PRICES } from './prices';
import type { FunctionInfo, StackInventory } from './stack-inventory';
import { API_HEARTBEAT, CHOSEN_HEARTBEAT, WORKLOAD, type HeartbeatPlan } from './workload';
import { EC2_POD_POLL_MS, EC2_POD_RELIST_MS } from '../agent/node/ec2-direct-heartbeat';

/** One priced line: `quantity` units at `unitPrice` dollars each. */
export interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  unitPrice: number;
  cost: number;
}

export function line(item: string, quantity: number, unit: string, unitPrice: number): CostLine {
  return { item, quantity, unit, unitPrice, cost: quantity * unitPrice };
}

export const totalOf = (lines: readonly CostLine[]): number => lines.reduce((sum, l) => sum + l.cost, 0);

/** Per-second Lambda price per GB for the function's architecture. */
export const gbSecondPrice = (fn: FunctionInfo): number =>
  fn.arm64 ? PRICES.lambdaArmGbSecond : PRICES.lambdaX86GbSecond;

/**
 * Requests, duration (GB-s at the function's memory) and logs of `invocations` of `fn`: healthy
 * invocations log nothing when its logging is quiet (JSON at WARN), else WORKLOAD's bytes each.
 */
export function lambdaLines(
  fn: FunctionInfo,
  invocations: number,
  durationMs: number,
  why: string,
): CostLine[] {
  const gbSeconds = invocations * (fn.memoryMb / 1024) * (durationMs / 1000);
  const logGb = fn.quietLogs ? 0 : (invocations * WORKLOAD.logBytesPerInvocation) / 1024 ** 3;
  return [
    line(`Lambda requests: ${why}`, invocations, 'requests', PRICES.lambdaRequest),
    line(`Lambda ${fn.memoryMb} MB x ${durationMs} ms: ${why}`, gbSeconds, 'GB-s', gbSecondPrice(fn)),
    // Ingested, then stored for the log groups' retention (30 days: one month's worth held).
    line(`CloudWatch Logs: ${why}`, logGb, 'GB', PRICES.logsIngestGb + PRICES.logsStorageGbMonth),
  ];
}

/**
 * Write units of one update of an object of `kb` through the change log (docs/watch.md): the
 * counter ADD (1), its record written ahead (1 per KB) and the object (1 per KB), with no
 * transaction; and, when the byKind index projects more than keys, the object's copy there (1 per
 * KB). A create or a delete commits in a transaction instead (2 per KB for each item) and writes
 * a keys-only index entry.
 */
export function mutationWriteUnits(kb: number, indexed = true): number {
  return 1 + Math.ceil(kb) + Math.ceil(kb + WORKLOAD.recordOverheadKb) + (indexed ? Math.ceil(kb) : 0);
}

type Transport = HeartbeatPlan['transport'];

/** `count` requests reaching the API function (none for a direct DynamoDB write). */
function requestLines(inv: StackInventory, count: number, why: string, transport: Transport): CostLine[] {
  if (transport === 'dynamodb-direct') return [];
  const front =
    transport === 'rest-api'
      ? [line(`API Gateway REST: ${why}`, count, 'requests', PRICES.restApiRequest)]
      : transport === 'http-api'
        ? [line(`API Gateway HTTP API: ${why}`, count, 'requests', PRICES.httpApiRequest)]
        : [];
  return [...front, ...lambdaLines(inv.functions.api, count, WORKLOAD.durationMs.apiRequest, why)];
}

/**
 * `count` mutations of objects of `kb` of kind `kindKey`: the request, the read before the write,
 * the write units, and the reconciles of every stream trigger whose filter lets the kind through
 * (its collection-only kinds when the objects are `collectable`: owned, or being deleted).
 */
export function mutationLines(
  inv: StackInventory,
  count: number,
  kb: number,
  kindKey: string,
  why: string,
  transport: Transport = 'rest-api',
  collectable = false,
): CostLine[] {
  const lines = [
    ...requestLines(inv, count, why, transport),
    line(
      `DynamoDB reads: ${why} (object read before the write)`,
      count * WORKLOAD.getReadUnits,
      'RRU',
      PRICES.dynamoReadUnit,
    ),
    line(
      `DynamoDB writes: ${why} (${mutationWriteUnits(kb, inv.table.updatesCopyToIndex)} WRU each)`,
      count * mutationWriteUnits(kb, inv.table.updatesCopyToIndex),
      'WRU',
      PRICES.dynamoWriteUnit,
    ),
    line(
      `DynamoDB reads: ${why} (its unconfirmed record resolved by ${WORKLOAD.logReaders} log reader)`,
      count * WORKLOAD.logReaders * Math.ceil(kb / 4) * WORKLOAD.getReadUnits,
      'RRU',
      PRICES.dynamoReadUnit,
    ),
    line(
      `DynamoDB stream reads by Lambda triggers: ${why}`,
      count,
      'records',
      PRICES.dynamoStreamReadByLambda,
    ),
  ];
  const wakes = (t: StackInventory['streamTriggers'][number]) =>
    t.kindKeys.includes(kindKey) || (collectable && t.conditionalKindKeys.includes(kindKey));
  for (const trigger of inv.streamTriggers.filter(wakes)) {
    const invocations = count * WORKLOAD.invocationsPerWatchedMutation;
    const target = `${trigger.target.description} woken by ${why}`;
    // The reconcile function's batch is measured (bench:invocations, reconcile-read-units); any
    // other trigger's (the scheduler's: a scheduling round) is estimated.
    const reconciles = trigger.target === inv.functions.reconciler;
    const durationMs = reconciles ? WORKLOAD.durationMs.reconcileBatch : WORKLOAD.durationMs.streamBatch;
    const readUnits = reconciles
      ? WORKLOAD.reconcileReadUnits
      : WORKLOAD.scheduleListsPerTick * WORKLOAD.listReadUnits;
    lines.push(
      ...lambdaLines(trigger.target, invocations, durationMs, target),
      line(`DynamoDB reads: ${target}`, invocations * readUnits, 'RRU', PRICES.dynamoReadUnit),
    );
  }
  return lines;
}

/** (a) The control plane with no nodes and no changes: ticks, idle pollers, alarms, keys, storage. */
export function idleLines(inv: StackInventory): CostLine[] {
  const lines: CostLine[] = [];
  // The sweep lists each kind the controllers own: the kinds their stream trigger lets through.
  const controllerKinds =
    inv.streamTriggers.find((t) => t.target === inv.functions.reconciler)?.kindKeys.length ?? 0;
  for (const rule of inv.tickRules) lines.push(...tickLines(rule, inv.functions, controllerKinds));
  for (const trigger of inv.sqsTriggers) {
    const receives = (WORKLOAD.sqsIdlePollers * MONTH_SECONDS) / WORKLOAD.sqsLongPollSeconds;
    lines.push(
      line(`SQS empty receives: Lambda polling ${trigger.queueId}`, receives, 'requests', PRICES.sqsRequest),
    );
  }
  lines.push(
    line('CloudWatch alarms (dead-letter queue)', inv.alarms, 'alarm-months', PRICES.cloudWatchAlarmMonth),
    line('KMS customer managed keys', inv.kmsKeys, 'key-months', PRICES.kmsKeyMonth),
    line('DynamoDB storage (objects, no nodes)', WORKLOAD.idleTableGb, 'GB-months', storagePrice(inv)),
  );
  return lines;
}

/** One tick rule's month: the resync sweep's lists, a scheduling round's, or the requeue drain's check. */
function tickLines(
  rule: StackInventory['tickRules'][number],
  functions: StackInventory['functions'],
  controllerKinds: number,
): CostLine[] {
  const ticks = MONTH_SECONDS / rule.periodSeconds;
  const every = `every ${rule.periodSeconds} s`;
  const eventLine = (why: string) =>
    line(`EventBridge scheduled rule: ${why}`, ticks, 'events', PRICES.eventBridgeScheduledOrServiceEvent);
  if (rule.target === functions.requeue) {
    const why = `requeue drain tick ${every}`;
    return [
      eventLine(why),
      ...lambdaLines(rule.target, ticks, WORKLOAD.durationMs.requeueDrainTick, why),
      line(
        `SQS requests: ${why} (messages visible? one GetQueueAttributes)`,
        ticks,
        'requests',
        PRICES.sqsRequest,
      ),
    ];
  }
  const isResync = rule.target === functions.resync;
  const why = `${isResync ? 'resync' : 'scheduling'} tick ${every}`;
  const duration = isResync ? WORKLOAD.durationMs.resyncTick : WORKLOAD.durationMs.scheduleTick;
  const reads = isResync
    ? line(
        `DynamoDB reads: ${why} (${controllerKinds} lists and a reconcile of each object, measured)`,
        ticks * WORKLOAD.resyncReadUnits.idleSweep,
        'RRU',
        PRICES.dynamoReadUnit,
      )
    : line(
        `DynamoDB reads: ${why} (${WORKLOAD.scheduleListsPerTick} lists)`,
        ticks * WORKLOAD.scheduleListsPerTick * WORKLOAD.listReadUnits,
        'RRU',
        PRICES.dynamoReadUnit,
      );
  return [eventLine(why), ...lambdaLines(rule.target, ticks, duration, why), reads];
}

/** What `nodes` nodes add to every resync sweep: a reconcile of each Node, and its Lease listed. */
function resyncNodeLines(inv: StackInventory, nodes: number): CostLine[] {
  const rule = inv.tickRules.find((r) => r.target === inv.functions.resync);
  if (!rule) return [];
  const sweeps = MONTH_SECONDS / rule.periodSeconds;
  return [
    line(
      `DynamoDB reads: resync sweeps of the nodes' Nodes and Leases (every ${rule.periodSeconds} s, measured)`,
      sweeps * nodes * WORKLOAD.resyncReadUnits.perNode,
      'RRU',
      PRICES.dynamoReadUnit,
    ),
  ];
}

/** The heartbeat plan the stack supports: direct heartbeat items when the node role may write them. */
export function heartbeatPlanOf(inv: StackInventory): HeartbeatPlan {
  return inv.nodeHeartbeat ? CHOSEN_HEARTBEAT : API_HEARTBEAT;
}

/**
 * How long one watch lasts before its client reconnects: API Gateway's limit for a streamed
 * response (infra/constructs/object-api.ts), which the bookmarks keep it from reaching idle.
 */
const WATCH_SECONDS = 15 * 60;

/**
 * (b, second part) How each agent follows its pods: not a heartbeat, but the steady cost of a node
 * that changes nothing, so the 10-node figure counts it.
 * - With the node role allowed to read the pod change markers (the stack's plan): an eventually
 *   consistent GetItem of its marker every EC2_POD_POLL_MS, and a list through the API every
 *   EC2_POD_RELIST_MS whatever it says (lib/agent/pod-follower.ts). The lists a moved marker causes
 *   are the cost of changes, not of quiet nodes.
 * - Without it, a watch (lib/agent/pod-follower.ts), which on AWS holds a streaming invocation of
 *   the API function for as long as it is open: one function's memory for every second of the
 *   month, per node, reconnecting every 15 minutes.
 */
export function podFollowLines(inv: StackInventory, nodes: number): CostLine[] {
  if (inv.podMarkers) {
    const polls = (nodes * MONTH_SECONDS) / (EC2_POD_POLL_MS / 1000);
    const relists = (nodes * MONTH_SECONDS) / (EC2_POD_RELIST_MS / 1000);
    const relist = `agents' pod lists every ${EC2_POD_RELIST_MS / 60_000} min whatever their marker says`;
    return [
      line(
        `DynamoDB reads: agents' pod change marker polls every ${EC2_POD_POLL_MS / 1000} s (eventually consistent GetItem)`,
        polls * WORKLOAD.eventualGetReadUnits,
        'RRU',
        PRICES.dynamoReadUnit,
      ),
      ...requestLines(inv, relists, relist, 'rest-api'),
      line(`DynamoDB reads: ${relist}`, relists * WORKLOAD.listReadUnits, 'RRU', PRICES.dynamoReadUnit),
    ];
  }
  const watches = (nodes * MONTH_SECONDS) / WATCH_SECONDS;
  const why = "agents' pod watches, one per node, held open 15 min each";
  return [
    line(`API Gateway REST: ${why}`, watches, 'requests', PRICES.restApiRequest),
    ...lambdaLines(inv.functions.api, watches, WATCH_SECONDS * 1000, why),
  ];
}

/** (b) The heartbeats of `nodes` nodes for a month, following `plan` (by default, the stack's). */
export function nodeLines(
  inv: StackInventory,
  nodes: number,
  plan: HeartbeatPlan = heartbeatPlanOf(inv),
): CostLine[] {
  const renewals = (nodes * MONTH_SECONDS) / plan.renewSeconds;
  const posts = (nodes * MONTH_SECONDS) / plan.statusSeconds;
  const renewal = `Lease renewals every ${plan.renewSeconds} s`;
  const lines =
    plan.transport === 'dynamodb-direct' && plan.directWrite === 'heartbeat-item'
      ? [
          line(
            `DynamoDB writes: heartbeat item renewals every ${plan.renewSeconds} s, plain UpdateItem (1 WRU, in no index)`,
            renewals,
            'WRU',
            PRICES.dynamoWriteUnit,
          ),
        ]
      : plan.transport === 'dynamodb-direct' && plan.directWrite === 'plain'
        ? [
            line(
              `DynamoDB writes: ${renewal}, plain UpdateItem`,
              renewals * plainWriteUnits(inv, WORKLOAD.leaseKb),
              'WRU',
              PRICES.dynamoWriteUnit,
            ),
          ]
        : mutationLines(
            inv,
            renewals,
            WORKLOAD.leaseKb,
            'coordination.k8s.io/Lease',
            renewal,
            plan.transport,
          );
  // Agents on heartbeat items read their Node only after being away; the others when a post is due.
  const nodeGets = plan.nodeGetPerRenewal ? renewals : plan.directWrite === 'heartbeat-item' ? 0 : posts;
  if (nodeGets > 0)
    lines.push(
      ...requestLines(
        inv,
        nodeGets,
        'Node GETs',
        plan.transport === 'dynamodb-direct' ? 'rest-api' : plan.transport,
      ),
      line('DynamoDB reads: Node GETs', nodeGets * WORKLOAD.getReadUnits, 'RRU', PRICES.dynamoReadUnit),
    );
  lines.push(
    ...mutationLines(
      inv,
      posts,
      WORKLOAD.nodeKb,
      'core/Node',
      `Node status posts every ${plan.statusSeconds} s`,
    ),
    ...lifecycleLookLines(inv, nodes, plan),
    ...resyncNodeLines(inv, nodes),
  );
  if (inv.authorizer) {
    // API Gateway caches a token's answer for the TTL: a node calling less often misses every time.
    const apiRequests =
      posts +
      nodeGets +
      (plan.transport === 'dynamodb-direct' || plan.transport === 'function-url' ? 0 : renewals);
    const checks = Math.min(apiRequests, (nodes * MONTH_SECONDS) / Math.max(inv.authorizer.ttlSeconds, 1));
    lines.push(
      ...lambdaLines(
        inv.authorizer.target,
        checks,
        WORKLOAD.durationMs.authorizer,
        'token checks (cache misses)',
      ),
    );
  }
  const loggedRenewals =
    plan.transport === 'dynamodb-direct' && plan.directWrite !== 'change-log' ? 0 : renewals;
  // Every renewal and post leaves a change-log record (the object's body) for the retention period.
  const recordKb =
    (loggedRenewals * (WORKLOAD.leaseKb + WORKLOAD.recordOverheadKb) +
      posts * (WORKLOAD.nodeKb + WORKLOAD.recordOverheadKb)) *
    (WORKLOAD.recordRetentionHours / (MONTH_SECONDS / 3600));
  lines.push(
    line('DynamoDB storage: change-log records held', recordKb / 1024 ** 2, 'GB-months', storagePrice(inv)),
  );
  return lines;
}

/**
 * The node lifecycle controller's looks: it comes back to each node when its heartbeat would
 * expire (a requeue), reads the Node, its Lease and (on heartbeat items) the item, and asks to come
 * back again. A look waits for the next requeue drain, so it comes about every lease minus half a
 * renewal plus half a drain period. Listing the node's pods is skipped while it has no NoExecute taint.
 */
export function lifecycleLookLines(inv: StackInventory, nodes: number, plan: HeartbeatPlan): CostLine[] {
  const drain = inv.tickRules.find((rule) => rule.target === inv.functions.requeue);
  const drainSeconds = drain?.periodSeconds ?? 0;
  const lookSeconds = Math.max(plan.leaseSeconds - plan.renewSeconds / 2 + drainSeconds / 2, drainSeconds, 1);
  const looks = (nodes * MONTH_SECONDS) / lookSeconds;
  const why = `node lifecycle looks (each node every ~${Math.round(lookSeconds)} s)`;
  const readUnits =
    2 * WORKLOAD.getReadUnits + (plan.directWrite === 'heartbeat-item' ? WORKLOAD.eventualGetReadUnits : 0);
  const fn = inv.functions.requeue;
  const busyDrains = drain ? Math.min(looks, MONTH_SECONDS / drain.periodSeconds) : looks;
  return [
    line(`DynamoDB reads: ${why}`, looks * readUnits, 'RRU', PRICES.dynamoReadUnit),
    line(
      `Lambda ${fn.memoryMb} MB x ${WORKLOAD.durationMs.lifecycleLook} ms: ${why}, inside requeue drains`,
      looks * (fn.memoryMb / 1024) * (WORKLOAD.durationMs.lifecycleLook / 1000),
      'GB-s',
      gbSecondPrice(fn),
    ),
    line(
      `SQS requests: ${why} (receive, delete and send batches of busy drains)`,
      busyDrains * WORKLOAD.sqsRequestsPerBusyDrain,
      'requests',
      PRICES.sqsRequest,
    ),
  ];
}

/**
 * (c) One million API mutations of a typical object, everything included: a ConfigMap a user
 * applies, owned by nothing, which wakes no controller (only the garbage collectors watch
 * ConfigMaps, and only their collection records reach them).
 */
export function perMillionMutationLines(inv: StackInventory): CostLine[] {
  return mutationLines(inv, 1e6, WORKLOAD.objectKb, 'core/ConfigMap', 'mutations');
}

/** (c') One million mutations of an object controllers watch (a Deployment): (c) plus a reconcile each. */
export function perMillionWatchedMutationLines(inv: StackInventory): CostLine[] {
  return mutationLines(inv, 1e6, WORKLOAD.objectKb, 'apps/Deployment', 'Deployment mutations');
}

/**
 * The steady mutation rate (per second) at which the control plane's monthly cost, on top of
 * `baseMonthly`, reaches `target` (EKS's control plane, $73 a month).
 */
export function breakEvenRate(
  baseMonthly: number,
  perMillion: number,
  target = PRICES.eksControlPlaneMonth,
): number {
  const millionsPerMonth = Math.max(target - baseMonthly, 0) / perMillion;
  return (millionsPerMonth * 1e6) / MONTH_SECONDS;
}

/** A conditional update of the item alone (no log record, no counter) and its index copy, if any. */
export function plainWriteUnits(inv: StackInventory, kb: number): number {
  return Math.ceil(kb) * (inv.table.updatesCopyToIndex ? 2 : 1);
}

function storagePrice(inv: StackInventory): number {
  return PRICES.dynamoStorageGbMonth + (inv.table.pitr ? PRICES.dynamoPitrGbMonth : 0);
}
