import { CronExpressionParser } from 'cron-parser';
import { cronFields } from '../../kinds/cron-schedule';

/**
 * A CronJob's schedule in its time zone (UTC when it names none, as kube-controller-manager runs),
 * answering robfig/cron's Next and the latest firing at or before a time.
 */
export interface Schedule {
  /** The first firing strictly after `t`; undefined when the schedule never fires (Feb 30). */
  next(t: Date): Date | undefined;
  /** The last firing at or before `t`. */
  latestAtOrBefore(t: Date): Date | undefined;
}

/** Throws CronScheduleError (robfig/cron's message) when the schedule cannot be read. */
export function scheduleOf(schedule: string, timeZone: string | undefined): Schedule {
  const expression = cronFields(schedule).join(' ');
  const tz = timeZone ?? 'UTC';
  const step = (t: Date, direction: 'next' | 'prev'): Date | undefined => {
    try {
      const times = CronExpressionParser.parse(expression, { currentDate: t, tz });
      return (direction === 'next' ? times.next() : times.prev()).toDate();
    } catch {
      // cron-parser refuses fields that can never match together; robfig/cron never fires them.
      return undefined;
    }
  };
  return {
    next: (t) => step(t, 'next'),
    latestAtOrBefore: (t) => step(new Date(t.getTime() + 1), 'prev'),
  };
}

/**
 * `t` as Go's time.RFC3339 prints it in `timeZone`: `2026-03-08T01:31:00-05:00`, `Z` in UTC. kube
 * writes a Job's scheduled time this way (batch.kubernetes.io/cronjob-scheduled-timestamp).
 */
export function rfc3339InZone(t: Date, timeZone: string | undefined): string {
  const zone = timeZone ?? 'UTC';
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(t)
      .map((p) => [p.type, p.value]),
  );
  const local = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  const offsetMinutes = Math.round((Date.parse(`${local}Z`) - Math.floor(t.getTime() / 1000) * 1000) / 60000);
  if (offsetMinutes === 0) return `${local}Z`;
  const sign = offsetMinutes > 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
