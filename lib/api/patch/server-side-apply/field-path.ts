import { isJsonObject, type JsonObject } from '../json-value';

/**
 * One step of a field path, as structured-merge-diff names it (sigs.k8s.io/structured-merge-diff
 * fieldpath.PathElement): a struct or map field, an associative-list item by its key fields, a
 * set item by its value, or a list item by its index (lists without keys, seen only in objects a
 * schema does not describe).
 *
 * A path element travels serialized, in the form FieldsV1 uses for its keys: `f:replicas`,
 * `k:{"containerPort":80,"protocol":"TCP"}`, `v:"example.com/hold"`, `i:0`. Two elements are the
 * same when their serializations are, which lets field sets key their children by string.
 */
export type PathElement = string;

/** `f:<name>`: a field of a struct or an entry of a map. */
export function fieldElement(name: string): PathElement {
  return `f:${name}`;
}

/** `k:{...}`: an associative-list item, by its key fields (in name order, as upstream writes them). */
export function keyElement(key: JsonObject): PathElement {
  const sorted: JsonObject = {};
  for (const name of Object.keys(key).sort()) sorted[name] = key[name];
  return `k:${JSON.stringify(sorted)}`;
}

/** `v:<json>`: an item of a set, by its value. */
export function valueElement(value: unknown): PathElement {
  return `v:${JSON.stringify(value)}`;
}

/** `i:<n>`: an item of a list that has no keys, by its position. */
export function indexElement(index: number): PathElement {
  return `i:${index}`;
}

/** The field name of an `f:` element, else undefined. */
export function fieldNameOf(element: PathElement): string | undefined {
  return element.startsWith('f:') ? element.slice(2) : undefined;
}

/** Whether `text` is a FieldsV1 key this code understands. */
export function isPathElement(text: string): boolean {
  if (text.startsWith('f:')) return true;
  if (/^i:\d+$/.test(text)) return true;
  if (!text.startsWith('k:') && !text.startsWith('v:')) return false;
  try {
    const parsed: unknown = JSON.parse(text.slice(2));
    return text.startsWith('v:') || isJsonObject(parsed);
  } catch {
    return false;
  }
}

/**
 * A path as upstream prints it in conflict messages and Status causes: `.spec.replicas`,
 * `.spec.template.spec.containers[name="web"].image`, `.spec.ports[port=80,protocol="TCP"]`,
 * `.metadata.finalizers[="example.com/hold"]`, `.spec.args[0]`.
 */
export function pathString(path: readonly PathElement[]): string {
  return path.map(elementString).join('');
}

function elementString(element: PathElement): string {
  const body = element.slice(2);
  switch (element.slice(0, 2)) {
    case 'f:':
      return `.${body}`;
    case 'k:': {
      const key = JSON.parse(body) as JsonObject;
      return `[${Object.keys(key)
        .map((name) => `${name}=${JSON.stringify(key[name])}`)
        .join(',')}]`;
    }
    case 'v:':
      return `[=${body}]`;
    default:
      return `[${body}]`;
  }
}
