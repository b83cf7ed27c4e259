/**
 * Apply semantics for an operator's children, as Metacontroller (and `kubectl apply`) give them: the
 * desired object is laid over what is stored, so fields the server or other writers set (defaults,
 * status, a label someone added) stay, and a field the operator set last time but no longer
 * answers is removed. What it set last time is kept on the child in LAST_APPLIED.
 */
export const LAST_APPLIED = 'operators.skiff.dev/last-applied-configuration';

type Json = unknown;
type JsonObject = Record<string, Json>;

function isObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `observed` with `desired` laid over it: objects merge key by key, anything else (arrays,
 * scalars) is replaced; keys present in `lastApplied` but not in `desired` are removed.
 *
 * @example threeWayMerge({ a: 1, b: 2, s: 9 }, { a: 1, b: 2 }, { a: 3 }) // { a: 3, s: 9 }
 */
export function threeWayMerge(observed: Json, lastApplied: Json, desired: Json): Json {
  if (!isObject(desired) || !isObject(observed)) return desired;
  const last = isObject(lastApplied) ? lastApplied : {};
  const merged: JsonObject = { ...observed };
  for (const key of Object.keys(last)) if (!(key in desired)) delete merged[key];
  for (const [key, value] of Object.entries(desired))
    merged[key] = threeWayMerge(observed[key], last[key], value);
  return merged;
}

/** Whether two JSON values are equal, whatever the order of their objects' keys. */
export function jsonEqual(a: Json, b: Json): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((value, i) => jsonEqual(value, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((key) => key in b && jsonEqual(a[key], b[key]))
    );
  }
  return a === b;
}
