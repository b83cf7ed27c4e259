import { InvalidObjectError, StrictDecodingError, unknownFieldMessage, type FieldCause } from './errors';
import { dropNulls } from './drop-nulls';
import { invalidValue, requiredValue } from './field-error';
import { causesOf } from './issue-causes';
import { apiVersionOf, type KindInfo } from './kind-info';
import type { KubeObject } from './meta';
import { dns1035LabelError, dns1123LabelError, dns1123SubdomainError } from './names';
import { pathSegmentNameError } from './path-segment-name';
import { findUnknownFields, findUnknownFieldsInSchema } from './unknown-fields';

/** The `fieldValidation` modes of kube-apiserver: what to do with fields the kind does not have. */
export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

export interface DecodeOptions {
  /** Default `Warn`: unknown fields are dropped and reported as warnings. */
  fieldValidation?: FieldValidation;
  /** Objects that are never stored (access reviews) have no name to require. */
  unnamed?: boolean;
  /**
   * The body of an update of the main resource: checks that compare with the stored object are
   * the kind's validateUpdate, which the store runs (a custom kind's schema, ratcheted).
   */
  update?: boolean;
}

export interface DecodedObject {
  object: KubeObject;
  /** `unknown field "spec.foo"` per unknown field (Warn mode), for the API's Warning headers. */
  warnings: string[];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * ValidateObjectMeta's name rules: a name (or, before the API generates one, a generateName
 * prefix) is required, in the kind's format. The namespace is the API's business (from the URL).
 */
export function nameCauses(info: KindInfo, metadata: Record<string, unknown>): FieldCause[] {
  const check =
    info.nameFormat === 'dns1123-label'
      ? dns1123LabelError
      : info.nameFormat === 'dns1035-label'
        ? dns1035LabelError
        : info.nameFormat === 'path-segment'
          ? pathSegmentNameError
          : dns1123SubdomainError;
  const causes: FieldCause[] = [];
  const { name, generateName } = metadata;
  if (typeof generateName === 'string' && generateName !== '') {
    // A prefix may end in '-' (NameIsDNSSubdomain with prefix=true masks one trailing dash).
    const masked =
      generateName.length > 1 && generateName.endsWith('-') ? generateName.slice(0, -1) : generateName;
    const error = check(masked);
    if (error)
      causes.push({
        reason: 'FieldValueInvalid',
        field: 'metadata.generateName',
        message: invalidValue(generateName, error),
      });
  }
  if (typeof name !== 'string' || name === '') {
    if (!(typeof generateName === 'string' && generateName !== ''))
      causes.push({
        reason: 'FieldValueRequired',
        field: 'metadata.name',
        message: requiredValue('name or generateName is required'),
      });
  } else {
    const error = check(name);
    if (error)
      causes.push({
        reason: 'FieldValueInvalid',
        field: 'metadata.name',
        message: invalidValue(name, error),
      });
  }
  return causes;
}

/**
 * Decodes a written object as kube-apiserver does before storing it: nulls are unset fields, the
 * kind's defaults are applied, the object is validated (throwing InvalidObjectError with
 * Kubernetes' causes), and unknown fields are handled per `fieldValidation`: dropped with a
 * warning (Warn, the default), dropped silently (Ignore), or refused (Strict, StrictDecodingError).
 * Missing apiVersion/kind are taken from `info`, as Kubernetes takes them from the URL.
 *
 * When an object is both invalid and has unknown fields, Strict refuses the unknown fields first
 * (kube's decoder does, before validation); the other modes throw the InvalidObjectError.
 *
 * @example
 *   const { object, warnings } = decodeObject(DeploymentKind, body, { fieldValidation: 'Warn' });
 */
export function decodeObject(info: KindInfo, input: unknown, options: DecodeOptions = {}): DecodedObject {
  if (info.decode) return info.decode(input, options);
  const fieldValidation = options.fieldValidation ?? 'Warn';
  const cleaned = dropNulls(input);
  requireJsonObject(info, cleaned);
  const typed =
    cleaned.apiVersion === undefined || cleaned.kind === undefined
      ? { apiVersion: apiVersionOf(info), kind: info.kind, ...cleaned }
      : cleaned;
  const metadata = isPlainObject(typed.metadata) ? typed.metadata : {};
  const causes = options.unnamed ? [] : nameCauses(info, metadata);
  const result = info.schema.safeParse(typed);
  if (!result.success) {
    // kube's decoder refuses a strict request's unknown fields (400) before anything validates.
    if (fieldValidation === 'Strict') {
      const unknown = findUnknownFieldsInSchema(typed, info.schema);
      if (unknown.length > 0) throw new StrictDecodingError(unknown);
    }
    // Parse again with the inputs in the issues (kube's messages quote the bad value); asking for
    // them up front would slow every successful decode.
    const detailed = info.schema.safeParse(typed, { reportInput: true });
    causes.push(...causesOf(info.schema, detailed.error?.issues ?? result.error.issues));
  }
  if (causes.length > 0 || !result.success)
    throw new InvalidObjectError(info, typeof metadata.name === 'string' ? metadata.name : '', causes);
  if (fieldValidation === 'Ignore') return { object: result.data, warnings: [] };
  return withUnknownFields(result.data, findUnknownFields(typed, result.data), fieldValidation);
}

/** A written body that is not a JSON object: kube's 422 with one cause at the root. */
export function requireJsonObject(info: KindInfo, value: unknown): asserts value is Record<string, unknown> {
  if (!isPlainObject(value))
    throw new InvalidObjectError(info, '', [
      {
        reason: 'FieldValueInvalid',
        field: '',
        message: invalidValue(typeof value, 'must be a JSON object'),
      },
    ]);
}

/**
 * A decoded object and the unknown fields dropped from it, as `fieldValidation` says: warnings
 * (Warn), nothing (Ignore), or StrictDecodingError naming them (Strict).
 */
export function withUnknownFields(
  object: KubeObject,
  unknown: string[],
  fieldValidation: FieldValidation = 'Warn',
): DecodedObject {
  if (fieldValidation === 'Ignore' || unknown.length === 0) return { object, warnings: [] };
  if (fieldValidation === 'Strict') throw new StrictDecodingError(unknown);
  return { object, warnings: unknown.map(unknownFieldMessage) };
}
