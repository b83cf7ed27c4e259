/**
 * Plain JSON values as the patch functions handle them. Every write goes through `setOwn`, so a
 * key such as `__proto__` arriving in a request body stays an ordinary own property and can never
 * reach a prototype.
 */
export type JsonObject = Record<string, unknown>;

/** The JSON type of a value, the way Go's decoder would tell them apart. */
export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

/** A JSON object: not null, not a list. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function jsonKind(value: unknown): JsonKind {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  return 'number';
}

/** Go's name for a JSON type, as its decoder's errors spell it. */
export function goKind(value: unknown): string {
  const kind = jsonKind(value);
  return kind === 'boolean' ? 'bool' : kind;
}

/** An own property test that a `hasOwnProperty` key in the data cannot shadow. */
export function hasOwn(object: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** Reads an own property only: `getOwn({}, 'constructor')` is undefined. */
export function getOwn(object: JsonObject, key: string): unknown {
  return hasOwn(object, key) ? object[key] : undefined;
}

/**
 * Writes an own, enumerable data property, whatever the key. `__proto__` is the one key that an
 * assignment on a plain object would not store as data (it is an accessor on Object.prototype);
 * every other key is assigned, which is many times faster than defineProperty on large bodies.
 */
export function setOwn(object: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

/**
 * A deep copy of a JSON value. The patch functions copy their inputs first and then work in
 * place, which keeps the ported algorithms close to upstream and the caller's objects untouched.
 */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => cloneJson(item)) as T;
  if (isJsonObject(value)) {
    const copy: JsonObject = {};
    for (const key of Object.keys(value)) setOwn(copy, key, cloneJson(value[key]));
    return copy as T;
  }
  return value;
}

/** Renders a value for an error message. */
export function describeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
