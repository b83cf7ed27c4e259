import type { z } from 'zod';
import {
  formatBadValue,
  invalidValue,
  reasonOfMessage,
  requiredValue,
  tooLong,
  unsupportedValue,
} from './field-error';
import type { FieldCause } from './errors';
import { renderFieldPath } from './field-path';

/**
 * Translates zod issues into Kubernetes StatusCauses. Checks written in lib/kinds already carry
 * kube's message (see field-error.ts); zod's own issues (missing fields, wrong types, enums,
 * bounds) are given the message Kubernetes would give for the same mistake.
 */
export function causesOf(schema: z.core.$ZodType, issues: readonly z.core.$ZodIssue[]): FieldCause[] {
  return issues.map((issue) => {
    const message = messageOf(issue);
    return { reason: reasonOfMessage(message), message, field: renderFieldPath(schema, issue.path) };
  });
}

const TYPE_NAMES: Record<string, string> = {
  int: 'integer',
  number: 'number',
  string: 'string',
  boolean: 'boolean',
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

function messageOf(issue: z.core.$ZodIssue): string {
  const input = issue.input;
  switch (issue.code) {
    case 'custom':
      return issue.message;
    case 'invalid_type':
      if (input === undefined) return requiredValue();
      return invalidValue(input, `must be of type ${typeName(issue.expected)}`);
    case 'invalid_value':
      return unsupportedValue(
        input,
        issue.values.map((v) => String(v)),
      );
    case 'too_small': {
      const minimum = Number(issue.minimum);
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return invalidValue(
          input,
          `must be greater than ${issue.inclusive === false ? '' : 'or equal to '}${minimum}`,
        );
      if (minimum === 1) return requiredValue();
      return invalidValue(
        input,
        `must have at least ${minimum} ${issue.origin === 'array' ? 'items' : 'characters'}`,
      );
    }
    case 'too_big': {
      const maximum = Number(issue.maximum);
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return invalidValue(
          input,
          `must be less than ${issue.inclusive === false ? '' : 'or equal to '}${maximum}`,
        );
      if (issue.origin === 'string') return tooLong(maximum);
      return `Too many: ${Array.isArray(input) ? input.length : formatBadValue(input)}: must have at most ${maximum} items`;
    }
    case 'invalid_union': {
      const expected = new Set<string>();
      for (const branch of issue.errors)
        for (const inner of branch) if (inner.code === 'invalid_type') expected.add(typeName(inner.expected));
      if (expected.size > 0) return invalidValue(input, `must be of type ${[...expected].join(' or ')}`);
      return invalidValue(input, issue.message);
    }
    case 'invalid_format':
      return invalidValue(input, `must be a valid ${issue.format}`);
    default:
      return invalidValue(input, issue.message);
  }
}
