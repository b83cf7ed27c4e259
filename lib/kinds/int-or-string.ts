import * as z from 'zod';
import { invalidValue } from './field-error';

/**
 * intstr.IntOrString: a field that is either an integer or a string (`maxSurge: 1` or `'25%'`,
 * `port: 8080` or `'http'`). Marked so the OpenAPI documents say so as Kubernetes' do.
 */
export const INT_OR_STRING_META = { 'x-kubernetes-int-or-string': true } as const;

export const intOrString = z.union([z.number().int(), z.string()]).meta(INT_OR_STRING_META);
export type IntOrString = z.infer<typeof intOrString>;

const PERCENT_RE = /^[0-9]+%$/;
const PERCENT_MESSAGE =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/**
 * The problems Kubernetes finds in an int-or-percent field (ValidatePositiveIntOrPercent and
 * IsNotMoreThan100Percent), as issue messages.
 */
export function intOrPercentErrors(value: IntOrString, atMost100Percent = false): string[] {
  if (typeof value === 'number')
    return value < 0 ? [invalidValue(value, 'must be greater than or equal to 0')] : [];
  if (!PERCENT_RE.test(value)) return [invalidValue(value, PERCENT_MESSAGE)];
  if (atMost100Percent && Number(value.slice(0, -1)) > 100)
    return [invalidValue(value, 'must not be greater than 100%')];
  return [];
}

/** The number in an int-or-percent (`'25%'` -> 25, `3` -> 3), as Kubernetes' getIntOrPercentValue. */
export function intOrPercentValue(value: IntOrString): number {
  return typeof value === 'number' ? value : Number.parseInt(value, 10);
}
