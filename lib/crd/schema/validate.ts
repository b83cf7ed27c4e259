import Ajv, { type ValidateFunction } from 'ajv';
import type { FieldCause } from '../../kinds/errors';
import { ratchetsAt, type Correlation } from './correlation';
import { KUBE_FORMATS } from './formats';
import { goRegExpOf } from './go-regexp';
import type { JSONSchemaProps } from './json-schema-props';
import { toAjvSchema, type AjvSchema } from './to-ajv-schema';
import { causesOfAjvErrors, type CauseOptions } from './validation-causes';

/**
 * Go's regexp (RE2) patterns run as JavaScript ones (./go-regexp.ts). A pattern JavaScript cannot
 * run at all matches everything: CRD validation has already checked it compiles in Go, so
 * accepting beats failing every write.
 */
const goRegExp = Object.assign(
  (pattern: string, flags: string): { test: (input: string) => boolean } =>
    goRegExpOf(pattern, flags) ?? { test: () => true },
  { code: 'goRegExp' },
);

function newAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    verbose: true,
    // kube-openapi accepts a quotient within 1e-9 of an integer (swag.IsFloat64AJSONInteger).
    multipleOfPrecision: 9,
    code: { regExp: goRegExp },
  });
  for (const [name, validate] of Object.entries(KUBE_FORMATS))
    ajv.addFormat(name, { type: 'string', validate });
  return ajv;
}

const ajv = newAjv();

interface Compiled {
  validate: ValidateFunction;
  schema: AjvSchema;
}

// Compiled once per schema: by object (a CRD's schema is replaced, never mutated, when it
// changes), and by content for schemas decoded afresh per request (an API instance on Lambda
// reads CRDs from the table), in a bounded least-recently-used map.
const byObject = new WeakMap<JSONSchemaProps, Compiled>();
const byContent = new Map<string, Compiled>();
const MAX_BY_CONTENT = 256;
let compiles = 0;

function compile(schema: JSONSchemaProps): Compiled {
  const known = byObject.get(schema);
  if (known) return known;
  const key = JSON.stringify(schema);
  let entry = byContent.get(key);
  if (entry) byContent.delete(key);
  else {
    const ajvSchema = toAjvSchema(schema);
    const validate = ajv.compile(ajvSchema);
    // ajv keeps every compiled schema in its own cache; ours is bounded, so let ajv forget it.
    ajv.removeSchema(ajvSchema);
    compiles++;
    entry = { validate, schema: ajvSchema };
  }
  byContent.set(key, entry);
  if (byContent.size > MAX_BY_CONTENT) byContent.delete(byContent.keys().next().value as string);
  byObject.set(schema, entry);
  return entry;
}

/** How many schemas have been compiled so far (for tests of the cache). */
export function schemaCompileCount(): number {
  return compiles;
}

/**
 * Validates a custom resource (or, with `fieldPath: 'status'`, its status) against its CRD
 * version's schema as kube-apiserver does, returning Kubernetes' field causes (empty when
 * valid). Run it after pruning and defaulting, as kube does. With `stored` (an update's value
 * paired with the stored object), errors where the value is unchanged are left out, as
 * kube-apiserver's validation ratcheting leaves them.
 *
 * @example
 *   validateAgainstSchema(schema, { spec: { replicas: 'x' } })
 *   // [{ reason: 'FieldValueTypeInvalid', field: 'spec.replicas',
 *   //    message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"' }]
 */
export function validateAgainstSchema(
  schema: JSONSchemaProps,
  value: unknown,
  options: CauseOptions = {},
  stored?: Correlation,
): FieldCause[] {
  const { validate, schema: ajvSchema } = compile(schema);
  if (validate(value)) return [];
  // On an update, an error under a node that equals the stored one is forgiven (ratcheting).
  const errors = (validate.errors ?? []).filter(
    (error) => !stored || !ratchetsAt(stored, error.instancePath),
  );
  return causesOfAjvErrors(errors, value, ajvSchema, options);
}
