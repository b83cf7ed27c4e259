import protobuf from 'protobufjs/light';
import { isJsonObject } from '../patch/json-value';
import { targetOf, type Target } from './go-type-errors';
import { goFieldOf } from './kube-schema';

/**
 * The error kube-apiserver's unstructured converter (apimachinery runtime.FromUnstructured) meets
 * first when it turns a strategic merge patch's result into a built-in kind's Go type, as it words
 * it: `unrecognized type: int32` for a string where an int32 goes, `cannot convert int64 to
 * string` for a number where a string goes, `cannot restore struct from: string`. Unlike the JSON
 * decoder's, these name no field. The walk follows the converter's: a struct's fields in the Go
 * type's order (inline structs where they are embedded), a list's items in order.
 */
export function goConvertError(type: protobuf.Type, value: unknown): string | undefined {
  return isJsonObject(value) ? convertStruct(type, value) : undefined;
}

function convertStruct(type: protobuf.Type, object: Record<string, unknown>): string | undefined {
  for (const field of type.fieldsArray) {
    const go = goFieldOf(type, field);
    if (go.json === undefined) {
      if (field.resolvedType instanceof protobuf.Type) {
        const error = convertStruct(field.resolvedType, object);
        if (error) return error;
      }
      continue;
    }
    if (!Object.prototype.hasOwnProperty.call(object, go.json)) continue;
    const error = convert(targetOf(field, go), object[go.json]);
    if (error) return error;
  }
  return undefined;
}

/** reflect's Kind of the value the converter holds for a JSON value (ints kept as int64). */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'slice';
  if (typeof value === 'object') return 'map';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  return typeof value === 'boolean' ? 'bool' : 'string';
}

function convert(target: Target, value: unknown): string | undefined {
  if (value === null || value === undefined || target.kind === 'self') return undefined;
  const kind = kindOf(value);
  switch (target.kind) {
    case 'struct':
      return kind === 'map'
        ? convertStruct(target.type, value as Record<string, unknown>)
        : `cannot restore struct from: ${kind}`;
    case 'map':
      if (kind !== 'map') return `cannot restore map from ${kind}`;
      return first(Object.values(value as Record<string, unknown>), (item) => convert(target.element, item));
    case 'slice':
      if (kind !== 'slice') return `cannot restore slice from ${kind}`;
      return first(value as unknown[], (item) => convert(target.element, item));
    case 'scalar':
      return convertScalar(target, kind);
  }
}

/** The primitive conversions FromUnstructured allows: JSON's own groups, no crossing between them. */
function convertScalar(target: Extract<Target, { kind: 'scalar' }>, kind: string): string | undefined {
  const { proto, goType } = target;
  if (proto === 'bytes')
    return kind === 'string' || kind === 'slice' ? undefined : `cannot restore slice from ${kind}`;
  if (proto === 'string') {
    if (kind === 'string') return undefined;
    // Go converts an integer to a string (a rune), which the converter then refuses by name.
    return kind === 'int64' ? `cannot convert int64 to ${goType}` : 'unrecognized type: string';
  }
  if (proto === 'bool') return kind === 'bool' ? undefined : 'unrecognized type: bool';
  if (proto === 'double' || proto === 'float') {
    const goKind = proto === 'double' ? 'float64' : 'float32';
    return kind === 'int64' || kind === 'float64' ? undefined : `unrecognized type: ${goKind}`;
  }
  if (kind === 'int64') return undefined;
  return kind === 'float64' ? `cannot convert float64 to ${goType}` : `unrecognized type: ${proto}`;
}

function first<T>(items: readonly T[], check: (item: T) => string | undefined): string | undefined {
  for (const item of items) {
    const error = check(item);
    if (error) return error;
  }
  return undefined;
}

/**
 * A JSON value as Go's `%+v` prints the `map[string]interface{}` it decodes to, which kube quotes
 * as a refused patch's value: `map[spec:map[replicas:3]]`, keys sorted, strings bare, lists as
 * `[a b]`, null as `<nil>`, floats in Go's shortest %g.
 */
export function goPrint(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goPrint).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `map[${entries.map(([key, item]) => `${key}:${goPrint(item)}`).join(' ')}]`;
  }
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : goFloat(value);
  return String(value);
}

/** Go's %v of a float64 (strconv 'g', shortest): the shortest digits, in exponent form below 1e-4 or from 1e6. */
function goFloat(value: number): string {
  const [digits, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${digits}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}
