import type { KubeObject } from './meta';

/**
 * Reads one field of a stored object as the string a field selector compares against, the way
 * Kubernetes' *ToSelectableFields functions do: strings as they are, booleans and numbers
 * formatted, and an unset field as its Go zero value (`''`, or `fallback` for booleans/numbers).
 * @example readField('spec.nodeName')(pod) // 'node-1'
 */
export function readField(path: string, fallback = ''): (obj: KubeObject) => string {
  const segments = path.split('.');
  return (obj) => {
    let value: unknown = obj;
    for (const segment of segments) {
      if (value === null || typeof value !== 'object') return fallback;
      value = (value as Record<string, unknown>)[segment];
    }
    if (typeof value === 'string') return value;
    if (typeof value === 'boolean' || typeof value === 'number') return String(value);
    return fallback;
  };
}
