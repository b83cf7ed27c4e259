import fc from 'fast-check';
import protobuf from 'protobufjs/light';
import { goFieldOf, isListWrapper, SPECIAL } from '../../../lib/api/protobuf/kube-schema';

/**
 * Objects in kube's JSON form for any message of kube's protobuf schema, drawn from the schema
 * itself (every field of kube's Go type may appear): what Go's encoding/json would write, so that
 * JSON -> protobuf -> JSON must give them back unchanged. Zero values of omitempty fields are
 * left out (Go never writes them) unless the field is a pointer, times are whole seconds in UTC
 * (Time) or microseconds (MicroTime), and nesting stops at `depth` levels.
 */
export function kubeJson(type: protobuf.Type, depth = 6): fc.Arbitrary<Record<string, unknown>> {
  return messageArbitrary(type, depth) as fc.Arbitrary<Record<string, unknown>>;
}

const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const nonEmptyText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });
const key = fc.stringMatching(/^[a-z][a-z0-9./-]{0,15}$/);
const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const time = fc
  .integer({ min: 0, max: 4_102_444_800 })
  .map((seconds) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z'));
const microTime = fc
  .tuple(fc.integer({ min: 0, max: 4_102_444_800 }), fc.integer({ min: 0, max: 999_999 }))
  .map(
    ([s, micros]) => `${new Date(s * 1000).toISOString().slice(0, 19)}.${String(micros).padStart(6, '0')}Z`,
  );
const quantity = fc.constantFrom('0', '1', '100m', '1.5', '64Mi', '2Gi', '1e3', '500k');
const rawJson = fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });

const FIELDS_PER_LEVEL = 4;

const memo = new Map<string, fc.Arbitrary<unknown>>();

function messageArbitrary(type: protobuf.Type, depth: number): fc.Arbitrary<unknown> {
  const memoKey = `${type.fullName}@${depth}`;
  let arbitrary = memo.get(memoKey);
  if (!arbitrary) {
    arbitrary = buildMessage(type, depth);
    memo.set(memoKey, arbitrary);
  }
  return arbitrary;
}

function buildMessage(type: protobuf.Type, depth: number): fc.Arbitrary<unknown> {
  switch (type.fullName.slice(1)) {
    case SPECIAL.intOrString:
      return fc.oneof(int32, nonEmptyText);
    case SPECIAL.quantity:
      return quantity;
    case SPECIAL.time:
      return time;
    case SPECIAL.microTime:
      return microTime;
    case SPECIAL.duration:
      return fc.constantFrom('0s', '1h0m0s', '1m30s', '150ms', '2h3m4.5s');
    case SPECIAL.rawExtension:
    case SPECIAL.fieldsV1:
      return rawJson;
  }
  if (isListWrapper(type)) return fc.array(text, { minLength: 1, maxLength: 3 });
  if (depth <= 0) return fc.constant({});
  const own: Record<string, fc.Arbitrary<unknown>> = {};
  const inline: fc.Arbitrary<unknown>[] = [];
  for (const field of type.fieldsArray) {
    const go = goFieldOf(type, field);
    if (go.json === undefined) inline.push(messageArbitrary(field.resolvedType as protobuf.Type, depth));
    else if (go.json !== '-') own[go.json] = fieldArbitrary(field, go, depth - 1);
  }
  // A few fields per level keeps objects small while every field is drawn in some run.
  const fields = fc
    .shuffledSubarray(Object.keys(own), {
      minLength: Math.min(1, Object.keys(own).length),
      maxLength: Math.min(FIELDS_PER_LEVEL, Object.keys(own).length),
    })
    .chain((keys) => fc.record(Object.fromEntries(keys.map((k) => [k, own[k]]))));
  return fc
    .tuple(fields, ...inline)
    .map(([first, ...rest]) => Object.assign({}, ...(rest as object[]), first as object));
}

function fieldArbitrary(
  field: protobuf.Field,
  go: { omitempty: boolean; pointer: boolean },
  depth: number,
): fc.Arbitrary<unknown> {
  const value = () =>
    field.resolvedType instanceof protobuf.Type
      ? messageArbitrary(field.resolvedType, depth)
      : scalarArbitrary(field.type, !go.omitempty || go.pointer || field.repeated);
  if (field instanceof protobuf.MapField) return fc.dictionary(key, value(), { minKeys: 1, maxKeys: 3 });
  if (field.repeated) return fc.array(value(), { minLength: 1, maxLength: 2 });
  return value();
}

/** A scalar of a proto type; `zeroAllowed` is false for omitempty fields, where Go drops zeros. */
function scalarArbitrary(type: string, zeroAllowed: boolean): fc.Arbitrary<unknown> {
  const nonZero = <T>(arbitrary: fc.Arbitrary<T>) =>
    zeroAllowed ? arbitrary : arbitrary.filter((v) => v !== 0 && v !== '' && v !== false);
  switch (type) {
    case 'string':
      return nonZero(text);
    case 'bool':
      return nonZero(fc.boolean());
    case 'bytes':
      return fc
        .uint8Array({ minLength: zeroAllowed ? 0 : 1, maxLength: 8 })
        .map((b) => Buffer.from(b).toString('base64'));
    case 'double':
    case 'float':
      return nonZero(fc.constantFrom(0, 0.5, 1, 2.25, -3));
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return nonZero(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }));
    case 'uint64':
    case 'fixed64':
      return nonZero(fc.integer({ min: 0, max: 2 ** 40 }));
    case 'uint32':
    case 'fixed32':
      return nonZero(fc.integer({ min: 0, max: 2 ** 32 - 1 }));
    default:
      return nonZero(int32);
  }
}
