import protobuf from 'protobufjs/light';
import { parseJsonText } from '../json-text';
import { goFieldOf, isListWrapper, SPECIAL } from './kube-schema';
import { formatMicroTime, formatTime } from './times';

/** A protobuf body that is not a message of kube's schema, or whose raw JSON is not JSON. */
export class ProtobufDecodeError extends Error {}

/** Marks a value Go's JSON encoder would leave out (a zero Time is `null`; Skiff omits it). */
const OMIT = Symbol('omit');

type Message = Record<string, unknown>;

/**
 * The JSON of a decoded message, as kube's Go types marshal it: inline structs flatten into their
 * parent, zero values of `omitempty` fields are left out unless the field is a pointer (a set
 * `replicas: 0` stays), empty lists and maps are left out, and int-or-string, quantities, times
 * and raw JSON take their JSON shapes. Every field of kube's schema is kept, whether or not
 * Skiff's own schema of the kind knows it.
 */
export function jsonOfProto(type: protobuf.Type, message: Message): unknown {
  const special = specialJson(type.fullName.slice(1), message);
  if (special !== undefined) return special;
  if (isListWrapper(type)) return listOf(message.items).map((item) => scalarJson(type.fields.items, item));
  const json: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    if (!Object.prototype.hasOwnProperty.call(message, field.name)) continue;
    const value = message[field.name];
    const go = goFieldOf(type, field);
    if (go.json === undefined) {
      Object.assign(json, jsonOfProto(field.resolvedType as protobuf.Type, value as Message));
      continue;
    }
    if (go.json === '-' || value === null || value === undefined) continue;
    if (field instanceof protobuf.MapField) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) continue;
      const map: Record<string, unknown> = {};
      for (const [key, entry] of entries) {
        const converted = valueJson(field, entry);
        if (converted !== OMIT) map[key] = converted;
      }
      json[go.json] = map;
    } else if (field.repeated) {
      const items = listOf(value);
      if (items.length === 0) continue;
      json[go.json] = items.map((item) => valueJson(field, item)).filter((item) => item !== OMIT);
    } else {
      const converted = valueJson(field, value);
      if (converted === OMIT) continue;
      // encoding/json's omitempty never leaves out a struct (an IntOrString 0 is written as 0).
      const struct = field.resolvedType instanceof protobuf.Type;
      if (go.omitempty && !go.pointer && !struct && isZero(converted)) continue;
      json[go.json] = converted;
    }
  }
  return json;
}

function valueJson(field: protobuf.Field, value: unknown): unknown {
  return field.resolvedType instanceof protobuf.Type
    ? jsonOfProto(field.resolvedType, value as Message)
    : scalarJson(field, value);
}

function scalarJson(field: protobuf.Field, value: unknown): unknown {
  if (field.type === 'bytes') return Buffer.from(value as Uint8Array).toString('base64');
  return isLong(value) ? longNumber(value) : value;
}

/** protobufjs reads 64-bit integers as Long objects (kube's are far below 2^53). */
function isLong(value: unknown): value is protobuf.Long {
  return typeof value === 'object' && value !== null && 'low' in value && 'high' in value;
}

function longNumber(value: protobuf.Long): number {
  return protobuf.util.LongBits.from(value).toNumber(value.unsigned);
}

/** Go's zero values, which `omitempty` leaves out. */
function isZero(value: unknown): boolean {
  return value === '' || value === 0 || value === false;
}

function has(message: Message, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(message, name);
}

function numberOf(value: unknown): number {
  if (isLong(value)) return longNumber(value);
  return typeof value === 'number' ? value : 0;
}

function specialJson(name: string, message: Message): unknown {
  switch (name) {
    case SPECIAL.intOrString:
      return numberOf(message.type) === 1 ? (message.strVal ?? '') : numberOf(message.intVal);
    case SPECIAL.quantity:
      return typeof message.string === 'string' && message.string !== '' ? message.string : '0';
    case SPECIAL.time:
      // A zero Time is marshalled as no bytes at all; Go writes it as null.
      if (!has(message, 'seconds') && !has(message, 'nanos')) return OMIT;
      return formatTime(numberOf(message.seconds));
    case SPECIAL.microTime:
      if (!has(message, 'seconds') && !has(message, 'nanos')) return OMIT;
      return formatMicroTime(numberOf(message.seconds), numberOf(message.nanos));
    case SPECIAL.duration:
      return goDuration(numberOf(message.duration));
    case SPECIAL.rawExtension:
      return rawJson(message.raw);
    case SPECIAL.fieldsV1:
      return rawJson(message.Raw);
  }
  return undefined;
}

/** The JSON a RawExtension or FieldsV1 holds as bytes; nothing is null, as in Go. */
function rawJson(raw: unknown): unknown {
  if (!(raw instanceof Uint8Array) || raw.length === 0) return OMIT;
  try {
    return parseJsonText(Buffer.from(raw).toString('utf8'));
  } catch (error) {
    throw new ProtobufDecodeError(`embedded raw data is not JSON: ${(error as Error).message}`);
  }
}

/** Go's time.Duration.String(): `1h2m3.5s`, `150ms`, `0s`. */
function goDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  const sign = nanos < 0 ? '-' : '';
  let rest = Math.abs(nanos);
  if (rest < 1e3) return `${sign}${rest}ns`;
  if (rest < 1e6) return `${sign}${trim(rest / 1e3)}µs`;
  if (rest < 1e9) return `${sign}${trim(rest / 1e6)}ms`;
  const hours = Math.floor(rest / 3.6e12);
  rest -= hours * 3.6e12;
  const minutes = Math.floor(rest / 6e10);
  rest -= minutes * 6e10;
  const seconds = `${trim(rest / 1e9)}s`;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}

function trim(value: number): string {
  return String(Number(value.toFixed(9)));
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
