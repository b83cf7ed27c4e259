import { storedJsonOf } from '../store/object-item';

/**
 * Serializes a response body, reusing the stored JSON of objects read from the store: a list of
 * 1,000 objects is then spliced together from strings the store already holds rather than being
 * serialized again.
 */
export function toJson(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const stored = storedJsonOf(value);
  if (stored !== undefined) return stored;
  const { items, ...rest } = value as { items?: unknown };
  if (!Array.isArray(items) || Object.keys(rest).length === 0) return JSON.stringify(value);
  const head = JSON.stringify(rest);
  return `${head.slice(0, -1)},"items":[${items.map(toJson).join(',')}]}`;
}
