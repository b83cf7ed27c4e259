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
 * `observed` with `desired` laid over it: objects merge key by key; lists of named objects
 * (containers, ports, volumes, env: every item an object with a string `name`) merge item by item,
 * by name, as kube's strategic merge does for most such lists, so what the server defaults in an
 * item (a container's imagePullPolicy, a port's protocol) stays; other lists and scalars are
 * replaced. Keys present in `lastApplied` but not in `desired` are removed, and so are named items.
 *
 * @example threeWayMerge({ a: 1, b: 2, s: 9 }, { a: 1, b: 2 }, { a: 3 }) // { a: 3, s: 9 }
 */
export function threeWayMerge(observed: Json, lastApplied: Json, desired: Json): Json {
  if (isNamedList(desired) && isNamedList(observed)) return mergeNamedLists(observed, lastApplied, desired);
  if (!isObject(desired) || !isObject(observed)) return desired;
  const last = isObject(lastApplied) ? lastApplied : {};
  const merged: JsonObject = { ...observed };
  for (const key of Object.keys(last)) if (!(key in desired)) delete merged[key];
  for (const [key, value] of Object.entries(desired))
    merged[key] = threeWayMerge(observed[key], last[key], value);
  return merged;
}

type Named = JsonObject & { name: string };

function isNamedList(value: Json): value is Named[] {
  return Array.isArray(value) && value.every((item) => isObject(item) && typeof item.name === 'string');
}

/** Desired's items in its order, each merged with its namesake; observed-only items the last apply did not name stay after. */
function mergeNamedLists(observed: Named[], lastApplied: Json, desired: Named[]): Json {
  const byName = (list: Named[]) => new Map(list.map((item) => [item.name, item]));
  const current = byName(observed);
  const last = byName(isNamedList(lastApplied) ? lastApplied : []);
  const wanted = new Set(desired.map((item) => item.name));
  const merged: Json[] = desired.map((item) =>
    threeWayMerge(current.get(item.name), last.get(item.name), item),
  );
  for (const item of observed) if (!wanted.has(item.name) && !last.has(item.name)) merged.push(item);
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
