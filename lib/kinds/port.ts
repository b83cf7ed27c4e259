import * as z from 'zod';
import { inclusiveRange, invalidValue } from './field-error';
import { INT_OR_STRING_META } from './int-or-string';
import { portNameError } from './names';

/** A TCP/UDP port number, 1-65535 (IsValidPortNum). */
export const portNumber = z
  .number()
  .int()
  .superRefine((value, ctx) => {
    if (value < 1 || value > 65535)
      ctx.addIssue({ code: 'custom', message: invalidValue(value, inclusiveRange(1, 65535)) });
  });

/** A named port (IANA_SVC_NAME), e.g. `http`. */
export const portName = z.string().superRefine((value, ctx) => {
  const error = portNameError(value);
  if (error) ctx.addIssue({ code: 'custom', message: invalidValue(value, error) });
});

/** A port given by number or by the name of a container port, as probes take it. */
export const portNumberOrName = z
  .union([z.number().int(), z.string()])
  .superRefine((value, ctx) => {
    const error =
      typeof value === 'number'
        ? value < 1 || value > 65535
          ? inclusiveRange(1, 65535)
          : undefined
        : portNameError(value);
    if (error) ctx.addIssue({ code: 'custom', message: invalidValue(value, error) });
  })
  .meta(INT_OR_STRING_META);
