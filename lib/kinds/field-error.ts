import type { z } from 'zod';

/**
 * Kubernetes' field error bodies (k8s.io/apimachinery/pkg/util/validation/field), written as zod
 * issue messages. A message starts with the error type's text (`Required value`, `Invalid value`,
 * ...), which is how decodeObject recovers the StatusCause reason, so a check written anywhere in
 * lib/kinds produces the same cause kube-apiserver would.
 */
export type FieldCauseReason =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueTooLong'
  | 'FieldValueForbidden'
  | 'FieldValueNotFound'
  | 'FieldValueTypeInvalid'
  | 'FieldValueTooMany';

const REASON_BY_PREFIX: [string, FieldCauseReason][] = [
  ['Required value', 'FieldValueRequired'],
  ['Unsupported value', 'FieldValueNotSupported'],
  ['Duplicate value', 'FieldValueDuplicate'],
  ['Too long', 'FieldValueTooLong'],
  ['Forbidden', 'FieldValueForbidden'],
  ['Not found', 'FieldValueNotFound'],
  ['Too many', 'FieldValueTooMany'],
];

/** The cause reason a message was written for; anything unrecognised is FieldValueInvalid. */
export function reasonOfMessage(message: string): FieldCauseReason {
  for (const [prefix, reason] of REASON_BY_PREFIX) if (message.startsWith(prefix)) return reason;
  return 'FieldValueInvalid';
}

/**
 * Renders a bad value the way field.Error does with Go's fmt: strings quoted, numbers and booleans
 * bare, string maps as `map[string]string{"a":"b"}`, anything else as JSON.
 */
export function formatBadValue(value: unknown): string {
  if (value instanceof GoValue) return value.text;
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length > 0 && entries.every(([, v]) => typeof v === 'string')) {
      const body = entries
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
        .join(', ');
      return `map[string]string{${body}}`;
    }
  }
  return JSON.stringify(value);
}

/** A bad value already rendered as Kubernetes would print it, when JSON would mislead. */
export class GoValue {
  constructor(readonly text: string) {}
}

/** A label map printed as Go prints map[string]string, even when empty. */
export function stringMapValue(map: Record<string, string> | undefined): GoValue {
  if (!map) return new GoValue('map[string]string(nil)');
  const rendered = formatBadValue(map);
  return new GoValue(rendered.startsWith('map[') ? rendered : 'map[string]string{}');
}

function withDetail(head: string, detail?: string): string {
  return detail ? `${head}: ${detail}` : head;
}

/** `Required value[: detail]` */
export function requiredValue(detail?: string): string {
  return withDetail('Required value', detail);
}

/** `Invalid value: <value>: detail` */
export function invalidValue(value: unknown, detail: string): string {
  return withDetail(`Invalid value: ${formatBadValue(value)}`, detail);
}

/** `Unsupported value: "x": supported values: "a", "b"` */
export function unsupportedValue(value: unknown, supported: readonly string[]): string {
  return withDetail(
    `Unsupported value: ${formatBadValue(value)}`,
    `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
  );
}

/** `Duplicate value: "x"` */
export function duplicateValue(value: unknown): string {
  return `Duplicate value: ${formatBadValue(value)}`;
}

/** `Forbidden: detail` */
export function forbidden(detail: string): string {
  return withDetail('Forbidden', detail);
}

/** `Not found: "x"` */
export function notFound(value: unknown): string {
  return `Not found: ${formatBadValue(value)}`;
}

/** `Too long: may not be more than N bytes` */
export function tooLong(maxLength: number): string {
  return `Too long: may not be more than ${maxLength} bytes`;
}

/** `Too many: N: must have at most M items` (field.TooMany; 1.32 has no singular form). */
export function tooMany(actual: number, max: number): string {
  return `Too many: ${actual}: must have at most ${max} items`;
}

/** Kubernetes' InclusiveRangeError detail. */
export function inclusiveRange(low: number, high: number): string {
  return `must be between ${low} and ${high}, inclusive`;
}

/**
 * Adds one kube-style issue at `path` (relative to the value being refined). Cross-field checks
 * use this so their errors land on the field Kubernetes would name.
 */
export function addFieldIssue(ctx: z.RefinementCtx, path: (string | number)[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}
