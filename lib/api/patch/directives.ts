import { InvalidPatchError } from './errors';
import { describeJson, isJsonObject, jsonKind, setOwn, type JsonObject } from './json-value';

/**
 * The directives of a strategic merge patch (k8s.io/apimachinery strategicpatch), their error
 * messages (k8s.io/apimachinery mergepatch), and the cleaning of patch values that are taken as
 * they are, so that no directive and no null ever lands in a stored object.
 */
export const DIRECTIVE_MARKER = '$patch';
export const DELETE_DIRECTIVE = 'delete';
export const REPLACE_DIRECTIVE = 'replace';
export const MERGE_DIRECTIVE = 'merge';
export const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
export const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';
export const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';

export const BAD_PRIMITIVE_LIST_FORMAT = 'invalid patch format of primitive list';
export const BAD_RETAIN_KEYS_FORMAT = 'invalid patch format of retainKeys';
export const BAD_SET_ELEMENT_ORDER_FORMAT = 'invalid patch format of setElementOrder list';

/** An element of a merge-by-key list lacks its key (mergepatch.ErrNoMergeKey). */
export function noMergeKeyError(element: JsonObject, mergeKey: string): InvalidPatchError {
  return new InvalidPatchError(
    `map: ${describeJson(element)} does not contain declared merge key: ${mergeKey}`,
  );
}

/** A `$patch` value other than replace/delete (mergepatch.ErrBadPatchType). */
export function badPatchTypeError(directive: unknown, element: JsonObject): InvalidPatchError {
  const name = typeof directive === 'string' ? directive : describeJson(directive);
  return new InvalidPatchError(`unknown patch type: ${name} in map: ${describeJson(element)}`);
}

/** A value of the wrong JSON type where a map or list is required (mergepatch.ErrBadArgType). */
export function badArgTypeError(expected: string, actual: unknown): InvalidPatchError {
  return new InvalidPatchError(`expected a ${expected}, but received a ${jsonKind(actual)}`);
}

/** A `$` key no version of strategic merge patch defines. */
export function unknownDirectiveError(key: string): InvalidPatchError {
  return new InvalidPatchError(`unknown strategic merge patch directive: ${key}`);
}

/**
 * The field a parallel-list directive names: `$setElementOrder/containers` -> `containers`.
 * Throws the upstream format error when the key is not `<prefix>/<field>`.
 */
export function parallelListField(key: string, prefix: string, formatError: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) throw new InvalidPatchError(formatError);
  return key.slice(slash + 1);
}

/**
 * A patch value that lands where the original has nothing to merge with, cleaned the way
 * upstream cleans it (discardNullValuesFromPatch, removeDirectives): maps carrying `$patch` are
 * dropped, null map values are dropped (null list elements stay), parallel-list and retainKeys
 * directives are dropped. Returns `undefined` when the value itself is dropped. Works in place.
 */
export function cleanPatchValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    const kept: unknown[] = [];
    for (const item of value) {
      const cleaned = cleanPatchValue(item);
      if (cleaned !== undefined) kept.push(cleaned);
    }
    return kept;
  }
  if (!isJsonObject(value)) return value;
  if (Object.prototype.hasOwnProperty.call(value, DIRECTIVE_MARKER)) return undefined;
  for (const key of Object.keys(value)) {
    const cleaned = isDirectiveKey(key)
      ? undefined
      : value[key] === null
        ? undefined
        : cleanPatchValue(value[key]);
    if (cleaned === undefined) delete value[key];
    else setOwn(value, key, cleaned);
  }
  return value;
}

/** True for the directive keys a map may carry; throws for any other `$` key. */
function isDirectiveKey(key: string): boolean {
  if (!key.startsWith('$')) return false;
  if (
    key === RETAIN_KEYS_DIRECTIVE ||
    key.startsWith(`${SET_ELEMENT_ORDER_PREFIX}/`) ||
    key.startsWith(`${DELETE_FROM_PRIMITIVE_LIST_PREFIX}/`)
  ) {
    return true;
  }
  throw unknownDirectiveError(key);
}
