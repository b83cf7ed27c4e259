import * as z from 'zod';
import { invalidValue } from './field-error';

/**
 * metav1.Time and metav1.MicroTime: RFC 3339 timestamps (`2024-05-01T12:00:00Z`,
 * `2024-05-01T12:00:00.123456Z`). Kubernetes refuses anything else when decoding.
 */
const RFC3339_RE = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export const timestamp = z.string().superRefine((value, ctx) => {
  if (!RFC3339_RE.test(value) || Number.isNaN(Date.parse(value)))
    ctx.addIssue({ code: 'custom', message: invalidValue(value, 'must be an RFC 3339 timestamp') });
});
