import * as z from 'zod';

/** A condition's status, as every Kubernetes status condition spells it. */
export const ConditionStatus = z.enum(['True', 'False', 'Unknown']);
export type ConditionStatus = z.infer<typeof ConditionStatus>;
