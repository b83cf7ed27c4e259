import * as z from 'zod';
import { invalidValue, unsupportedValue } from './field-error';
import { int64 } from './int32';
import { labelValueError, qualifiedNameError } from './names';

/** The effects a taint can have, in Kubernetes' order. */
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
export const TaintEffect = z.enum(TAINT_EFFECTS);
export type TaintEffect = z.infer<typeof TaintEffect>;

/**
 * v1.Toleration, validated as validateTolerations does. An empty key with `Exists` tolerates
 * every taint; an empty effect matches every effect.
 */
export const Toleration = z
  .object({
    key: z.string().optional(),
    operator: z.string().optional(),
    value: z.string().optional(),
    effect: z.string().optional(),
    tolerationSeconds: int64.optional(),
  })
  .superRefine((toleration, ctx) => {
    const { key = '', operator = '', value = '', effect = '' } = toleration;
    const issue = (field: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [field], message });
    if (key !== '') {
      const keyError = qualifiedNameError(key);
      if (keyError) issue('key', invalidValue(key, keyError));
    }
    if (key === '' && operator !== 'Exists')
      issue(
        'operator',
        invalidValue(
          operator,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    if (toleration.tolerationSeconds !== undefined && effect !== 'NoExecute')
      issue('effect', invalidValue(effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (operator === '' || operator === 'Equal') {
      const valueError = labelValueError(value);
      if (valueError) issue('operator', invalidValue(value, valueError));
    } else if (operator === 'Exists') {
      if (value !== '')
        issue('operator', invalidValue(value, "value must be empty when `operator` is 'Exists'"));
    } else {
      issue('operator', unsupportedValue(operator, ['Equal', 'Exists']));
    }
    if (effect !== '' && !(TAINT_EFFECTS as readonly string[]).includes(effect))
      issue('effect', unsupportedValue(effect, TAINT_EFFECTS));
  });
export type Toleration = z.infer<typeof Toleration>;
