import { cloneJson, hasOwn, isJsonObject, setOwn, type JsonObject } from './json-value';

/**
 * Applies an RFC 7386 JSON merge patch (`application/merge-patch+json`): objects merge
 * recursively, null removes a key, anything else (lists included) replaces the target value.
 * Like kube-apiserver (evanphx/json-patch MergePatch), nulls inside a value that is added or
 * replaced are dropped rather than stored. Returns a new value; neither input is modified.
 *
 * @example
 *   mergePatch({ metadata: { labels: { a: '1', b: '2' } } }, { metadata: { labels: { b: null } } });
 *   // { metadata: { labels: { a: '1' } } }
 */
export function mergePatch(original: unknown, patch: unknown): unknown {
  return mergeInto(cloneJson(original), cloneJson(patch));
}

/** Works in place on private copies. */
function mergeInto(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return pruneNulls(patch);
  const result: JsonObject = isJsonObject(target) ? target : {};
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) delete result[key];
    else setOwn(result, key, mergeInto(hasOwn(result, key) ? result[key] : undefined, value));
  }
  return result;
}

/** Removes null-valued keys from objects, at any depth; null list elements stay. */
function pruneNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneNulls);
  if (!isJsonObject(value)) return value;
  for (const key of Object.keys(value)) {
    if (value[key] === null) delete value[key];
    else setOwn(value, key, pruneNulls(value[key]));
  }
  return value;
}
