/**
 * meta/v1 Time and MicroTime as kube's Go types write them in JSON: RFC 3339 in UTC, to the second
 * (Time) or the microsecond (MicroTime); on the wire, seconds and nanoseconds since the epoch.
 */

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * The seconds and nanoseconds of an RFC 3339 time, or undefined when the text is not one.
 * @example parseRfc3339('1970-01-01T00:01:00.5Z') // { seconds: 60, nanos: 500000000 }
 */
export function parseRfc3339(text: string): { seconds: number; nanos: number } | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zulu, sign, offsetHours, offsetMinutes] = match;
  const utc = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
  );
  if (Number.isNaN(utc)) return undefined;
  const offset = zulu
    ? 0
    : (sign === '-' ? -1 : 1) * (Number(offsetHours) * 3600 + Number(offsetMinutes) * 60);
  return { seconds: utc / 1000 - offset, nanos: Number((fraction ?? '').padEnd(9, '0')) };
}

/** A Time's JSON: `2006-01-02T15:04:05Z` (Go drops the fraction). */
export function formatTime(seconds: number): string {
  return `${isoSeconds(seconds)}Z`;
}

/** A MicroTime's JSON: `2006-01-02T15:04:05.000000Z`. */
export function formatMicroTime(seconds: number, nanos: number): string {
  return `${isoSeconds(seconds)}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19);
}
