import {
  breakEvenRate,
  heartbeatPlanOf,
  idleLines,
  nodeLines,
  podFollowLines,
  perMillionMutationLines,
  perMillionWatchedMutationLines,
  totalOf,
  type CostLine,
} from './model';
import { MONTH_HOURS, PRICES, PRICE_SOURCE } from './prices';
import type { StackInventory } from './stack-inventory';
import { HEARTBEAT_OPTIONS, WORKLOAD } from './workload';

/** The issue's targets (issue 11, item 8). */
export const TARGETS = { idleMonthly: 0.5, tenNodesMonthly: 3, perMillionMutations: 8 } as const;

export interface CostFigures {
  idle: number;
  /** Idle plus 10 quiet nodes' heartbeats, status posts and lifecycle looks, and how they follow their pods. */
  tenNodes: number;
  /** The same without following pods: the parts issue 11 names (heartbeats, resync, ticks). */
  tenNodesHeartbeats: number;
  perMillion: number;
  /** (c'): mutations of a kind the controllers watch, each waking the reconcile function. */
  perMillionWatched: number;
  /** Mutations per second at which the control plane costs as much as EKS's, idle and with 10 nodes. */
  eksBreakEven: { idle: number; tenNodes: number };
  heartbeatOptions: { name: string; tenNodes: number }[];
}

export function costFigures(inv: StackInventory): CostFigures {
  const idle = totalOf(idleLines(inv));
  const tenNodesHeartbeats = idle + totalOf(nodeLines(inv, 10));
  const tenNodes = tenNodesHeartbeats + totalOf(podFollowLines(inv, 10));
  const perMillion = totalOf(perMillionMutationLines(inv));
  const perMillionWatched = totalOf(perMillionWatchedMutationLines(inv));
  return {
    idle,
    tenNodes,
    tenNodesHeartbeats,
    perMillion,
    perMillionWatched,
    eksBreakEven: { idle: breakEvenRate(idle, perMillion), tenNodes: breakEvenRate(tenNodes, perMillion) },
    heartbeatOptions: HEARTBEAT_OPTIONS.map((plan) => ({
      name: plan.name,
      tenNodes: idle + totalOf(nodeLines(inv, 10, plan)),
    })),
  };
}

/** The model as text: every line, the assumptions, the figures against their targets. */
export function costReport(inv: StackInventory): string {
  const figures = costFigures(inv);
  const out: string[] = [
    `Skiff control plane cost model: on-demand list prices, ${PRICE_SOURCE.region}, taken ${PRICE_SOURCE.takenOn}; ` +
      `free tiers not counted; a month is ${MONTH_HOURS} hours.`,
    `Stack: ${inv.allFunctions.length} functions, ${inv.tickRules.length} schedule rules, ${inv.streamTriggers.length} stream triggers, ` +
      `${inv.sqsTriggers.length} SQS triggers, ${inv.alarms} alarms, ${inv.logGroups.length} log groups, ${inv.kmsKeys} KMS keys, ` +
      `table on-demand with ${inv.table.indexes} indexes${inv.table.pitr ? ' and PITR' : ''}${inv.authorizer ? `, authorizer cached ${inv.authorizer.ttlSeconds} s` : ''}.`,
    `Assumptions: ${JSON.stringify(WORKLOAD)}`,
    '',
    section('(a) Idle, no nodes, per month', idleLines(inv)),
    section(
      `(b) 10 nodes, no changes: heartbeats per month (add (a)); the stack's plan: ${heartbeatPlanOf(inv).name}`,
      nodeLines(inv, 10),
    ),
    section(
      "(b') 10 nodes, no changes: the agents following their pods, per month (add (a) and (b))",
      podFollowLines(inv, 10),
    ),
    section(
      '(c) Per million API mutations, everything included: a ConfigMap owned by nothing (wakes no controller)',
      perMillionMutationLines(inv),
    ),
    section(
      "(c') Per million mutations of a kind controllers watch (a Deployment): each also wakes the reconcile function",
      perMillionWatchedMutationLines(inv),
    ),
    'Targets:',
    target('idle, no nodes, $/month', figures.idle, TARGETS.idleMonthly),
    target('10 nodes, no changes, $/month', figures.tenNodes, TARGETS.tenNodesMonthly),
    target('  of it heartbeats, resync, ticks', figures.tenNodesHeartbeats, TARGETS.tenNodesMonthly),
    target('per million mutations, $', figures.perMillion, TARGETS.perMillionMutations),
    target("  of a watched kind (c')", figures.perMillionWatched, TARGETS.perMillionMutations),
    `  EKS control plane ($${PRICES.eksControlPlaneMonth}/month) costs as much as Skiff at ` +
      `${figures.eksBreakEven.idle.toFixed(1)} mutations/s sustained (idle base), ${figures.eksBreakEven.tenNodes.toFixed(1)}/s with 10 nodes`,
    '',
    "Heartbeat options, 10 nodes no changes, $/month (idle included, following pods (b') not):",
    ...figures.heartbeatOptions.map(
      (o) => `  ${usd(o.tenNodes).padStart(9)}  ${ratio(o.tenNodes, TARGETS.tenNodesMonthly)}  ${o.name}`,
    ),
  ];
  return out.join('\n');
}

function section(title: string, lines: readonly CostLine[]): string {
  const rows = lines
    .filter((l) => l.quantity > 0)
    .map(
      (l) => `  ${usd(l.cost).padStart(9)}  ${fmt(l.quantity).padStart(14)} ${l.unit.padEnd(12)} ${l.item}`,
    );
  return [title, ...rows, `  ${usd(totalOf(lines)).padStart(9)}  total`, ''].join('\n');
}

function target(name: string, value: number, limit: number): string {
  return `  ${name.padEnd(32)} ${usd(value).padStart(9)}  target <= ${usd(limit)}  ${ratio(value, limit)}`;
}

const ratio = (value: number, limit: number) =>
  `${(value / limit).toFixed(2)}x of target ${value <= limit ? '(met)' : '(MISSED)'}`;
const usd = (value: number) => `$${value < 0.01 && value > 0 ? value.toFixed(4) : value.toFixed(2)}`;
const fmt = (value: number) =>
  value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3);
