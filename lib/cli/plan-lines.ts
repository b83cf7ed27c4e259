import type { SchedulingPlan } from '../scheduling/runner/dry-run';
import { priceText } from './node-usage';
import { alignColumns } from './table-printer';
import type { Loose } from './loose-object';

/**
 * The scheduler's dry run in words: the claims it would launch, the nodes consolidation would
 * delete or replace, the pods it would bind or nominate, those it cannot place and why, and the
 * $/hour before and after. Sections with nothing in them are left out.
 */
export function planLines(plan: SchedulingPlan): string[] {
  const lines: string[] = [];
  const section = (title: string, rows: string[][]) => {
    if (rows.length <= 1) return;
    if (lines.length > 0) lines.push('');
    lines.push(`${title}:`, ...alignColumns(rows).map((line) => `  ${line}`));
  };
  section('Launch', [
    ['CLAIM', 'POOL', 'TYPE', 'CAPACITY', 'ZONE', '$/HOUR', 'PODS', 'REASON'],
    ...plan.launches.map((l) => [
      l.claim,
      l.pool,
      l.instanceType,
      l.capacityType,
      l.zone,
      priceText(l.usdPerHour),
      String(l.pods.length),
      l.reason,
    ]),
  ]);
  section('Disrupt', [
    ['NODE', 'ACTION', 'REASON', 'SAVES $/HOUR', 'REPLACEMENT', 'MESSAGE'],
    ...(plan.disruptions as Loose[]).map((d) => [
      d.node,
      d.action,
      d.reason,
      priceText(d.savingsUsdPerHour),
      d.replacement ? `${d.replacement.instanceType} (${priceText(d.replacement.usdPerHour)})` : '-',
      d.message ?? '',
    ]),
  ]);
  section('Bind', [['POD', 'NODE'], ...plan.bindings.map((b) => [b.pod, b.node])]);
  section('Nominate (waiting for a launch)', [
    ['POD', 'NODE'],
    ...plan.nominations.map((b) => [b.pod, b.node]),
  ]);
  section('Unschedulable', [['POD', 'REASON'], ...plan.unschedulable.map((u) => [u.pod, u.reason])]);
  if (lines.length === 0) lines.push('Nothing to do: every pod is placed and no node can be consolidated.');
  const cost = plan.usdPerHour;
  const change = cost.after - cost.current;
  lines.push(
    '',
    `Cost: ${priceText(cost.current)}/hour now, +${priceText(cost.added)} launched, -${priceText(cost.removed)} removed: ` +
      `${priceText(cost.after)}/hour after (${change >= 0 ? '+' : '-'}${priceText(Math.abs(change))}/hour)`,
  );
  return lines;
}
