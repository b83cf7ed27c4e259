import * as z from 'zod';

/**
 * Kubernetes' integer field types. JSON has only numbers; Kubernetes rejects fractions and values
 * outside the Go type, so these do too.
 */
export const INT32_MAX = 2147483647;
export const INT32_MIN = -2147483648;

export const int32 = z.number().int().min(INT32_MIN).max(INT32_MAX);
export const int64 = z.number().int();

/** An int32 that Kubernetes validates with ValidateNonnegativeField. */
export const nonNegativeInt32 = z.number().int().min(0).max(INT32_MAX);
/** An int64 that Kubernetes validates with ValidateNonnegativeField. */
export const nonNegativeInt64 = z.number().int().min(0);
