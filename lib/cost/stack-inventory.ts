import { HEARTBEAT_PARTITION_PREFIX } from '../store/node-heartbeats';
import { POD_MARKER_PARTITION_PREFIX } from '../store/node-pod-markers';
import { INDEXES, TABLE } from '../store/table-schema';
/**
 * What the cost model reads from the synthesized template: the resources that cost money and the
 * settings their cost depends on (memory, schedules, stream filters, billing mode, retention).
 * Every resource the model prices is looked up here, and a missing one is a MissingResourceError,
 * so a renamed or removed resource fails the cost test instead of silently costing nothing.
 */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
}

export interface FunctionInfo {
  id: string;
  description: string;
  memoryMb: number;
  arm64: boolean;
  /**
   * Whether a healthy invocation logs nothing: JSON log format with the system and application
   * levels at WARN or above, so Lambda drops its START, END and REPORT lines and INFO lines.
   */
  quietLogs: boolean;
}

/** The functions the model prices, by the role their description names. */
export const FUNCTION_ROLES = {
  api: (d: string) => d === 'Skiff Kubernetes API',
  reconciler: (d: string) => d === 'Skiff controllers',
  requeue: (d: string) => d === 'Skiff controllers: delayed reconciles',
  resync: (d: string) => d === 'Skiff controllers: periodic resync',
  scheduler: (d: string) => d.startsWith('Skiff scheduler'),
  interruption: (d: string) => d.startsWith('Skiff interruption handler'),
} as const;
export type FunctionRole = keyof typeof FUNCTION_ROLES;

export interface StackInventory {
  functions: Record<FunctionRole, FunctionInfo>;
  allFunctions: FunctionInfo[];
  restApis: number;
  /** EventBridge rules with a rate schedule, and the function each invokes (resync, scheduler, requeue drain). */
  tickRules: { id: string; periodSeconds: number; target: FunctionInfo }[];
  /**
   * Lambda triggers on the object table's stream: the kindKeys whose every record their filter
   * lets through, and those whose records it lets through only on a further condition (the
   * collection records: removals, objects with owners or being deleted).
   */
  streamTriggers: { target: FunctionInfo; kindKeys: string[]; conditionalKindKeys: string[] }[];
  /** Lambda triggers polling an SQS queue (each keeps pollers receiving while the queue is empty). */
  sqsTriggers: { target: FunctionInfo; queueId: string }[];
  table: {
    id: string;
    onDemand: boolean;
    streamViewType: string;
    indexes: number;
    /**
     * Whether an update of an object writes a copy to an index: the byKind index (every object)
     * projecting more than its keys. With keys only, an update changes no key and writes none.
     */
    updatesCopyToIndex: boolean;
    pitr: boolean;
  };
  alarms: number;
  logGroups: { id: string; retentionDays: number }[];
  kmsKeys: number;
  /** Whether the node role may renew its own heartbeat item (lib/store/node-heartbeats.ts). */
  nodeHeartbeat: boolean;
  /**
   * Whether the node role may read the pod change markers (lib/store/node-pod-markers.ts), so
   * agents poll them instead of holding a watch through the API.
   */
  podMarkers: boolean;
  /** The API's Lambda authorizer, when the stack has one: its result is cached for ttlSeconds. */
  authorizer?: { ttlSeconds: number; target: FunctionInfo };
}

export class MissingResourceError extends Error {
  constructor(what: string) {
    super(`the cost model expects ${what} in the synthesized stack`);
    this.name = 'MissingResourceError';
  }
}

