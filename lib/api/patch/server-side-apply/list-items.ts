import { isJsonObject, type JsonObject } from '../json-value';
import type { ApplySchema } from './apply-schema';
import { indexElement, keyElement, valueElement, type PathElement } from './field-path';

/** An applied configuration server-side apply cannot read against its kind's schema (400). */
export class InvalidApplyConfigurationError extends Error {}

/**
 * The path element of item `index` of a non-atomic list: its key fields for an associative list
 * (a left-out key field takes its default, e.g. protocol TCP), its value for a set. Throws
 * InvalidApplyConfigurationError when an item cannot be identified, as upstream refuses such a
 * configuration; `lenient` (for stored objects) falls back to the item's index instead.
 */
export function itemElement(schema: ApplySchema, item: unknown, index: number, lenient = false): PathElement {
  if (schema.listType === 'set') {
    if (isJsonObject(item) || Array.isArray(item)) {
      if (lenient) return indexElement(index);
      throw new InvalidApplyConfigurationError(`element ${index}: expected a scalar in a set`);
    }
    return valueElement(item);
  }
  if (!isJsonObject(item)) {
    if (lenient) return indexElement(index);
    throw new InvalidApplyConfigurationError(
      `element ${index}: associative list with keys may only hold objects`,
    );
  }
  const key: JsonObject = {};
  for (const name of schema.listMapKeys) {
    const value = item[name] ?? schema.keyDefault(name);
    if (value === undefined || value === null) {
      if (lenient) return indexElement(index);
      throw new InvalidApplyConfigurationError(
        `element ${index}: associative list with keys has an element that omits key field ${JSON.stringify(name)} (and doesn't have default value)`,
      );
    }
    key[name] = value;
  }
  return keyElement(key);
}

/** Whether a list at this schema is owned item by item (a set or an associative list). */
export function isGranularList(schema: ApplySchema): boolean {
  return schema.listType !== 'atomic';
}

/**
 * The items of a granular list by path element, first occurrence winning, with their elements in
 * list order. `lenient` as for itemElement; a strict read refuses duplicates as upstream does.
 */
export function indexItems(
  schema: ApplySchema,
  list: readonly unknown[],
  lenient: boolean,
): { elements: PathElement[]; byElement: Map<PathElement, unknown> } {
  const elements: PathElement[] = [];
  const byElement = new Map<PathElement, unknown>();
  list.forEach((item, index) => {
    const element = itemElement(schema, item, index, lenient);
    if (byElement.has(element)) {
      if (!lenient)
        throw new InvalidApplyConfigurationError(
          `element ${index}: duplicate entries for key ${element.slice(2)}`,
        );
    } else byElement.set(element, item);
    elements.push(element);
  });
  return { elements, byElement };
}
