/**
 * A CronJob's schedule as kube-apiserver reads it: robfig/cron's ParseStandard (five fields, or a
 * descriptor such as `@hourly`), with its error messages, so a refused schedule is explained as
 * kube explains it. The controller computes firing times with cron-parser from the same fields.
 */

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: Object.fromEntries(MONTHS.map((m, i) => [m, i + 1])) },
  { min: 0, max: 6, names: Object.fromEntries(DAYS.map((d, i) => [d, i])) },
];

/** robfig/cron's descriptors, as the five fields they stand for. */
export const CRON_DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** A schedule cron cannot read, with robfig/cron's message. */
export class CronScheduleError extends Error {}

function parseInt10(text: string): number {
  if (!/^[+-]?\d+$/.test(text))
    throw new CronScheduleError(
      `failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`,
    );
  const value = Number(text);
  if (value < 0) throw new CronScheduleError(`negative number (${value}) not allowed: ${text}`);
  return value;
}

function parseIntOrName(text: string, bounds: Bounds): number {
  const named = bounds.names?.[text.toLowerCase()];
  return named ?? parseInt10(text);
}

/** robfig/cron's getRange for one comma-separated part of a field. */
function checkRange(expr: string, bounds: Bounds): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = bounds.min;
    end = bounds.max;
  } else {
    start = parseIntOrName(lowAndHigh[0], bounds);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1], bounds);
    else throw new CronScheduleError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseInt10(rangeAndStep[1]);
    if (lowAndHigh.length === 1) end = bounds.max;
  } else if (rangeAndStep.length > 2) throw new CronScheduleError(`too many slashes: ${expr}`);
  if (start < bounds.min)
    throw new CronScheduleError(`beginning of range (${start}) below minimum (${bounds.min}): ${expr}`);
  if (end > bounds.max)
    throw new CronScheduleError(`end of range (${end}) above maximum (${bounds.max}): ${expr}`);
  if (start > end)
    throw new CronScheduleError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronScheduleError(`step of range should be a positive number: ${expr}`);
}

/**
 * The schedule's five fields (a descriptor expanded); throws CronScheduleError with robfig/cron's
 * message when it cannot be read.
 * @example cronFields('@hourly') // ['0', '*', '*', '*', '*']
 */
export function cronFields(schedule: string): string[] {
  if (schedule.length === 0) throw new CronScheduleError('empty spec string');
  // robfig/cron reads a leading TZ= or CRON_TZ= zone, then the schedule after it.
  if (schedule.startsWith('TZ=') || schedule.startsWith('CRON_TZ=')) {
    const space = schedule.indexOf(' ');
    const zone = schedule.slice(schedule.indexOf('=') + 1, space === -1 ? undefined : space);
    if (space === -1 || zone === '' || zone.toLowerCase() === 'local' || !isKnownTimeZone(zone))
      throw new CronScheduleError(`provided bad location ${zone}: unknown time zone ${zone}`);
    return cronFields(schedule.slice(space).trim());
  }
  if (schedule.startsWith('@')) {
    const expanded = CRON_DESCRIPTORS[schedule];
    if (!expanded) throw new CronScheduleError(`unrecognized descriptor: ${schedule}`);
    return expanded.split(' ');
  }
  const fields = schedule.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5)
    throw new CronScheduleError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  fields.forEach((field, i) => field.split(',').forEach((part) => checkRange(part, FIELDS[i])));
  return fields;
}

/** Why the schedule cannot be read (robfig/cron's message), or undefined when it can. */
export function cronScheduleError(schedule: string): string | undefined {
  try {
    cronFields(schedule);
    return undefined;
  } catch (error) {
    if (error instanceof CronScheduleError) return error.message;
    throw error;
  }
}

/** Whether `zone` is an IANA time zone this runtime knows (Go's time.LoadLocation, in effect). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
