import {
  InvalidScheduleError,
  allowedDisruptions,
  budgetActive,
  scaledNodes,
} from '../../../lib/scheduling/consolidation/budgets';
import type { PoolBudget } from '../../../lib/scheduling/consolidation/model';
import { aPoolDisruption } from './consolidation-builders';

describe('a budget’s nodes', () => {
  it.each([
    ['3', 10, 3],
    ['0', 10, 0],
    ['10%', 5, 1],
    ['10%', 10, 1],
    ['10%', 11, 2],
    ['50%', 3, 2],
    ['100%', 7, 7],
    ['0%', 7, 0],
    ['10%', 0, 0],
  ])(
    '%s of %i nodes allows %i (percentages round up, as Kubernetes’ maxUnavailable)',
    (nodes, count, allowed) => {
      expect(scaledNodes(nodes, count)).toBe(allowed);
    },
  );
});

describe('a budget’s window', () => {
  const at = (iso: string) => new Date(iso);
  const window = (schedule: string, duration: string): PoolBudget => ({ nodes: '0', schedule, duration });
  it.each([
    ['without a schedule, always', { nodes: '1' }, '2025-01-01T12:00:00Z', true],
    ['at the moment it fires', window('0 9 * * *', '1h'), '2025-01-01T09:00:00Z', true],
    ['within its duration', window('0 9 * * *', '1h'), '2025-01-01T09:59:59Z', true],
    ['exactly its duration after it fired', window('0 9 * * *', '1h'), '2025-01-01T10:00:00Z', false],
    ['before it fires', window('0 9 * * *', '1h'), '2025-01-01T08:59:59Z', false],
    ['through midnight', window('0 22 * * *', '4h'), '2025-01-02T01:30:00Z', true],
    ['in UTC, whatever the host’s zone', window('0 9 * * *', '30m'), '2025-01-01T09:15:00Z', true],
    ['on its weekdays', window('0 0 * * MON-FRI', '24h'), '2025-01-03T12:00:00Z', true],
    ['not on a weekend', window('0 0 * * MON-FRI', '24h'), '2025-01-04T12:00:00Z', false],
    ['day of month or day of week, as cron', window('0 0 13 * 5', '24h'), '2025-01-03T06:00:00Z', true],
    ['a macro robfig/cron knows (@midnight)', window('@midnight', '1h'), '2025-01-01T00:30:00Z', true],
    ['@annually', window('@annually', '1h'), '2025-06-01T00:30:00Z', false],
    ['hours and minutes', window('0 9 * * *', '1h30m'), '2025-01-01T10:29:00Z', true],
  ])('%s', (_, budget, now, active) => {
    expect(budgetActive(budget, at(now))).toBe(active);
  });

  it.each([['H 9 * * *'], ['0 9 L * *'], ['0 9 * * 1#2'], ['0 9 * *'], ['0 9 30 2 *']])(
    'refuses %s, which robfig/cron would not read',
    (schedule) => {
      expect(() => budgetActive(window(schedule, '1h'), at('2025-01-01T00:00:00Z'))).toThrow(
        InvalidScheduleError,
      );
    },
  );
});

describe('the disruptions a pool’s budgets allow', () => {
  const now = new Date('2025-01-01T12:00:00Z');
  it('takes the strictest active budget that names the reason or none', () => {
    const pool = aPoolDisruption({
      budgets: [
        { nodes: '50%' },
        { nodes: '1', reasons: ['Underutilized'] },
        { nodes: '0', reasons: ['Drifted'] },
        { nodes: '0', schedule: '0 0 * * *', duration: '1h' },
      ],
    });
    expect(allowedDisruptions(pool, 10, 'Empty', now)).toEqual({
      allowed: 5,
      strictest: 'nodes "50%" of 10 nodes',
    });
    expect(allowedDisruptions(pool, 10, 'Underutilized', now)).toEqual({
      allowed: 1,
      strictest: 'nodes "1" of 10 nodes',
    });
  });

  it('is unlimited without a budget', () => {
    expect(allowedDisruptions(aPoolDisruption({ budgets: [] }), 4, 'Empty', now).allowed).toBe(Infinity);
  });

  it('allows nothing under a schedule it cannot read (fails closed, as Karpenter)', () => {
    const pool = aPoolDisruption({ budgets: [{ nodes: '5', schedule: 'H * * * *', duration: '1h' }] });
    expect(allowedDisruptions(pool, 10, 'Empty', now)).toEqual({
      allowed: 0,
      strictest: 'schedule "H * * * *" cannot be read (H, L and # are not standard cron)',
    });
  });
});
