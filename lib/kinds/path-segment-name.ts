/**
 * kube's IsValidPathSegmentName, the name rule of RBAC objects (ValidateRBACName): any name that
 * can stand as one URL path segment, so `system:aggregate-to-view` is valid where a DNS subdomain
 * would not be. Returns the first reason a name is refused, or undefined.
 * @example pathSegmentNameError('a/b') // "may not contain '/'"
 */
export function pathSegmentNameError(name: string): string | undefined {
  if (name === '.' || name === '..') return `may not be '${name}'`;
  for (const illegal of ['/', '%']) if (name.includes(illegal)) return `may not contain '${illegal}'`;
  return undefined;
}
