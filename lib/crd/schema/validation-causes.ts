import type { ErrorObject } from 'ajv';
import type { FieldCause } from '../../kinds/errors';
import { invalidValue, requiredValue, tooLong, tooMany, unsupportedValue } from '../../kinds/field-error';
import { goBadValue } from './go-value';
import { kubeTypeFailure } from './kube-type-check';
import { kubePathOf } from './kube-path';
import { KUBE_FORMAT_KEY, KUBE_NULLABLE_KEY, type AjvSchema } from './to-ajv-schema';

/**
 * Maps ajv's errors to the StatusCauses kube-apiserver reports for a custom resource:
 * kube-openapi's validation errors (k8s.io/kube-openapi pkg/validation/errors/schema.go, with
 * `In` = "body") turned into field errors by apiextensions-apiserver's
 * kubeOpenAPIResultToFieldErrors (pkg/apiserver/validation/validation.go):
 *
 * - required          -> `Required value`
 * - enum              -> `Unsupported value: "c": supported values: "a", "b"`
 * - maxLength         -> `Too long: may not be more than N bytes`
 * - maxItems, maxProperties -> `Too many: N: must have at most M items`
 * - type, format      -> FieldValueTypeInvalid, `Invalid value: "string": <path> in body must be of type integer: "string"`
 * - anything else     -> `Invalid value: <value>: <kube-openapi message>`
 * - anyOf/oneOf/allOf/not -> not field errors in kube-openapi, so kube reports them on the
 *   validation's root path (`<nil>` for a whole object) as `Invalid value: "": "<path>" must ...`
 *   beside the errors of the closest branch.
 */
export interface CauseOptions {
  /** The field path the validated value sits at (`status` for the status subresource); none for a whole object. */
  fieldPath?: string;
}

interface Context {
  root: unknown;
  rootSchema: AjvSchema;
  options: CauseOptions;
}

export function causesOfAjvErrors(
  errors: readonly ErrorObject[],
  root: unknown,
  rootSchema: AjvSchema,
  options: CauseOptions = {},
): FieldCause[] {
  const context: Context = { root, rootSchema, options };
  // `if` only guards the composites against null (toAjvSchema); its failures are their errors.
  const { kept, composites } = resolveComposites(
    errors.filter((e) => e.keyword !== 'if'),
    context,
  );
  const causes: FieldCause[] = [];
  for (const error of kept) {
    const cause = causeOf(error, context);
    if (cause) causes.push(cause);
  }
  return [...composites, ...causes];
}

/** errPath = fldPath.Child(strings.TrimPrefix(err.Name, ".")): a nil fldPath prints as `<nil>`. */
function fieldOf(name: string, context: Context): string {
  const prefix = context.options.fieldPath;
  const trimmed = name.startsWith('.') ? name.slice(1) : name;
  if (trimmed === '' || trimmed === '.') return prefix ?? '<nil>';
  return prefix ? `${prefix}.${trimmed}` : trimmed;
}

function childName(path: string, key: string): string {
  return `${path}.${key}`;
}

function causeOf(error: ErrorObject, context: Context): FieldCause | undefined {
  const path = kubePathOf(context.root, error.instancePath);
  const field = fieldOf(path, context);
  const data: unknown = error.data;
  const params = error.params as Record<string, unknown>;
  const parent = (error.parentSchema ?? {}) as AjvSchema;
  const invalid = (detail: string, value: unknown = data): FieldCause => ({
    reason: 'FieldValueInvalid',
    field,
    message: invalidValue(goBadValue(value), `${path} in body ${detail}`),
  });
  switch (error.keyword) {
    case 'type': {
      const declared = parent.type;
      const types = (Array.isArray(declared) ? declared : [declared]).filter(
        (t): t is string => t !== 'null',
      );
      const failure = kubeTypeFailure(
        types,
        parent[KUBE_NULLABLE_KEY] === true,
        parent[KUBE_FORMAT_KEY] as string | undefined,
        data,
      );
      if (!failure) return undefined;
      return {
        reason: 'FieldValueTypeInvalid',
        field,
        message: invalidValue(
          failure.actual,
          `${path} in body must be of type ${failure.expected}: ${JSON.stringify(failure.actual)}`,
        ),
      };
    }
    case 'format': {
      const format = (parent[KUBE_FORMAT_KEY] as string | undefined) ?? String(params.format);
      return {
        reason: 'FieldValueTypeInvalid',
        field,
        message: invalidValue(
          goBadValue(data),
          `${path} in body must be of type ${format}: ${JSON.stringify(data)}`,
        ),
      };
    }
    case 'required': {
      const name = childName(path, String(params.missingProperty));
      return { reason: 'FieldValueRequired', field: fieldOf(name, context), message: requiredValue() };
    }
    case 'enum': {
      const allowed = ((params.allowedValues as unknown[] | undefined) ?? []).map((v) =>
        typeof v === 'string' ? v : JSON.stringify(v),
      );
      return {
        reason: 'FieldValueNotSupported',
        field,
        message: unsupportedValue(goBadValue(data), allowed),
      };
    }
    case 'maxLength':
      return { reason: 'FieldValueTooLong', field, message: tooLong(Number(params.limit)) };
    case 'minLength':
      return invalid(`should be at least ${String(params.limit)} chars long`);
    case 'pattern':
      return invalid(`should match '${String(params.pattern)}'`);
    case 'minimum':
      return invalid(`should be greater than or equal to ${String(params.limit)}`);
    case 'exclusiveMinimum':
      return invalid(`should be greater than ${String(params.limit)}`);
    case 'maximum':
      return invalid(`should be less than or equal to ${String(params.limit)}`);
    case 'exclusiveMaximum':
      return invalid(`should be less than ${String(params.limit)}`);
    case 'multipleOf':
      return invalid(`should be a multiple of ${String(params.multipleOf)}`);
    case 'minItems':
      return invalid(`should have at least ${String(params.limit)} items`, lengthOf(data));
    case 'maxItems':
      return { reason: 'FieldValueTooMany', field, message: tooMany(lengthOf(data), Number(params.limit)) };
    case 'uniqueItems':
      return invalid(`shouldn't contain duplicates`, '');
    case 'minProperties':
      return invalid(`should have at least ${String(params.limit)} properties`, lengthOf(data));
    case 'maxProperties':
      return { reason: 'FieldValueTooMany', field, message: tooMany(lengthOf(data), Number(params.limit)) };
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      return {
        reason: 'FieldValueInvalid',
        field,
        message: invalidValue(key, `${path}.${key} in body is a forbidden property`),
      };
    }
    default:
      return {
        reason: 'FieldValueInvalid',
        field,
        message: invalidValue(goBadValue(data ?? ''), `${path} in body ${error.message ?? 'is invalid'}`),
      };
  }
}

