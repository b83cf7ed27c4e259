import protobuf from 'protobufjs/light';
import { goKind, isJsonObject } from '../patch/json-value';
import { goNameOfMessage, protoElementGoType } from './go-types';
import { goFieldOf, isListWrapper, SPECIAL, type GoField } from './kube-schema';

/**
 * The type error kube-apiserver's JSON decoder (sigs.k8s.io/json, Go's encoding/json made case
 * sensitive) meets first in a body of a built-in kind, worded as Go words it:
 * `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`.
 * Go decodes in document order, keeps going after a type error and reports the first; so does this
 * walk. A field path names JSON keys from the root without list indexes or map keys, and the
 * struct is the innermost one holding the field (the outer one for an inline struct's fields).
 *
 * Types that decode themselves (Time, Quantity, IntOrString, RawExtension, ...) are not checked:
 * their errors are their own, and the kind's validation words them. Unknown keys are skipped, as
 * Go skips them; null sets nothing.
 */
export function goUnmarshalTypeError(type: protobuf.Type, value: unknown): string | undefined {
  if (!isJsonObject(value)) return undefined;
  return decodeStruct(type, value, [], type.name);
}

/** Messages with their own UnmarshalJSON. */
const SELF_DECODING = new Set<string>(Object.values(SPECIAL));

/** Integer ranges Go checks a JSON number against. */
const INTEGER_RANGES: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [-(2 ** 63), 2 ** 63],
  uint32: [0, 2 ** 32 - 1],
  uint64: [0, 2 ** 64],
};

/** Where a value goes: its Go type as printed, and how it decodes. */
export type Target =
  | { kind: 'struct'; goType: string; type: protobuf.Type }
  | { kind: 'slice' | 'map'; goType: string; element: Target }
  | { kind: 'scalar'; goType: string; proto: string }
  | { kind: 'self' };

interface Context {
  path: string[];
  /** The Go struct the field being decoded belongs to. */
  struct: string;
}

function decodeStruct(type: protobuf.Type, object: Record<string, unknown>, path: string[], struct: string) {
  const fields = jsonFieldsOf(type);
  for (const [key, value] of Object.entries(object)) {
    const field = fields.get(key);
    if (!field) continue;
    const error = decode(field.target, value, { path: [...path, key], struct });
    if (error) return error;
  }
  return undefined;
}

function decode(target: Target, value: unknown, context: Context): string | undefined {
  if (value === null || value === undefined || target.kind === 'self') return undefined;
  switch (target.kind) {
    case 'struct':
      if (!isJsonObject(value)) return typeError(goKind(value), target.goType, context);
      return decodeStruct(target.type, value, context.path, target.type.name);
    case 'slice':
      if (!Array.isArray(value)) return typeError(goKind(value), target.goType, context);
      for (const item of value) {
        const error = decode(target.element, item, context);
        if (error) return error;
      }
      return undefined;
    case 'map':
      if (!isJsonObject(value)) return typeError(goKind(value), target.goType, context);
      for (const item of Object.values(value)) {
        const error = decode(target.element, item, context);
        if (error) return error;
      }
      return undefined;
    case 'scalar':
      return decodeScalar(target, value, context);
  }
}

function decodeScalar(target: Extract<Target, { kind: 'scalar' }>, value: unknown, context: Context) {
  switch (target.proto) {
    case 'string':
      return typeof value === 'string' ? undefined : typeError(goKind(value), target.goType, context);
    case 'bool':
      return typeof value === 'boolean' ? undefined : typeError(goKind(value), target.goType, context);
    case 'bytes':
      // base64 text (its alphabet is checked by the kind) or an array of bytes.
      return typeof value === 'string' || Array.isArray(value)
        ? undefined
        : typeError(goKind(value), target.goType, context);
    case 'double':
    case 'float':
      return typeof value === 'number' ? undefined : typeError(goKind(value), target.goType, context);
    default: {
      if (typeof value !== 'number') return typeError(goKind(value), target.goType, context);
      const [min, max] = INTEGER_RANGES[target.proto] ?? [-Infinity, Infinity];
      // Go parses the literal as an integer of the field's size: `1.5` and `3000000000` (int32) fail.
      if (!Number.isInteger(value) || value < min || value > max)
        return typeError(`number ${String(value)}`, target.goType, context);
      return undefined;
    }
  }
}

function typeError(what: string, goType: string, { path, struct }: Context): string {
  return `json: cannot unmarshal ${what} into Go struct field ${struct}.${path.join('.')} of type ${goType}`;
}

interface JsonField {
  target: Target;
}

const fieldsCache = new WeakMap<protobuf.Type, Map<string, JsonField>>();

/** A message's fields by JSON key, an inline struct's fields flattened in (as Go's decoder sees them). */
function jsonFieldsOf(type: protobuf.Type): Map<string, JsonField> {
  const cached = fieldsCache.get(type);
  if (cached) return cached;
  const fields = new Map<string, JsonField>();
  for (const field of type.fieldsArray) {
    const go = goFieldOf(type, field);
    if (go.json === undefined && field.resolvedType instanceof protobuf.Type) {
      for (const [key, inner] of jsonFieldsOf(field.resolvedType))
        if (!fields.has(key)) fields.set(key, inner);
    } else if (go.json !== undefined) fields.set(go.json, { target: targetOf(field, go) });
  }
  fieldsCache.set(type, fields);
  return fields;
}

/** Where a message field's value goes. */
export function targetOf(field: protobuf.Field, go: GoField): Target {
  const element = elementTarget(field, elementGoType(go.goType) ?? protoElementGoType(field));
  if ('keyType' in field && field.keyType !== undefined) return { kind: 'map', goType: go.goType, element };
  if (field.repeated) return { kind: 'slice', goType: go.goType, element };
  return element.kind === 'self' ? element : { ...element, goType: go.goType };
}

function elementTarget(field: protobuf.Field, goType: string): Target {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) {
    const name = resolved.fullName.slice(1);
    if (SELF_DECODING.has(name)) return { kind: 'self' };
    if (isListWrapper(resolved)) {
      const items = resolved.fields.items;
      return {
        kind: 'slice',
        goType: goNameOfMessage(name),
        element: items ? elementTarget(items, protoElementGoType(items)) : { kind: 'self' },
      };
    }
    return { kind: 'struct', goType, type: resolved };
  }
  return { kind: 'scalar', goType, proto: field.type };
}

/** The element type of a printed slice or map type (`[]v1.X` -> `v1.X`); undefined for a named one. */
function elementGoType(goType: string): string | undefined {
  if (goType.startsWith('[]')) return goType.slice(2);
  if (!goType.startsWith('map[')) return undefined;
  let depth = 0;
  for (let i = 3; i < goType.length; i++) {
    if (goType[i] === '[') depth++;
    else if (goType[i] === ']' && --depth === 0) return goType.slice(i + 1);
  }
  return undefined;
}
