/**
 * Removes `null` object members, recursively, as Kubernetes' JSON decoding treats null as unset:
 * manifests often carry `creationTimestamp: null` or `status: null`. Elements of arrays are kept
 * in place (removing one would shift the indices in error messages). Returns the input itself
 * when it holds no null member, so the common case allocates nothing.
 */
export function dropNulls<T>(value: T): T {
  return (hasNullMember(value) ? copyWithoutNulls(value) : value) as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasNullMember(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasNullMember);
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    const member = value[key];
    if (member === null || hasNullMember(member)) return true;
  }
  return false;
}

function copyWithoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyWithoutNulls);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (member === null) continue;
    // defineProperty, so a JSON key named __proto__ stays an ordinary key.
    Object.defineProperty(out, key, {
      value: copyWithoutNulls(member),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
