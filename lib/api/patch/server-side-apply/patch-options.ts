import { InvalidObjectError, type FieldCause } from '../../../kinds/errors';
import type { ApiRequest } from '../../http';

/** kube-apiserver's limit on a field manager's length (validation.FieldManagerMaxLength). */
export const FIELD_MANAGER_MAX_LENGTH = 128;

const PATCH_OPTIONS = { kind: 'PatchOptions', group: 'meta.k8s.io' };

/**
 * The field manager of a non-apply write: the `fieldManager` query when given, else the User-Agent
 * up to its first `/` (kubectl/v1.32.0 … -> kubectl), unprintable characters left out and cut at
 * 128 characters, as kube-apiserver's managerOrUserAgent does. kubectl names its writes itself:
 * kubectl-create, kubectl-edit, kubectl-client-side-apply, kubectl-patch, kubectl-scale.
 */
export function updateManagerOf(request: ApiRequest): string {
  const manager = request.query.fieldManager;
  if (manager) return manager;
  let prefix = '';
  for (const char of (request.headers['user-agent'] ?? '').split('/')[0]) {
    if (!isPrintable(char)) continue;
    if (Buffer.byteLength(prefix + char) > FIELD_MANAGER_MAX_LENGTH) break;
    prefix += char;
  }
  return prefix;
}

/** What a PATCH asks of server-side apply. */
export interface ApplyOptions {
  manager: string;
  force: boolean;
}

/**
 * Validates the PATCH options as kube-apiserver's ValidatePatchOptions: an apply needs a
 * fieldManager, `force` belongs to applies only, and a manager is at most 128 printable
 * characters. Refusals are 422 Invalid on `PatchOptions.meta.k8s.io ""`.
 */
export function patchOptionsOf(request: ApiRequest, apply: boolean): ApplyOptions {
  const manager = request.query.fieldManager ?? '';
  const causes: FieldCause[] = [];
  if (!apply && request.query.force !== undefined)
    causes.push({
      reason: 'FieldValueForbidden',
      field: 'force',
      message: 'Forbidden: may not be specified for non-apply patch',
    });
  if (apply && manager === '')
    causes.push({
      reason: 'FieldValueRequired',
      field: 'fieldManager',
      message: 'Required value: is required for apply patch',
    });
  causes.push(...fieldManagerCauses(manager));
  if (causes.length > 0) throw new InvalidObjectError(PATCH_OPTIONS, '', causes);
  return { manager, force: isTrue(request.query.force) };
}

/** ValidateFieldManager: at most 128 bytes, printable characters only. */
export function fieldManagerCauses(manager: string, field = 'fieldManager'): FieldCause[] {
  const causes: FieldCause[] = [];
  if (Buffer.byteLength(manager) > FIELD_MANAGER_MAX_LENGTH)
    causes.push({
      reason: 'FieldValueTooLong',
      field,
      message: `Too long: may not be more than ${FIELD_MANAGER_MAX_LENGTH} bytes`,
    });
  let position = 0;
  for (const char of manager) {
    if (!isPrintable(char)) {
      const code = char.codePointAt(0) ?? 0;
      causes.push({
        reason: 'FieldValueInvalid',
        field,
        message: `Invalid value: ${JSON.stringify(manager)}: invalid character U+${code.toString(16).toUpperCase().padStart(4, '0')} (at position ${position})`,
      });
    }
    position += Buffer.byteLength(char);
  }
  return causes;
}

/** Go's strconv.ParseBool truths, as kube decodes `force`. */
function isTrue(value: string | undefined): boolean {
  return (
    value === '1' ||
    value === 't' ||
    value === 'T' ||
    value === 'true' ||
    value === 'TRUE' ||
    value === 'True'
  );
}

/** Roughly Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
function isPrintable(char: string): boolean {
  return char === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(char);
}
