import { CronExpressionParser } from 'cron-parser';
import { durationSeconds } from '../../kinds/capacity-duration';
import type { DisruptionReason, PoolBudget, PoolDisruption } from './model';

/** How many nodes a pool's budgets let be disrupted at once for a reason, and which budget said so. */
export interface BudgetAllowance {
  /** Infinity when no active budget limits the reason. */
  allowed: number;
  /** The strictest active budget in words, e.g. `nodes "10%" of 5 nodes`. */
  strictest?: string;
}

/**
 * The nodes `pool` may have disrupted at once for `reason` now: the least of its active budgets
 * that name the reason (or name none), Karpenter's `GetAllowedDisruptionsByReason`. A percentage
 * is of `nodes` (the pool's node count), rounded up as Kubernetes does for maxUnavailable, so 10%
 * of 5 nodes allows 1. A budget whose schedule cannot be read allows 0: Karpenter fails closed.
 *
 * @example allowedDisruptions({ ..., budgets: [{ nodes: '10%' }] }, 5, 'Empty', now) // { allowed: 1, ... }
 */
export function allowedDisruptions(
  pool: PoolDisruption,
  nodes: number,
  reason: DisruptionReason,
  now: Date,
): BudgetAllowance {
  let result: BudgetAllowance = { allowed: Infinity };
  for (const budget of pool.budgets) {
    if (budget.reasons && !budget.reasons.includes(reason)) continue;
    const allowance = budgetAllowance(budget, nodes, now);
    if (allowance.allowed < result.allowed) result = allowance;
  }
  return result;
}

function budgetAllowance(budget: PoolBudget, nodes: number, now: Date): BudgetAllowance {
  let active: boolean;
  try {
    active = budgetActive(budget, now);
  } catch (error) {
    if (!(error instanceof InvalidScheduleError)) throw error;
    return { allowed: 0, strictest: `schedule "${budget.schedule}" cannot be read (${error.message})` };
  }
  if (!active) return { allowed: Infinity };
  const window = budget.schedule ? ` (schedule "${budget.schedule}" for ${budget.duration})` : '';
  return {
    allowed: scaledNodes(budget.nodes, nodes),
    strictest: `nodes "${budget.nodes}" of ${nodes} node${nodes === 1 ? '' : 's'}${window}`,
  };
}

/** A count as is; a percentage of `nodes`, rounded up (intstr.GetScaledValueFromIntOrPercent with roundUp). */
export function scaledNodes(value: string, nodes: number): number {
  const percent = /^([0-9]+)%$/.exec(value);
  if (percent) return Math.ceil((Number(percent[1]) * nodes) / 100);
  const count = Number(value);
  // Validation refuses anything else; fail closed as Karpenter does for a value it cannot read.
  return Number.isInteger(count) && count >= 0 ? count : 0;
}

/** A budget's schedule that cannot be read (or names no time). */
export class InvalidScheduleError extends Error {
  constructor(
    readonly schedule: string,
    why: string,
  ) {
    super(why);
    this.name = 'InvalidScheduleError';
  }
}

/** Month and weekday names cron accepts, any case: their letters are not cron-parser's `H` or `L`. */
const CRON_NAMES = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat)\b/gi;

/** robfig/cron's macros (what Karpenter parses), as 5-field expressions. */
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/**
 * Whether a budget holds at `now`: always without a schedule; with one, when the schedule fired
 * (in UTC) within the last `duration`. Karpenter's `Budget.IsActive`: the first firing strictly
 * after `now - duration` is at or before `now`, so a window opening exactly at `now` is active and
 * one that opened exactly `duration` ago is not.
 *
 * Throws InvalidScheduleError for an expression robfig/cron would refuse, including cron-parser's
 * own extensions (`H` is random, `L` and `#` are not standard cron).
 */
export function budgetActive(budget: PoolBudget, now: Date): boolean {
  if (budget.schedule === undefined) return true;
  const schedule = budget.schedule.trim();
  const expression = MACROS[schedule] ?? schedule;
  const fields = expression.split(/\s+/);
  if (fields.length !== 5) throw new InvalidScheduleError(schedule, 'not 5 fields nor a known macro');
  if (fields.some((field) => /[hl#]/i.test(field.replace(CRON_NAMES, ''))))
    throw new InvalidScheduleError(schedule, 'H, L and # are not standard cron');
  const seconds = durationSeconds(budget.duration ?? '0s') ?? 0;
  let next: Date;
  try {
    next = CronExpressionParser.parse(expression, {
      currentDate: new Date(now.getTime() - seconds * 1000),
      tz: 'UTC',
    })
      .next()
      .toDate();
  } catch (error) {
    throw new InvalidScheduleError(schedule, error instanceof Error ? error.message : String(error));
  }
  return next.getTime() <= now.getTime();
}
