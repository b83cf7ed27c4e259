import {
  CostLimitExceededError,
  evaluateMetered,
  PER_CALL_LIMIT,
  PER_OBJECT_BUDGET,
  type MeteredProgram,
} from '../../../lib/crd/schema/cel-cost';
import { kubernetesCelEnvironment } from '../../../lib/crd/schema/cel-kube-library';
import { celRuleCauses } from '../../../lib/crd/schema/cel-rules';
import type { JSONSchemaProps } from '../../../lib/crd/schema/json-schema-props';

const environment = kubernetesCelEnvironment();
const program = (source: string) => environment.parse(source) as unknown as MeteredProgram;
const numbers = (n: number) => Array.from({ length: n }, (_, i) => BigInt(i));

/** A list of integers under `rules`. */
const listSchema = (...rules: string[]): JSONSchemaProps => ({
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: { type: 'integer' },
      'x-kubernetes-validations': rules.map((rule) => ({ rule })),
    },
  },
});
const listOf = (n: number) => ({ items: Array.from({ length: n }, (_, i) => i) });

describe('the cost of a CEL evaluation', () => {
  it('counts every node cel-js evaluates, so a macro over a list costs in proportion to it', () => {
    const all = program('self.all(x, x >= 0)');
    const small = evaluateMetered(all, { self: numbers(10) }, PER_CALL_LIMIT);
    const large = evaluateMetered(all, { self: numbers(1000) }, PER_CALL_LIMIT);
    expect(small.result).toBe(true);
    expect(large.result).toBe(true);
    expect(large.cost).toBeGreaterThan(1000);
    expect(large.cost - small.cost).toBeGreaterThanOrEqual(990 * 3);
  });

  it('stops past its limit with cel-go’s error, and meters the next evaluation afresh', () => {
    const nested = program('self.all(x, self.all(y, x + y >= 0))');
    expect(() => evaluateMetered(nested, { self: numbers(2000) }, PER_CALL_LIMIT)).toThrow(
      new CostLimitExceededError(),
    );
    expect(evaluateMetered(nested, { self: numbers(3) }, PER_CALL_LIMIT).result).toBe(true);
  });

  it('stops a rule whose macro would absorb the error when another element decides it', () => {
    // `exists` is true at the last element; the limit is reached long before.
    const exists = program('self.exists(x, self.all(y, x + y >= 0) && x == 1999)');
    expect(() => evaluateMetered(exists, { self: numbers(2000) }, PER_CALL_LIMIT)).toThrow(
      CostLimitExceededError,
    );
  });

  it('stops a rule whose few nodes are each slow (a list walked per item) on the clock', () => {
    const quadratic = program('self.all(x, x in self)');
    expect(() => evaluateMetered(quadratic, { self: numbers(60_000) }, PER_CALL_LIMIT)).toThrow(
      CostLimitExceededError,
    );
  });
});

describe("a custom resource's rules within kube's limits", () => {
  it("refuses a rule past the per-call limit with kube's message, and runs no further rule", () => {
    const schema = listSchema('self.all(x, self.all(y, x + y >= 0))', 'size(self) < 0');
    expect(celRuleCauses(schema, listOf(2000))).toEqual([
      {
        field: 'items',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "array": \'operation cancelled: actual cost limit exceeded\': no further validation rules will be run due to call cost exceeds limit for rule: self.all(x, self.all(y, x + y >= 0))',
      },
    ]);
  });

  it("refuses an object whose rules together spend more than kube's budget", () => {
    // Each rule costs about a fifth of the per-call limit over 40,000 items; 60 of them pass the budget.
    const rules = Array.from({ length: 60 }, (_, i) => `self.all(x, x >= -${i + 1})`);
    const causes = celRuleCauses(listSchema(...rules), listOf(40_000));
    expect(causes).toEqual([
      {
        field: 'items',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "array": validation failed due to running out of cost budget, no further validation rules will be run',
      },
    ]);
    expect(PER_OBJECT_BUDGET).toBe(10 * PER_CALL_LIMIT);
  });

  it('leaves rules of ordinary cost alone', () => {
    expect(celRuleCauses(listSchema('self.all(x, x >= 0)', 'size(self) < 3'), listOf(5))).toEqual([
      {
        field: 'items',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: failed rule: size(self) < 3',
      },
    ]);
  });
});
