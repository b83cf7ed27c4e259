import fc from 'fast-check';
import { encodeObject } from '../../../lib/api/protobuf/envelope';
import { mutate, type FuzzBody } from './body-arbitrary';

const MAGIC = Buffer.from('k8s\0');

/** The manifest in kube's protobuf envelope; a manifest that no longer fits kube's types goes as JSON. */
function protobufOf(manifest: unknown): Buffer {
  try {
    const bytes = encodeObject(manifest as Record<string, unknown>);
    if (bytes) return Buffer.from(bytes);
  } catch {
    // A mutated field of the wrong type: kube's clients could not have encoded it either.
  }
  return Buffer.from(JSON.stringify(manifest));
}

/** A varint-prefixed field of wire type 2 (bytes or a message). */
function lengthDelimited(field: number, bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...varint(bytes.length)]), bytes]);
}

/** The bytes of an unsigned varint. */
function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.push((rest & 0x7f) | (rest > 0x7f ? 0x80 : 0));
    rest = Math.floor(rest / 128);
  } while (rest > 0);
  return bytes;
}

/**
 * A raw message nesting `depth` levels, far past what kube's types nest, against decoders that
 * recurse per level: field 1 inside field 1 (messages, or strings where the type has one), or
 * groups of an unknown field (wire types 3 and 4), which a decoder skips by recursing. Written
 * front to back in one buffer: the sizes of the levels are known from the inside out.
 */
function deepRaw(depth: number, shape: 'messages' | 'groups'): Buffer {
  if (shape === 'groups') return Buffer.concat([Buffer.alloc(depth, 0x7b), Buffer.alloc(depth, 0x7c)]);
  const sizes = [0];
  for (let i = 1; i <= depth; i++) sizes.push(1 + varint(sizes[i - 1]).length + sizes[i - 1]);
  const bytes: number[] = [];
  for (let i = depth; i >= 1; i--) bytes.push(0x0a, ...varint(sizes[i - 1]));
  return Buffer.from(bytes);
}

function envelope(kind: string, raw: Buffer): Buffer {
  const typeMeta = Buffer.concat([
    lengthDelimited(1, Buffer.from('v1')),
    lengthDelimited(2, Buffer.from(kind)),
  ]);
  return Buffer.concat([MAGIC, lengthDelimited(1, typeMeta), lengthDelimited(2, raw)]);
}

/**
 * A protobuf body for creating or replacing `manifest`, as the JSON bodies of body-arbitrary.ts
 * are made: the manifest in kube's envelope, mutated, damaged byte by byte or cut short, random
 * bytes after the magic, and messages nested deeper than any kind.
 */
export function protobufBody(manifest: Record<string, unknown>): fc.Arbitrary<FuzzBody> {
  const valid = protobufOf(manifest);
  const body = (label: string) => (bytes: Buffer) => ({ label, bytes });
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(valid).map(body('protobuf manifest')) },
    {
      weight: 4,
      arbitrary: fc
        .record({
          path: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
          replacement: fc.oneof(
            fc.jsonValue({ maxDepth: 2 }),
            fc.constantFrom('', 0, -1, 2 ** 31, 'x'.repeat(300)),
          ),
          remove: fc.boolean(),
        })
        .map(({ path, replacement, remove }) => protobufOf(mutate(manifest, path, replacement, remove)))
        .map(body('mutated protobuf manifest')),
    },
    {
      weight: 4,
      arbitrary: fc
        .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })
        .map((edits) => {
          const copy = Buffer.from(valid);
          for (const [at, byte] of edits) copy[at % copy.length] = byte;
          return copy;
        })
        .map(body('protobuf with damaged bytes')),
    },
    {
      weight: 2,
      arbitrary: fc
        .nat()
        .map((cut) => valid.subarray(0, cut % valid.length))
        .map(body('protobuf cut short')),
    },
    {
      weight: 2,
      arbitrary: fc
        .uint8Array({ maxLength: 300 })
        .map((tail) => Buffer.concat([MAGIC, tail]))
        .map(body('random bytes after the magic')),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({
          depth: fc.constantFrom(100, 5000, 100_000),
          shape: fc.constantFrom('messages' as const, 'groups' as const),
          kind: fc.constantFrom(String(manifest.kind), 'Status', 'DeleteOptions'),
        })
        .map(({ depth, shape, kind }) => envelope(kind, deepRaw(depth, shape)))
        .map(body('deeply nested protobuf')),
    },
  );
}