/** Reads the inventory; throws MissingResourceError when a resource the model prices is absent. */
export function inventoryOf(template: CfnTemplate): StackInventory {
  const resources = Object.entries(template.Resources);
  const ofType = (type: string) => resources.filter(([, r]) => r.Type === type);
  const allFunctions = ofType('AWS::Lambda::Function').map(([id, r]) => functionInfo(id, r));
  const byId = new Map(allFunctions.map((fn) => [fn.id, fn]));
  const functions = Object.fromEntries(
    (Object.keys(FUNCTION_ROLES) as FunctionRole[]).map((role) => {
      const found = allFunctions.filter((fn) => FUNCTION_ROLES[role](fn.description));
      if (found.length !== 1) throw new MissingResourceError(`one ${role} function`);
      return [role, found[0]];
    }),
  ) as Record<FunctionRole, FunctionInfo>;

  const tables = [...ofType('AWS::DynamoDB::Table'), ...ofType('AWS::DynamoDB::GlobalTable')];
  if (tables.length !== 1) throw new MissingResourceError('one DynamoDB table');
  const [tableId, tableResource] = tables[0];
  const tableProps = tableResource.Properties ?? {};
  const stream = tableProps.StreamSpecification as { StreamViewType?: string } | undefined;
  if (!stream?.StreamViewType) throw new MissingResourceError('a stream on the object table');
  const indexes =
    (tableProps.GlobalSecondaryIndexes as
      { IndexName?: string; Projection?: { ProjectionType?: string } }[] | undefined) ?? [];
  const table = {
    id: tableId,
    onDemand: tableProps.BillingMode === 'PAY_PER_REQUEST',
    streamViewType: stream.StreamViewType,
    indexes: indexes.length,
    updatesCopyToIndex: indexes.some(
      (index) => index.IndexName === INDEXES.byKind.name && index.Projection?.ProjectionType !== 'KEYS_ONLY',
    ),
    pitr:
      (tableProps.PointInTimeRecoverySpecification as { PointInTimeRecoveryEnabled?: boolean } | undefined)
        ?.PointInTimeRecoveryEnabled === true,
  };
  if (!table.onDemand) throw new MissingResourceError('an on-demand (PAY_PER_REQUEST) object table');

  const tickRules = ofType('AWS::Events::Rule').flatMap(([id, r]) => {
    const expression = r.Properties?.ScheduleExpression;
    if (typeof expression !== 'string') return [];
    const targets = (r.Properties?.Targets as { Arn?: unknown }[] | undefined) ?? [];
    return targets.flatMap((t) => {
      const target = byId.get(getAttId(t.Arn) ?? '');
      return target ? [{ id, periodSeconds: rateSeconds(expression), target }] : [];
    });
  });
  for (const role of ['resync', 'scheduler', 'requeue'] as const)
    if (!tickRules.some((rule) => rule.target === functions[role]))
      throw new MissingResourceError(`a schedule rule invoking the ${role} function`);

  const mappings = ofType('AWS::Lambda::EventSourceMapping').map(([, r]) => ({
    target: byId.get(refId(r.Properties?.FunctionName) ?? ''),
    source: r.Properties?.EventSourceArn,
    filters: r.Properties?.FilterCriteria as { Filters?: { Pattern: string }[] } | undefined,
  }));
  const streamTriggers = mappings.flatMap((m) =>
    m.target && getAttId(m.source) === tableId ? [{ target: m.target, ...filterKindKeys(m.filters) }] : [],
  );
  for (const role of ['reconciler', 'scheduler'] as const)
    if (!streamTriggers.some((t) => t.target === functions[role]))
      throw new MissingResourceError(`a stream trigger invoking the ${role} function`);
  const queueIds = new Set(ofType('AWS::SQS::Queue').map(([id]) => id));
  const sqsTriggers = mappings.flatMap((m) => {
    const queueId = getAttId(m.source);
    return m.target && queueId && queueIds.has(queueId) ? [{ target: m.target, queueId }] : [];
  });

  const restApis = ofType('AWS::ApiGateway::RestApi').length;
  if (restApis !== 1) throw new MissingResourceError('one API Gateway REST API');
  const logGroups = ofType('AWS::Logs::LogGroup').map(([id, r]) => ({
    id,
    retentionDays: Number(r.Properties?.RetentionInDays ?? 0),
  }));
  if (logGroups.length < allFunctions.length) throw new MissingResourceError('a log group for each function');
  if (logGroups.some((group) => !(group.retentionDays > 0)))
    throw new MissingResourceError('a retention on every log group');
  const alarms = ofType('AWS::CloudWatch::Alarm').length;
  if (alarms === 0) throw new MissingResourceError('the dead-letter alarms');

  const authorizers = ofType('AWS::ApiGateway::Authorizer');
  const authorizer = authorizers.length > 0 ? authorizerOf(authorizers[0][1], byId) : undefined;

  return {
    functions,
    allFunctions,
    restApis,
    tickRules,
    streamTriggers,
    sqsTriggers,
    table,
    alarms,
    logGroups,
    kmsKeys: ofType('AWS::KMS::Key').length,
    nodeHeartbeat: ofType('AWS::IAM::Policy').some(([, r]) =>
      JSON.stringify(r.Properties?.PolicyDocument ?? {}).includes(HEARTBEAT_PARTITION_PREFIX),
    ),
    podMarkers: ofType('AWS::IAM::Policy').some(([, r]) =>
      statementsOf(r).some(
        (statement) =>
          [statement.Action].flat().includes('dynamodb:GetItem') &&
          JSON.stringify(statement.Condition ?? {}).includes(POD_MARKER_PARTITION_PREFIX),
      ),
    ),
    authorizer,
  };
}