function lengthOf(data: unknown): number {
  if (Array.isArray(data)) return data.length;
  if (typeof data === 'object' && data !== null) return Object.keys(data).length;
  return -1;
}

/**
 * kube-openapi's composition keywords (schema_props.go): anyOf and oneOf add one composite error
 * and merge the errors of their best failing branch (here: the branch with the fewest errors,
 * the first on a tie); allOf merges every branch's errors and adds a composite error; not adds
 * one. The composite errors are not field errors, so they land on the validation's root path.
 */
function resolveComposites(
  errors: ErrorObject[],
  context: Context,
): { kept: ErrorObject[]; composites: FieldCause[] } {
  const composites: FieldCause[] = [];
  let kept = errors;
  const choosers = kept
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const chooser of choosers) {
    if (!kept.includes(chooser)) continue;
    const prefix = `${chooser.schemaPath}/`;
    const byBranch = new Map<string, ErrorObject[]>();
    for (const e of kept)
      if (e.schemaPath.startsWith(prefix)) {
        const branch = e.schemaPath.slice(prefix.length).split('/')[0];
        byBranch.set(branch, [...(byBranch.get(branch) ?? []), e]);
      }
    let best: ErrorObject[] | undefined;
    for (const branchErrors of byBranch.values())
      if (!best || branchErrors.length < best.length) best = branchErrors;
    kept = kept.filter((e) => e !== chooser && (!e.schemaPath.startsWith(prefix) || best?.includes(e)));
    const path = JSON.stringify(kubePathOf(context.root, chooser.instancePath));
    const passing = (chooser.params as { passingSchemas?: unknown }).passingSchemas;
    const detail =
      chooser.keyword === 'anyOf'
        ? `${path} must validate at least one schema (anyOf)`
        : `${path} must validate one and only one schema (oneOf). ${
            Array.isArray(passing) ? `Found ${passing.length} valid alternatives` : 'Found none valid'
          }`;
    composites.push(compositeCause(detail, context));
  }
  for (const e of kept.filter((e) => e.keyword === 'not')) {
    composites.push(
      compositeCause(
        `${JSON.stringify(kubePathOf(context.root, e.instancePath))} must not validate the schema (not)`,
        context,
      ),
    );
  }
  kept = kept.filter((e) => e.keyword !== 'not');
  composites.push(...allOfCauses(kept, context));
  return { kept, composites };
}

function compositeCause(detail: string, context: Context): FieldCause {
  return {
    reason: 'FieldValueInvalid',
    field: context.options.fieldPath ?? '<nil>',
    message: invalidValue('', detail),
  };
}

/** One `must validate all the schemas (allOf)` per allOf whose branches failed. */
function allOfCauses(errors: readonly ErrorObject[], context: Context): FieldCause[] {
  const failing = new Map<string, { instancePath: string; branches: Set<string> }>();
  for (const e of errors) {
    const segments = e.schemaPath.split('/');
    for (let i = 1; i < segments.length - 1; i++) {
      if (segments[i] !== 'allOf') continue;
      const prefix = segments.slice(0, i + 1).join('/');
      const depth = instanceDepth(segments.slice(1, i));
      const instancePath = e.instancePath
        .split('/')
        .slice(0, depth + 1)
        .join('/');
      const key = `${prefix}@${instancePath}`;
      const entry = failing.get(key) ?? { instancePath, branches: new Set<string>() };
      entry.branches.add(segments[i + 1]);
      failing.set(key, entry);
    }
  }
  const causes: FieldCause[] = [];
  for (const [key, { instancePath, branches }] of failing) {
    const node = schemaAt(context.rootSchema, key.slice(0, key.indexOf('@')));
    const total = Array.isArray(node) ? node.length : 0;
    const none = branches.size >= total ? '. None validated' : '';
    causes.push(
      compositeCause(
        `${JSON.stringify(kubePathOf(context.root, instancePath))} must validate all the schemas (allOf)${none}`,
        context,
      ),
    );
  }
  return causes;
}

/** How many instance-path segments a schema path (without `#`) descends. */
function instanceDepth(segments: readonly string[]): number {
  let depth = 0;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment === 'properties') {
      depth++;
      i++;
    } else if (segment === 'items') {
      depth++;
      if (/^\d+$/.test(segments[i + 1] ?? '')) i++;
    } else if (segment === 'additionalProperties') depth++;
    else if (segment === 'anyOf' || segment === 'oneOf' || segment === 'allOf') i++;
  }
  return depth;
}

function schemaAt(root: AjvSchema, schemaPath: string): unknown {
  let node: unknown = root;
  for (const raw of schemaPath.split('/').slice(1)) {
    const segment = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
