import { Optional } from '@marcbachmann/cel-js';
import type { FieldCause } from '../../kinds/errors';
import { duplicateValue, forbidden, invalidValue, requiredValue } from '../../kinds/field-error';
import { kubernetesCelEnvironment } from './cel-kube-library';
import { compatibleSource } from './cel-source';
import {
  CostLimitExceededError,
  evaluateMetered,
  objectCostBudget,
  PER_CALL_LIMIT,
  type CostBudget,
  type MeteredProgram,
} from './cel-cost';
import { ratchetChild, ratchets, type Ratchet } from './correlation';
import {
  additionalSchemaOf,
  isJsonObject,
  type JSONSchemaProps,
  type ValidationRule,
} from './json-schema-props';

/**
 * kube-apiserver's CEL validation of custom resources (apiextensions-apiserver
 * pkg/apiserver/schema/cel/validation.go), over a maintained CEL implementation
 * (@marcbachmann/cel-js): every `x-kubernetes-validations` rule of a schema node whose value is
 * present is evaluated with `self` bound to that value, typed by the schema (integers as CEL int,
 * numbers as double). A rule that is false is a field error at the node's path (plus the rule's
 * `fieldPath`), with the rule's reason and its `messageExpression`, `message`, or
 * `failed rule: <rule>`; the bad value is the node's own for a scalar and left out for an object
 * or a list, as kube does.
 *
 * Transition rules (those naming `oldSelf`) run on updates, with `oldSelf` the stored value
 * (from the kind's validateUpdate, which the store runs with the stored object). The rules run in
 * ./cel-kube-library.ts's environment: CEL's standard library and the parts of Kubernetes' own that
 * it lists; a rule calling a function from the rest fails as an evaluation error naming it.
 */

const environment = kubernetesCelEnvironment();

type Program = ReturnType<typeof environment.parse>;

/** Parsed rules by their text: a CRD's rules are parsed once per process. */
const programs = new Map<string, Program | Error>();
const PROGRAM_CACHE_LIMIT = 10_000;

/** The detail kube gives when earlier errors kept the rules from running (strategy.go, hasBlockingErr). */
export const RULES_NOT_CHECKED =
  'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

/** The causes whose kind stops kube from running the CEL rules at all. */
export function blocksRules(cause: FieldCause): boolean {
  return [
    'FieldValueNotSupported',
    'FieldValueRequired',
    'FieldValueTooLong',
    'FieldValueTooMany',
    'FieldValueTypeInvalid',
  ].includes(cause.reason);
}

/** The cause kube adds instead of running the rules when `causes` has a blocking one (none otherwise). */
export function rulesNotCheckedCause(causes: readonly FieldCause[], schema: JSONSchemaProps): FieldCause[] {
  if (!hasRules(schema) || !causes.some(blocksRules)) return [];
  return [{ field: '<nil>', reason: 'FieldValueInvalid', message: invalidValue(null, RULES_NOT_CHECKED) }];
}

/**
 * The causes of every rule `value` breaks under `schema`; `path` is the value's field path ('' at
 * the root). On an update, `ratchet` pairs the value with the stored object (./correlation.ts):
 * transition rules (naming `oldSelf`) then run wherever the two correlate, with `oldSelf` the
 * stored value, and the other rules' failures are forgiven where the value is unchanged, as
 * kube-apiserver ratchets them. On a create there is no ratchet and transition rules do not run,
 * except those with `optionalOldSelf`, which always run with `oldSelf` an optional (none where no
 * stored value correlates), as kube runs them.
 */
