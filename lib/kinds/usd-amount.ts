import * as z from 'zod';
import { invalidValue } from './field-error';

/**
 * An amount of US dollars as a decimal string (`"0.0416"`), as prices are kept in NodePool limits
 * and NodeClaims: a string so that no client rounds it through a float, and a decimal (not a
 * Kubernetes quantity) so that `0.5` reads back as `0.5`, not `500m`.
 */
export const usdAmount = z
  .string()
  .superRefine((value, ctx) => {
    if (!/^[0-9]+(\.[0-9]{1,9})?$/.test(value))
      ctx.addIssue({
        code: 'custom',
        message: invalidValue(value, 'must be a non-negative decimal number of dollars, e.g. "0.0416"'),
      });
  })
  .meta({ description: 'US dollars as a decimal string, e.g. "0.0416".' });