/** The statements of an IAM policy resource. */
function statementsOf(policy: CfnResource): { Action?: string | string[]; Condition?: unknown }[] {
  const document = policy.Properties?.PolicyDocument as { Statement?: unknown } | undefined;
  return [document?.Statement ?? []].flat() as { Action?: string | string[]; Condition?: unknown }[];
}

const QUIET_LEVELS = new Set(['WARN', 'ERROR', 'FATAL']);

/** Whether a LoggingConfig keeps healthy invocations silent (FunctionInfo.quietLogs). */
function quietLogging(config: unknown): boolean {
  const { LogFormat, SystemLogLevel, ApplicationLogLevel } = (config ?? {}) as Record<string, unknown>;
  return (
    LogFormat === 'JSON' &&
    QUIET_LEVELS.has(String(SystemLogLevel)) &&
    QUIET_LEVELS.has(String(ApplicationLogLevel))
  );
}

function functionInfo(id: string, resource: CfnResource): FunctionInfo {
  const props = resource.Properties ?? {};
  return {
    id,
    description: String(props.Description ?? ''),
    memoryMb: Number(props.MemorySize ?? 128),
    arm64: ((props.Architectures as string[] | undefined) ?? []).includes('arm64'),
    quietLogs: quietLogging(props.LoggingConfig),
  };
}

/** `rate(5 minutes)` in seconds; cron expressions are not used by the stack. */
export function rateSeconds(expression: string): number {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (!match) throw new MissingResourceError(`a rate() schedule, not ${expression}`);
  const unit = match[2].startsWith('minute') ? 60 : match[2].startsWith('hour') ? 3600 : 86_400;
  return Number(match[1]) * unit;
}

function getAttId(value: unknown): string | undefined {
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
  return getAtt?.[0];
}

/** The API's Lambda authorizer: its function and how long API Gateway caches its answer. */
function authorizerOf(resource: CfnResource, byId: Map<string, FunctionInfo>): StackInventory['authorizer'] {
  const target = byId.get(referencedIds(resource.Properties).find((id) => byId.has(id)) ?? '');
  if (!target) throw new MissingResourceError("the authorizer's function");
  // API Gateway's default TTL when the property is absent is 300 s.
  return { ttlSeconds: Number(resource.Properties?.AuthorizerResultTtlInSeconds ?? 300), target };
}

/** Every logical id a value refers to (Ref or Fn::GetAtt), however deeply nested (Fn::Join). */
function referencedIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (typeof value !== 'object' || value === null) return [];
  const ids = [refId(value), getAttId(value)].filter((id): id is string => typeof id === 'string');
  return [...ids, ...Object.values(value).flatMap(referencedIds)];
}

function refId(value: unknown): string | undefined {
  return (value as { Ref?: string } | undefined)?.Ref;
}

/**
 * The kindKeys a stream trigger's filter patterns let through: those a pattern naming only the
 * kind lets through whatever the record, and those only patterns with a further condition (an
 * event name, another attribute) let through. No filter: every record, which the model does not
 * price (every trigger of the stack has one).
 */
function filterKindKeys(filters: { Filters?: { Pattern: string }[] } | undefined): {
  kindKeys: string[];
  conditionalKindKeys: string[];
} {
  const always = new Set<string>();
  const conditional = new Set<string>();
  for (const filter of filters?.Filters ?? []) {
    const pattern = JSON.parse(filter.Pattern) as {
      dynamodb?: Record<string, Record<string, { S?: unknown[] }>>;
    };
    const images = Object.values(pattern.dynamodb ?? {});
    const conditionsBeyondKind =
      Object.keys(pattern).length > 1 ||
      images.length > 1 ||
      images.some((image) => Object.keys(image).some((attribute) => attribute !== TABLE.kindKey));
    for (const image of images)
      for (const key of image[TABLE.kindKey]?.S ?? [])
        if (typeof key === 'string') (conditionsBeyondKind ? conditional : always).add(key);
  }
  return {
    kindKeys: [...always].sort(),
    conditionalKindKeys: [...conditional].filter((key) => !always.has(key)).sort(),
  };
}