export function celRuleCauses(
  schema: JSONSchemaProps,
  value: unknown,
  path = '',
  ratchet?: Ratchet,
  budget: CostBudget = objectCostBudget(),
): FieldCause[] {
  if (value === undefined || budget.exhausted) return [];
  const causes: FieldCause[] = [];
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    if (budget.exhausted) return causes;
    if (budget.remaining <= 0) {
      budget.exhausted = true;
      causes.push(costCause(schema, path, OUT_OF_BUDGET));
      return causes;
    }
    const transition = isTransitionRule(rule);
    const stored = ratchet?.current;
    // A transition rule needs a stored value, unless it takes oldSelf as an optional.
    if (transition && !stored && !rule.optionalOldSelf) continue;
    const oldSelf = !transition
      ? undefined
      : rule.optionalOldSelf
        ? { value: stored ? Optional.of(toCel(stored.old, schema)) : Optional.none() }
        : { value: toCel(stored?.old, schema) };
    const cause = ruleCause(rule, schema, value, path, budget, oldSelf);
    // A cost limit's cause is never forgiven: it says the rules did not all run.
    if (cause && (transition || budget.exhausted || !ratchets(ratchet))) causes.push(cause);
  }
  if (isJsonObject(value)) {
    const additional = additionalSchemaOf(schema);
    for (const [key, child] of Object.entries(value)) {
      const property = schema.properties?.[key];
      const next = ratchetChild(ratchet, key);
      if (property) causes.push(...celRuleCauses(property, child, join(path, key), next, budget));
      else if (additional) causes.push(...celRuleCauses(additional, child, `${path}[${key}]`, next, budget));
    }
  } else if (Array.isArray(value) && schema.items && !Array.isArray(schema.items)) {
    const items = schema.items as JSONSchemaProps;
    value.forEach((item, i) =>
      causes.push(...celRuleCauses(items, item, `${path}[${i}]`, ratchetChild(ratchet, i), budget)),
    );
  }
  return causes;
}

/** kube's detail when the object's rules have spent its budget. */
const OUT_OF_BUDGET =
  'validation failed due to running out of cost budget, no further validation rules will be run';

/** A cost limit's cause at a schema node: Invalid, with the node's type as the value, as kube words it. */
function costCause(schema: JSONSchemaProps, path: string, detail: string): FieldCause {
  return {
    field: path || '<nil>',
    reason: 'FieldValueInvalid',
    message: invalidValue(typeOf(schema), detail),
  };
}

/**
 * Evaluates `program` within what is left of `budget` (and PER_CALL_LIMIT), spending its cost.
 * A limit reached exhausts the budget and comes back as the detail kube gives for it.
 */
function evaluateWithin(
  program: Program,
  bindings: Record<string, unknown>,
  budget: CostBudget,
  overLimit: string,
): { result: unknown } | { limit: string } {
  const limit = Math.min(PER_CALL_LIMIT, budget.remaining);
  try {
    const { result, cost } = evaluateMetered(program as unknown as MeteredProgram, bindings, limit);
    budget.remaining -= cost;
    return { result };
  } catch (error) {
    if (!(error instanceof CostLimitExceededError)) throw error;
    budget.exhausted = true;
    return { limit: limit < PER_CALL_LIMIT ? OUT_OF_BUDGET : overLimit };
  }
}

/** Whether any node of `schema` has rules. */
export function hasRules(schema: JSONSchemaProps): boolean {
  if ((schema['x-kubernetes-validations'] ?? []).length > 0) return true;
  const children = [
    ...Object.values(schema.properties ?? {}),
    ...(typeof schema.additionalProperties === 'object' ? [schema.additionalProperties] : []),
    ...(schema.items && !Array.isArray(schema.items) ? [schema.items as JSONSchemaProps] : []),
  ];
  return children.some(hasRules);
}

/** Whether a rule compares with the stored value (a transition rule: evaluated on update only). */
function isTransitionRule(rule: ValidationRule): boolean {
  return /\boldSelf\b/.test(rule.rule);
}

