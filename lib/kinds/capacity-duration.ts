import * as z from 'zod';
import { invalidValue } from './field-error';

/**
 * Karpenter's duration strings: a Go duration in whole hours, minutes and seconds (`30s`, `5m`,
 * `1h30m`, `720h`), and for the fields that may switch a behaviour off, `Never`. Kept as written.
 */
const DURATION_RE = /^([0-9]+(s|m|h))+$/;
/** A budget's window: cron has no seconds, so only hours and minutes (Karpenter's pattern). */
const WINDOW_RE = /^(([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?$/;

function durationString(pattern: RegExp, allowNever: boolean, example: string) {
  return z.string().superRefine((value, ctx) => {
    if (allowNever && value === 'Never') return;
    if (!pattern.test(value))
      ctx.addIssue({
        code: 'custom',
        message: invalidValue(
          value,
          `must be a duration such as ${example}${allowNever ? ', or Never' : ''}`,
        ),
      });
  });
}

/** `consolidateAfter`, `expireAfter`: a duration, or `Never`. */
export const durationOrNever = durationString(DURATION_RE, true, '30s, 5m or 720h');

/** `terminationGracePeriod`: a duration, never `Never`. */
export const duration = durationString(DURATION_RE, false, '30s, 5m or 48h');

/** A budget's `duration`: hours and minutes only, e.g. `8h` or `1h30m`. */
export const windowDuration = durationString(WINDOW_RE, false, '10m, 8h or 1h30m');

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/**
 * The seconds a duration string stands for, or undefined for `Never`.
 * @example durationSeconds('1h30m') // 5400
 * @example durationSeconds('Never') // undefined
 */
export function durationSeconds(value: string): number | undefined {
  if (value === 'Never') return undefined;
  let seconds = 0;
  for (const [, amount, unit] of value.matchAll(/([0-9]+)([smh])/g))
    seconds += Number(amount) * UNIT_SECONDS[unit];
  return seconds;
}
