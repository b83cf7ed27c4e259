import { GoValue } from '../../kinds/field-error';

/**
 * A decoded JSON value as kube-apiserver 1.32 prints a field error's bad value
 * (apimachinery field.Error.ErrorBody at v0.32): null becomes the string "null" (so it prints
 * quoted), numbers, booleans and strings print as themselves, and maps and lists print with Go's
 * %#v: `map[string]interface {}{"a":1, "b":"x"}`, `[]interface {}{"a", 1}`.
 */
export function goBadValue(value: unknown): unknown {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return new GoValue(goSyntax(value));
  return value;
}

/** Go's %#v of a value decoded from JSON into interface{}. */
export function goSyntax(value: unknown): string {
  if (value === null || value === undefined) return 'interface {}(nil)';
  if (Array.isArray(value)) return `[]interface {}{${value.map(goSyntax).join(', ')}}`;
  if (typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goSyntax((value as Record<string, unknown>)[k])}`);
    return `map[string]interface {}{${entries.join(', ')}}`;
  }
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}
