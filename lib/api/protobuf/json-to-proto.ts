import protobuf from 'protobufjs/light';
import { goFieldOf, isListWrapper, SPECIAL } from './kube-schema';
import { parseRfc3339 } from './times';

/** A JSON value that does not fit kube's Go type for its field (a string where a number goes). */
export class ProtobufEncodeError extends Error {}

/** A message as protobufjs encodes it: field names to values, nested messages as plain objects. */
export type ProtoValue = Record<string, unknown>;

/**
 * The protobuf message of a JSON object, as kube's Go types would marshal it: JSON keys become the
 * message's fields (inline structs gather their fields from the parent object), int-or-string,
 * quantities, times and raw JSON take their wire shapes, and keys that are not fields of the Go
 * type are dropped, as Go's JSON decoder drops them. `apiVersion` and `kind` are not fields: the
 * envelope carries them (envelope.ts).
 */
export function protoOfJson(type: protobuf.Type, json: unknown, path = ''): ProtoValue {
  const special = specialProto(type.fullName.slice(1), json, path);
  if (special !== undefined) return special;
  if (isListWrapper(type))
    return { items: arrayOf(json, path).map((item) => scalarOf(type.fields.items, item, path)) };
  const object = objectOf(json, path);
  const message: ProtoValue = {};
  for (const field of type.fieldsArray) {
    const go = goFieldOf(type, field);
    if (go.json === undefined) {
      message[field.name] = protoOfJson(field.resolvedType as protobuf.Type, object, path);
      continue;
    }
    const value = object[go.json];
    if (value === undefined || value === null) continue;
    const at = `${path}.${go.json}`;
    if (field instanceof protobuf.MapField) {
      const map: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(objectOf(value, at)))
        if (entry !== null) map[key] = valueOf(field, entry, `${at}[${key}]`);
      message[field.name] = map;
    } else if (field.repeated) {
      message[field.name] = arrayOf(value, at)
        .filter((item) => item !== null)
        .map((item, i) => valueOf(field, item, `${at}[${i}]`));
    } else message[field.name] = valueOf(field, value, at);
  }
  return message;
}

function valueOf(field: protobuf.Field, value: unknown, path: string): unknown {
  return field.resolvedType instanceof protobuf.Type
    ? protoOfJson(field.resolvedType, value, path)
    : scalarOf(field, value, path);
}

function scalarOf(field: protobuf.Field, value: unknown, path: string): unknown {
  switch (field.type) {
    case 'string':
      if (typeof value === 'string') return value;
      break;
    case 'bool':
      if (typeof value === 'boolean') return value;
      break;
    case 'bytes':
      if (typeof value === 'string') return Buffer.from(value, 'base64');
      break;
    case 'double':
    case 'float':
      if (typeof value === 'number') return value;
      break;
    default:
      if (typeof value === 'number' && Number.isInteger(value)) return value;
  }
  throw new ProtobufEncodeError(`${path}: ${JSON.stringify(value)} is not a ${field.type}`);
}

function specialProto(name: string, json: unknown, path: string): ProtoValue | undefined {
  switch (name) {
    case SPECIAL.intOrString:
      // Go writes all three fields of an IntOrString whatever its type.
      if (typeof json === 'number' && Number.isInteger(json)) return { type: 0, intVal: json, strVal: '' };
      if (typeof json === 'string') return { type: 1, intVal: 0, strVal: json };
      throw new ProtobufEncodeError(`${path}: ${JSON.stringify(json)} is neither an integer nor a string`);
    case SPECIAL.quantity:
      if (typeof json === 'string') return { string: json };
      if (typeof json === 'number') return { string: String(json) };
      throw new ProtobufEncodeError(`${path}: ${JSON.stringify(json)} is not a quantity`);
    case SPECIAL.time:
    case SPECIAL.microTime:
      return timeOf(json, path);
    case SPECIAL.duration:
      if (typeof json === 'string') return { duration: parseGoDuration(json, path) };
      throw new ProtobufEncodeError(`${path}: ${JSON.stringify(json)} is not a duration`);
    case SPECIAL.rawExtension:
      return { raw: Buffer.from(JSON.stringify(json)) };
    case SPECIAL.fieldsV1:
      return { Raw: Buffer.from(JSON.stringify(json)) };
  }
  return undefined;
}

/** A Time or MicroTime: seconds and nanoseconds since the epoch, as Go's Timestamp. */
function timeOf(json: unknown, path: string): ProtoValue {
  const parsed = typeof json === 'string' ? parseRfc3339(json) : undefined;
  if (!parsed) throw new ProtobufEncodeError(`${path}: ${JSON.stringify(json)} is not an RFC 3339 time`);
  return { seconds: parsed.seconds, nanos: parsed.nanos };
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 6e10,
  h: 3.6e12,
};

/** Nanoseconds of a Go duration string (`1h2m3.5s`), as metav1.Duration reads it. */
function parseGoDuration(text: string, path: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[-+]/, '');
  if (body === '0') return 0;
  let total = 0;
  let rest = body;
  while (rest !== '') {
    const part = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!part) throw new ProtobufEncodeError(`${path}: "${text}" is not a duration`);
    total += Number(part[1]) * DURATION_UNITS[part[2]];
    rest = rest.slice(part[0].length);
  }
  if (body === '') throw new ProtobufEncodeError(`${path}: "${text}" is not a duration`);
  return sign * Math.round(total);
}

function objectOf(json: unknown, path: string): Record<string, unknown> {
  if (typeof json === 'object' && json !== null && !Array.isArray(json))
    return json as Record<string, unknown>;
  throw new ProtobufEncodeError(`${path || '<root>'}: ${JSON.stringify(json)} is not an object`);
}

function arrayOf(json: unknown, path: string): unknown[] {
  if (Array.isArray(json)) return json;
  throw new ProtobufEncodeError(`${path}: ${JSON.stringify(json)} is not a list`);
}
