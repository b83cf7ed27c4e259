import {
  breakEvenRate,
  gbSecondPrice,
  idleLines,
  lambdaLines,
  mutationWriteUnits,
  nodeLines,
  perMillionMutationLines,
  perMillionWatchedMutationLines,
  mutationLines,
  podFollowLines,
  totalOf,
} from '../../lib/cost/model';
import { MONTH_SECONDS, PRICES } from '../../lib/cost/prices';
import { costFigures, costReport } from '../../lib/cost/report';
import {
  inventoryOf,
  MissingResourceError,
  type CfnTemplate,
  type StackInventory,
} from '../../lib/cost/stack-inventory';
import { CHOSEN_HEARTBEAT, CURRENT_HEARTBEAT, WORKLOAD } from '../../lib/cost/workload';
import { TARGETS } from '../../lib/cost/report';
import { synthesizeSkiffTemplate } from '../infra/skiff-template';

const cost = (lines: { item: string; cost: number }[], prefix: string) =>
  lines.filter((l) => l.item.startsWith(prefix)).reduce((sum, l) => sum + l.cost, 0);

describe('cost model', () => {
  let template: CfnTemplate;
  let inv: StackInventory;
  beforeAll(() => {
    template = synthesizeSkiffTemplate().toJSON() as CfnTemplate;
    inv = inventoryOf(template);
  });

  describe('the inventory of the synthesized stack', () => {
    it('reads each function by role with its memory and architecture', () => {
      for (const fn of Object.values(inv.functions)) {
        const props = template.Resources[fn.id].Properties ?? {};
        expect(fn.memoryMb).toBe(props.MemorySize);
        expect(fn.arm64).toBe((props.Architectures as string[]).includes('arm64'));
      }
      expect(inv.functions.api.description).toBe('Skiff Kubernetes API');
    });

    it('reads the tick rules, stream filters, SQS triggers and table settings', () => {
      expect(inv.tickRules.map((r) => r.target)).toEqual(
        expect.arrayContaining([inv.functions.resync, inv.functions.scheduler, inv.functions.requeue]),
      );
      expect(inv.tickRules.every((r) => r.periodSeconds >= 60)).toBe(true);
      const reconcile = inv.streamTriggers.find((t) => t.target === inv.functions.reconciler);
      expect(reconcile?.kindKeys).toContain('core/Node');
      // Lease renewals must not wake reconcilers: the model prices them without a reconcile.
      expect(inv.streamTriggers.flatMap((t) => t.kindKeys)).not.toContain('coordination.k8s.io/Lease');
      // No queue is polled by a Lambda trigger: idle pollers cost $0.26 a month per queue.
      expect(inv.sqsTriggers).toEqual([]);
      expect(inv.alarms).toBe(1);
      expect(inv.table).toMatchObject({ onDemand: true, streamViewType: 'NEW_AND_OLD_IMAGES' });
      expect(inv.logGroups.every((g) => g.retentionDays > 0)).toBe(true);
      // Every function logs JSON at WARN: a healthy invocation writes nothing.
      expect(inv.allFunctions.every((fn) => fn.quietLogs)).toBe(true);
      // ConfigMaps reach the reconcile function only as collection records (owned, deleting, removed).
      expect(reconcile?.kindKeys).not.toContain('core/ConfigMap');
      expect(reconcile?.conditionalKindKeys).toContain('core/ConfigMap');
    });

    const without = (predicate: (type: string, id: string, props: Record<string, unknown>) => boolean) => {
      const copy = structuredClone(template);
      for (const [id, resource] of Object.entries(copy.Resources))
        if (predicate(resource.Type, id, resource.Properties ?? {})) delete copy.Resources[id];
      return copy;
    };

    it.each([
      ['the object table', (type: string) => type === 'AWS::DynamoDB::Table'],
      [
        'the schedule rules',
        (type: string, _id: string, p: Record<string, unknown>) =>
          type === 'AWS::Events::Rule' && 'ScheduleExpression' in p,
      ],
      [
        'the stream triggers',
        (type: string, _id: string, p: Record<string, unknown>) =>
          type === 'AWS::Lambda::EventSourceMapping' && 'FilterCriteria' in p,
      ],
      [
        'the API function',
        (type: string, _id: string, p: Record<string, unknown>) =>
          type === 'AWS::Lambda::Function' && p.Description === 'Skiff Kubernetes API',
      ],
      ['the REST API', (type: string) => type === 'AWS::ApiGateway::RestApi'],
      ['the alarms', (type: string) => type === 'AWS::CloudWatch::Alarm'],
      ['the log groups', (type: string) => type === 'AWS::Logs::LogGroup'],
    ])('fails when the template lacks %s', (_name, predicate) => {
      expect(() => inventoryOf(without(predicate))).toThrow(MissingResourceError);
    });
  });

  describe('an API authorizer', () => {
    const withAuthorizer = (uri: unknown) => {
      const copy = structuredClone(template);
      for (const [id, resource] of Object.entries(copy.Resources))
        if (resource.Type === 'AWS::ApiGateway::Authorizer') delete copy.Resources[id];
      copy.Resources.Authorizer = {
        Type: 'AWS::ApiGateway::Authorizer',
        Properties: { Type: 'REQUEST', AuthorizerResultTtlInSeconds: 600, AuthorizerUri: uri },
      };
      return copy;
    };

    it('prices its cache misses per node at its TTL', () => {
      const apiId = inv.functions.api.id;
      const uri = { 'Fn::Join': ['', ['arn:', { 'Fn::GetAtt': [apiId, 'Arn'] }, '/invocations']] };
      const withAuth = inventoryOf(withAuthorizer(uri));
      expect(withAuth.authorizer).toEqual({ ttlSeconds: 600, target: withAuth.functions.api });
      const checks = nodeLines(withAuth, 10).find(
        (l) => l.item === 'Lambda requests: token checks (cache misses)',
      );
      expect(checks?.quantity).toBeCloseTo((10 * MONTH_SECONDS) / 600, 6);
    });

    it('fails when the authorizer names no function of the stack', () => {
      expect(() => inventoryOf(withAuthorizer('arn:aws:lambda:elsewhere'))).toThrow(MissingResourceError);
    });
  });

  describe('the arithmetic of each line', () => {
    it('prices Lambda by requests, GB-seconds at the memory, and log bytes (none when its logging is quiet)', () => {
      const fn = { id: 'F', description: 'f', memoryMb: 512, arm64: true, quietLogs: false };
      const [requests, duration, logs] = lambdaLines(fn, 1_000_000, 100, 'x');
      expect(requests.cost).toBeCloseTo(0.2, 10);
      expect(duration.quantity).toBeCloseTo(50_000, 6);
      expect(duration.cost).toBeCloseTo(50_000 * 0.0000133334, 10);
      expect(logs.quantity).toBeCloseTo((1e6 * WORKLOAD.logBytesPerInvocation) / 1024 ** 3, 10);
      expect(lambdaLines({ ...fn, arm64: false }, 1, 1000, 'x')[1].unitPrice).toBe(PRICES.lambdaX86GbSecond);
      expect(lambdaLines({ ...fn, quietLogs: true }, 1_000_000, 100, 'x')[2].cost).toBe(0);
    });

    it('counts an update as counter + record written ahead + object, no transaction (+ index copy when byKind holds more than keys)', () => {
      expect(mutationWriteUnits(0.8)).toBe(1 + 1 + 1 + 1);
      expect(mutationWriteUnits(3)).toBe(1 + 3 + 4 + 3);
      expect(mutationWriteUnits(0.8, false)).toBe(3);
    });

    it('prices a million mutations of an unowned ConfigMap with API Gateway, the API function and DynamoDB: no reconcile', () => {
      const lines = perMillionMutationLines(inv);
      expect(cost(lines, 'API Gateway REST')).toBeCloseTo(3.5, 6);
      // byKind holds keys only: an update writes no index copy.
      expect(inv.table.updatesCopyToIndex).toBe(false);
      expect(cost(lines, 'DynamoDB writes')).toBeCloseTo(3 * 0.625, 6);
      // The read before the write, and one log reader resolving the unconfirmed record.
      expect(cost(lines, 'DynamoDB reads')).toBeCloseTo(2 * 0.125, 6);
      expect(lines.filter((l) => l.item.includes('woken'))).toEqual([]);
      expect(cost(lines, 'CloudWatch Logs')).toBe(0);
      // Owned (or being deleted), the same ConfigMap wakes its garbage collector.
      const owned = mutationLines(inv, 1e6, WORKLOAD.objectKb, 'core/ConfigMap', 'x', 'rest-api', true);
      expect(owned.filter((l) => l.item.startsWith('Lambda requests: Skiff controllers'))).toHaveLength(1);
    });

    it('prices a million mutations of a watched kind with API Gateway, both functions and DynamoDB', () => {
      const lines = perMillionWatchedMutationLines(inv);
      expect(cost(lines, 'API Gateway REST')).toBeCloseTo(3.5, 6);
      expect(cost(lines, 'DynamoDB writes')).toBeCloseTo(3 * 0.625, 6);
      const { api, reconciler } = inv.functions;
      const gbSeconds = (memoryMb: number, ms: number) => (memoryMb / 1024) * (ms / 1000) * 1e6;
      const duration = lines.filter((l) => l.unit === 'GB-s');
      expect(duration.map((l) => l.quantity)).toEqual([
        gbSeconds(api.memoryMb, WORKLOAD.durationMs.apiRequest),
        gbSeconds(reconciler.memoryMb, WORKLOAD.durationMs.reconcileBatch),
      ]);
      expect(duration[0].cost).toBeCloseTo(duration[0].quantity * PRICES.lambdaArmGbSecond, 10);
      // The scheduler does not watch Deployments: one reconcile per mutation, no scheduling round.
      expect(lines.filter((l) => l.item.includes('Skiff scheduler'))).toEqual([]);
    });

    it('prices 10 nodes of heartbeats from the renewal and status periods', () => {
      const lines = nodeLines(inv, 10, CURRENT_HEARTBEAT);
      const renewals = (10 * MONTH_SECONDS) / 10;
      const posts = (10 * MONTH_SECONDS) / 60;
      const requests = lines
        .filter((l) => l.item.startsWith('API Gateway REST'))
        .reduce((n, l) => n + l.quantity, 0);
      expect(requests).toBeCloseTo(2 * renewals + posts, 3);
      // Status posts of Nodes wake both the controllers and the scheduler; renewals wake neither.
      expect(
        lines.filter((l) => l.item.startsWith('Lambda requests') && l.item.includes('woken')),
      ).toHaveLength(2);
      // The scheduler woken by a post runs a scheduling round: its lists, not a reconcile's reads.
      const schedulerReads = lines.find((l) => l.item.startsWith('DynamoDB reads: Skiff scheduler'));
      expect(schedulerReads?.quantity).toBeCloseTo(
        posts * WORKLOAD.scheduleListsPerTick * WORKLOAD.listReadUnits,
        3,
      );
      const directPlain = nodeLines(inv, 10, {
        ...CURRENT_HEARTBEAT,
        transport: 'dynamodb-direct',
        directWrite: 'plain',
      });
      // A plain UpdateItem of the Lease: one unit, no index copy (byKind holds keys only).
      expect(cost(directPlain, 'DynamoDB writes: Lease')).toBeCloseTo(renewals * PRICES.dynamoWriteUnit, 6);
    });

    it('prices the idle stack from its ticks, pollers and alarms', () => {
      const lines = idleLines(inv);
      expect(cost(lines, 'CloudWatch alarms')).toBeCloseTo(inv.alarms * 0.1, 10);
      expect(cost(lines, 'SQS empty receives')).toBeCloseTo(
        inv.sqsTriggers.length * ((5 * MONTH_SECONDS) / 20) * 0.4e-6,
        10,
      );
      expect(cost(lines, 'EventBridge')).toBe(0);
    });

    it('prices heartbeat items at one write unit per renewal, and no Node GET or change-log record', () => {
      expect(inv.nodeHeartbeat).toBe(true);
      const lines = nodeLines(inv, 10);
      const renewals = (10 * MONTH_SECONDS) / CHOSEN_HEARTBEAT.renewSeconds;
      expect(cost(lines, 'DynamoDB writes: heartbeat item')).toBeCloseTo(
        renewals * PRICES.dynamoWriteUnit,
        6,
      );
      expect(lines.filter((l) => l.item.includes('Node GETs'))).toEqual([]);
      // API Gateway sees only the status posts, one per node every 10 minutes.
      const requests = lines
        .filter((l) => l.item.startsWith('API Gateway REST'))
        .reduce((n, l) => n + l.quantity, 0);
      expect(requests).toBeCloseTo((10 * MONTH_SECONDS) / 600, 3);
    });

    it("prices the lifecycle controller's looks at every node, about once per Lease, in requeue drains", () => {
      const looks = nodeLines(inv, 10).find((l) => l.item.startsWith('DynamoDB reads: node lifecycle looks'));
      // 120 s Lease - 15 s (half a renewal) + 30 s (half a drain period): a look every 135 s.
      expect(looks?.quantity).toBeCloseTo(((10 * MONTH_SECONDS) / 135) * 2.5, 3);
    });

    it('finds the mutation rate at which the control plane costs as much as EKS', () => {
      // $73 - $1 base at $10 per million: 7.2 million a month.
      expect(breakEvenRate(1, 10)).toBeCloseTo(7.2e6 / MONTH_SECONDS, 10);
      expect(breakEvenRate(100, 10)).toBe(0);
    });
  });

  it("meets issue 11's targets with this stack: idle, 10 nodes (following their pods included), per million mutations", () => {
    const figures = costFigures(inv);
    expect(figures.idle).toBeLessThanOrEqual(TARGETS.idleMonthly);
    expect(figures.tenNodesHeartbeats).toBeLessThanOrEqual(TARGETS.tenNodesMonthly);
    expect(figures.tenNodes).toBeCloseTo(figures.tenNodesHeartbeats + totalOf(podFollowLines(inv, 10)), 10);
    expect(figures.tenNodes).toBeLessThanOrEqual(TARGETS.tenNodesMonthly);
    expect(figures.perMillion).toBeLessThanOrEqual(TARGETS.perMillionMutations);
    // A mutation of a kind controllers watch also pays for its reconcile, and meets the target too.
    expect(figures.perMillionWatched).toBeGreaterThan(figures.perMillion);
    expect(figures.perMillionWatched).toBeLessThanOrEqual(TARGETS.perMillionMutations);
  });

  it('prices agents following their pods by marker polls and half-hourly lists when the node role may read the markers', () => {
    expect(inv.podMarkers).toBe(true);
    const lines = podFollowLines(inv, 10);
    // 10 nodes, a half-unit read every 2 s all month.
    expect(cost(lines, "DynamoDB reads: agents' pod change marker polls")).toBeCloseTo(
      ((10 * MONTH_SECONDS) / 2) * 0.5 * PRICES.dynamoReadUnit,
      6,
    );
    const lists = lines.find((l) => l.item.startsWith('API Gateway REST'));
    expect(lists?.quantity).toBeCloseTo((10 * MONTH_SECONDS) / 1800, 3);
    // No invocation is held open: no line bills the API function for more than a request's time.
    expect(lines.some((l) => l.item.includes('held open'))).toBe(false);
  });

  it("prices a node's pod watch as the API function held open all month when the node role may not", () => {
    const watching = { ...inv, podMarkers: false };
    const watchCost = totalOf(podFollowLines(watching, 1));
    const gbSeconds = (inv.functions.api.memoryMb / 1024) * MONTH_SECONDS;
    expect(watchCost).toBeGreaterThan(gbSeconds * gbSecondPrice(inv.functions.api));
    expect(totalOf(podFollowLines(watching, 10))).toBeCloseTo(10 * watchCost, 10);
    expect(totalOf(podFollowLines(watching, 10))).toBeGreaterThan(100 * totalOf(podFollowLines(inv, 10)));
  });

  it('prints the model, the targets with ratios and the heartbeat options', () => {
    const figures = costFigures(inv);
    expect(figures.tenNodesHeartbeats).toBeCloseTo(figures.idle + totalOf(nodeLines(inv, 10)), 10);
    const report = costReport(inv);
    expect(report).toContain('target <= $3.00');
    expect(report).toContain('free tiers not counted');
    expect(report).toMatch(/EKS control plane .* mutations\/s/);
    console.log(report);
  });
});