function ruleCause(
  rule: ValidationRule,
  schema: JSONSchemaProps,
  value: unknown,
  path: string,
  budget: CostBudget,
  oldSelf?: { value: unknown },
): FieldCause | undefined {
  const text = rule.rule.trim();
  const type = typeOf(schema);
  const at = path || '<nil>';
  const program = programOf(text);
  if (program instanceof Error)
    return {
      field: at,
      reason: 'FieldValueInvalid',
      message: invalidValue(type, `rule compile error: ${firstLine(program)}`),
    };
  const self = toCel(value, schema);
  const bindings = oldSelf ? { self, oldSelf: oldSelf.value } : { self };
  let result: unknown;
  try {
    const evaluated = evaluateWithin(
      program,
      bindings,
      budget,
      `'${new CostLimitExceededError().message}': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleErrorString(rule)}`,
    );
    if ('limit' in evaluated) return costCause(schema, path, evaluated.limit);
    result = evaluated.result;
  } catch (error) {
    return {
      field: at,
      reason: 'FieldValueInvalid',
      message: invalidValue(type, `${firstLine(error)} evaluating rule: ${ruleErrorString(rule)}`),
    };
  }
  if (result === true) return undefined;
  const field = rule.fieldPath ? join(path, rule.fieldPath.replace(/^\./, '')) : at;
  const message = messageOf(rule, bindings, budget);
  if (message && 'limit' in message) return costCause(schema, field, message.limit);
  const detail = message?.text ?? defaultMessage(rule);
  const bad = type === 'object' || type === 'array' ? undefined : value;
  switch (rule.reason) {
    case 'FieldValueForbidden':
      return { field, reason: 'FieldValueForbidden', message: forbidden(detail) };
    case 'FieldValueRequired':
      return { field, reason: 'FieldValueRequired', message: requiredValue(detail) };
    case 'FieldValueDuplicate':
      return {
        field,
        reason: 'FieldValueDuplicate',
        message: bad === undefined ? 'Duplicate value' : duplicateValue(bad),
      };
    default:
      return {
        field,
        reason: 'FieldValueInvalid',
        message: bad === undefined ? `Invalid value: ${detail}` : invalidValue(bad, detail),
      };
  }
}

/**
 * The rule's messageExpression, when it evaluates to a usable string (kube falls back otherwise),
 * or the detail of the cost limit it reached.
 */
function messageOf(
  rule: ValidationRule,
  bindings: Record<string, unknown>,
  budget: CostBudget,
): { text: string } | { limit: string } | undefined {
  if (!rule.messageExpression) return undefined;
  const program = programOf(rule.messageExpression);
  if (program instanceof Error) return undefined;
  try {
    const evaluated = evaluateWithin(
      program,
      bindings,
      budget,
      `no further validation rules will be run due to call cost exceeds limit for messageExpression: ${JSON.stringify(rule.messageExpression)}`,
    );
    if ('limit' in evaluated)
      return {
        limit:
          evaluated.limit === OUT_OF_BUDGET
            ? 'messageExpression evaluation failed due to running out of cost budget, no further validation rules will be run'
            : evaluated.limit,
      };
    const message = evaluated.result;
    if (typeof message !== 'string') return undefined;
    const trimmed = message.trim();
    return trimmed === '' || /\n/.test(trimmed) ? undefined : { text: trimmed };
  } catch {
    return undefined;
  }
}

function programOf(text: string): Program | Error {
  let program = programs.get(text);
  if (!program) {
    try {
      program = environment.parse(compatibleSource(text));
    } catch (error) {
      program = error instanceof Error ? error : new Error(String(error));
    }
    if (programs.size >= PROGRAM_CACHE_LIMIT) programs.clear();
    programs.set(text, program);
  }
  return program;
}

/**
 * A JSON value as CEL sees it under its schema, as kube's UnstructuredToVal types it: integers (and
 * int-or-string numbers, and integral numbers where the schema says nothing) as int, other numbers
 * as double.
 */
function toCel(value: unknown, schema: JSONSchemaProps | undefined): unknown {
  if (typeof value === 'number') {
    if (schema?.type === 'number') return value;
    return Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) {
    const items =
      schema?.items && !Array.isArray(schema.items) ? (schema.items as JSONSchemaProps) : undefined;
    // Array.from, not map: the copy is an array of this realm whatever realm the value came from
    // (structuredClone gives another realm's under jest), and cel-js tells types apart by constructor.
    return Array.from(value, (item: unknown) => toCel(item, items));
  }
  if (isJsonObject(value)) {
    const additional =
      typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [
        key,
        toCel(child, schema?.properties?.[key] ?? additional),
      ]),
    );
  }
  return value;
}

/** The schema type kube names in a rule's error (`object`, `string`, ...). */
function typeOf(schema: JSONSchemaProps): string {
  if (schema['x-kubernetes-int-or-string']) return '';
  return typeof schema.type === 'string' ? schema.type : '';
}

function defaultMessage(rule: ValidationRule): string {
  return rule.message?.trim() ? rule.message.trim() : `failed rule: ${rule.rule.trim()}`;
}

function ruleErrorString(rule: ValidationRule): string {
  return rule.message?.trim() ? rule.message.trim() : rule.rule.trim();
}

/** The first line of an error, with a lower-case start as cel-go's messages have (`no such key: x`). */
function firstLine(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).split('\n')[0].trim();
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
