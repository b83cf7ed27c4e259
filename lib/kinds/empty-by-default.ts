import type { z } from 'zod';

/**
 * Makes an object field default to `{}` before parsing. Kubernetes' struct fields are never nil:
 * a Pod sent without `spec` decodes with an empty spec, and validation then names the missing
 * required field (`spec.containers: Required value`) rather than `spec` itself. The cast is needed
 * because `{}` is deliberately not a valid input: parsing it is what reports those fields.
 */
export function emptyByDefault<T extends z.ZodType<unknown, object>>(schema: T) {
  return schema.prefault({} as z.input<T> & object);
}
