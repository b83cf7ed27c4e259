import fc from 'fast-check';
import { stringify } from 'yaml';

/** A request body and the label it is reported under. */
export interface FuzzBody {
  label: string;
  bytes: Buffer;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const body = (label: string) => (bytes: Buffer | string) => ({
  label,
  bytes: typeof bytes === 'string' ? Buffer.from(bytes) : bytes,
});

const jsonValue = fc.jsonValue({ maxDepth: 4 });

/** Replaces, deletes or retypes one field somewhere in `value`, following `path` by index. */
export function mutate(value: unknown, path: number[], replacement: unknown, remove: boolean): unknown {
  if (typeof value !== 'object' || value === null || path.length === 0) return replacement;
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[path[0] % keys.length];
  const copy: Record<string, unknown> = Array.isArray(value)
    ? ([...value] as never)
    : { ...(value as object) };
  if (remove && path.length === 1) delete copy[key];
  else copy[key] = mutate(copy[key], path.slice(1), replacement, remove);
  return copy;
}

/** A manifest with one field replaced, retyped or removed. */
function mutated(manifest: object) {
  return fc
    .record({
      path: fc.array(fc.nat(), { minLength: 1, maxLength: 7 }),
      replacement: fc.oneof(
        jsonValue,
        fc.constantFrom(null, '', -1, 2 ** 31, 2 ** 53 + 1, 1e308, 'x'.repeat(300), '10Gi', '-1', [], {}),
      ),
      remove: fc.boolean(),
    })
    .map(({ path, replacement, remove }) => mutate(manifest, path, replacement, remove));
}

/** Field names in any script, with control characters and lone surrogates among them. */
const oddKey = fc.oneof(
  fc.constantFrom(
    '\u2603',
    '\u{1F600}',
    'é',
    'ключ',
    '键',
    '\u202Eevil',
    '\u0000',
    '\u001b[31m',
    'a\r\nX-Injected: 1',
    '\ud800',
    '"',
    '\\',
    '__proto__',
    'constructor',
    'k'.repeat(5000),
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
);

/** `{"metadata":{"name":...},"<odd key>":1}`, at the top or inside spec, data or metadata.labels. */
function unknownFields(manifest: Record<string, unknown>) {
  return fc
    .record({
      keys: fc.array(oddKey, { minLength: 1, maxLength: 4 }),
      where: fc.constantFrom('top', 'spec', 'metadata', 'labels', 'data'),
    })
    .map(({ keys, where }) => {
      const extra = Object.fromEntries(keys.map((key, i) => [key, i]));
      const copy = structuredClone(manifest);
      const metadata = (copy.metadata ?? {}) as Record<string, unknown>;
      if (where === 'top') Object.assign(copy, extra);
      else if (where === 'metadata') Object.assign(metadata, extra);
      else if (where === 'labels') metadata.labels = Object.fromEntries(keys.map((key) => [key, key]));
      else copy[where] = { ...((copy[where] as object | undefined) ?? {}), ...extra };
      return copy;
    });
}

/** JSON nested `depth` levels deep, alone or as the value of a field of a manifest. */
const deepJson = fc
  .record({
    depth: fc.constantFrom(64, 999, 1000, 1001, 5000, 10_000, 100_000),
    shape: fc.constantFrom('array', 'object', 'mixed'),
    wrapped: fc.boolean(),
    closed: fc.boolean(),
  })
  .map(({ depth, shape, wrapped, closed }) => {
    const open = shape === 'array' ? '[' : shape === 'object' ? '{"a":' : '[{"a":';
    const close = shape === 'array' ? ']' : shape === 'object' ? '}' : '}]';
    const levels = shape === 'mixed' ? Math.ceil(depth / 2) : depth;
    const nested = open.repeat(levels) + '1' + (closed ? close.repeat(levels) : '');
    return `${wrapped ? '{"metadata":{"name":"deep"},"data":{"x":' : ''}${nested}${wrapped ? '}}' : ''}`;
  });

/** Text that is not JSON, or JSON as a careless encoder writes it. */
const notJson = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.constantFrom(
    '',
    ' ',
    '\ufeff{}',
    '{',
    '}',
    '[',
    'null',
    'true',
    '"string"',
    '12',
    'NaN',
    '{"a":NaN}',
    '{"a":Infinity}',
    '{"a":1e999999}',
    '{"a":-0}',
    `{"a":${'9'.repeat(5000)}}`,
    '{"metadata":{"name":"dup"},"metadata":{"name":"dup2"}}',
    '{"__proto__":{"polluted":true},"metadata":{"name":"proto"}}',
    '{"constructor":{"prototype":{"polluted":true}},"metadata":{"name":"ctor"}}',
    "{'single': 'quotes'}",
    '{"a":"\\ud800"}',
    '{"a":"\\u0000"}',
    '{"a":"\\x41"}',
    '/* comment */ {}',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml\n',
    'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
    'k8s\u0000\n\u000f\n\u0002v1\u0012\tConfigMap',
  ),
);

/** Bytes that are not UTF-8. */
const notUtf8 = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(
    Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    Buffer.from([0xc0, 0x80]),
    Buffer.from('{"metadata":{"name":"\xe9"}}', 'latin1'),
    Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
  ),
);

/** A body for creating or replacing `manifest`: the manifest, mutated, with odd fields, or hostile. */
export function objectBody(manifest: Record<string, unknown>): fc.Arbitrary<FuzzBody> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(json(manifest)).map(body('valid manifest')) },
    { weight: 6, arbitrary: mutated(manifest).map(json).map(body('mutated manifest')) },
    { weight: 3, arbitrary: unknownFields(manifest).map(json).map(body('unknown fields in any script')) },
    { weight: 2, arbitrary: jsonValue.map(json).map(body('random JSON')) },
    { weight: 2, arbitrary: deepJson.map(body('deeply nested JSON')) },
    { weight: 2, arbitrary: notJson.map(body('not JSON')) },
    { weight: 1, arbitrary: notUtf8.map(body('not UTF-8')) },
    {
      weight: 1,
      arbitrary: fc.constant(Buffer.from(stringify(manifest))).map(body('the manifest as YAML')),
    },
  );
}

const pointer = fc.oneof(
  fc.constantFrom(
    '',
    '/',
    '/metadata',
    '/metadata/name',
    '/metadata/labels',
    '/metadata/labels/a~1b',
    '/metadata/resourceVersion',
    '/metadata/uid',
    '/metadata/finalizers/-',
    '/spec',
    '/spec/replicas',
    '/spec/containers/0/image',
    '/spec/template/spec/containers/-',
    '/data',
    '/data/x',
    '/status',
    '/kind',
    '/apiVersion',
    '/a/b/c/d',
    '/-',
    '/0',
    '/99999999999',
    '/__proto__/polluted',
    '/constructor/prototype/polluted',
    'no-slash',
    '/~2',
  ),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 5 }).map((parts) => `/${parts.join('/')}`),
);

const jsonPatchOp = fc.record(
  {
    op: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test') },
      { weight: 1, arbitrary: fc.constantFrom('', 'ADD', '_get', 'merge', null, 1) },
    ),
    path: pointer,
    from: pointer,
    value: fc.oneof(jsonValue, fc.constantFrom(null, 'x'.repeat(2000))),
  },
  { requiredKeys: ['op'] },
);

/**
 * A small JSON patch that grows the object geometrically: an entry of `size` bytes, then `copies`
 * copies of /data into itself; 18 copies of 1 KB would build gigabytes.
 */
const copyBomb = fc
  .record({ copies: fc.integer({ min: 2, max: 40 }), size: fc.integer({ min: 1, max: 2048 }) })
  .map(({ copies, size }) => [
    { op: 'add', path: '/data/seed', value: 'x'.repeat(size) },
    ...Array.from({ length: copies }, (_, i) => ({ op: 'copy', from: '/data', path: `/data/c${i}` })),
  ]);

const strategicPatch = fc.oneof(
  fc.constantFrom(
    { $patch: 'replace' },
    { $patch: 'delete' },
    { $patch: 'bogus' },
    { $patch: 1 },
    { spec: { $patch: 'delete' } },
    { spec: { template: { spec: { containers: [{ name: 'app', $patch: 'delete' }] } } } },
    { spec: { template: { spec: { containers: [{ $patch: 'delete' }] } } } },
    { spec: { template: { spec: { containers: [{ name: 'app' }, { name: 'app' }] } } } },
    { spec: { containers: [{ name: 'app', image: 'x', $patch: 'replace' }] } },
    { spec: { containers: { $patch: 'replace' } } },
    { spec: { $retainKeys: ['replicas'] } },
    { spec: { $retainKeys: 'replicas' } },
    { spec: { $setElementOrder: 1 } },
    { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'zz' }] } } } },
    { spec: { '$setElementOrder/containers': 'x' } },
    { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
    { metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } },
    { metadata: { $unknown: 1 } },
    { metadata: { finalizers: [null, 1, {}] } },
  ),
  fc.dictionary(fc.string({ maxLength: 10 }), jsonValue, { maxKeys: 4 }),
);

/** A PATCH body for `mediaType` (json-patch, merge or strategic), or any body at all. */
export function patchBody(manifest: Record<string, unknown>, mediaType: string): fc.Arbitrary<FuzzBody> {
  const mergeLike = fc.oneof(
    { weight: 3, arbitrary: mutated(manifest).map(json).map(body('mutated manifest as patch')) },
    { weight: 2, arbitrary: unknownFields({ metadata: {} }).map(json).map(body('patch with odd fields')) },
    { weight: 2, arbitrary: strategicPatch.map(json).map(body('strategic directives')) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          { metadata: { name: 'renamed' } },
          { metadata: { namespace: 'elsewhere' } },
          { metadata: { resourceVersion: 'garbage' } },
          { metadata: { uid: 'other' } },
          { metadata: null },
          { kind: 'Pod' },
          { apiVersion: 'v2' },
          { status: { phase: 'Running' } },
          null,
          [],
        )
        .map(json)
        .map(body('merge patch of identity fields')),
    },
  );
  const jsonPatch = fc.oneof(
    { weight: 4, arbitrary: fc.array(jsonPatchOp, { maxLength: 6 }).map(json).map(body('JSON patch')) },
    { weight: 1, arbitrary: copyBomb.map(json).map(body('JSON patch copy bomb')) },
  );
  const typed = mediaType.includes('json-patch') ? jsonPatch : mergeLike;
  return fc.oneof(
    { weight: 8, arbitrary: typed },
    { weight: 1, arbitrary: mediaType.includes('json-patch') ? mergeLike : jsonPatch },
    { weight: 1, arbitrary: deepJson.map(body('deeply nested JSON')) },
    { weight: 1, arbitrary: notJson.map(body('not JSON')) },
    { weight: 1, arbitrary: notUtf8.map(body('not UTF-8')) },
  );
}

/** The copy bomb alone, for the object every run keeps for it. */
export const copyBombBody: fc.Arbitrary<FuzzBody> = copyBomb.map(json).map(body('JSON patch copy bomb'));

/** A body on a request that takes none (GET, DELETE): DeleteOptions, or anything. */
export const optionalBody: fc.Arbitrary<FuzzBody | undefined> = fc.oneof(
  { weight: 12, arbitrary: fc.constant(undefined) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        { propagationPolicy: 'Foreground' },
        { propagationPolicy: 'Orphan' },
        { propagationPolicy: 'Sideways' },
        { gracePeriodSeconds: -1 },
        { gracePeriodSeconds: 1e30 },
        { preconditions: { uid: 'not-it' } },
        { preconditions: { resourceVersion: '1' } },
        { preconditions: null },
        { kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All'] },
        { dryRun: 'All' },
      )
      .map(json)
      .map(body('DeleteOptions')),
  },
  { weight: 1, arbitrary: jsonValue.map(json).map(body('random JSON')) },
  { weight: 1, arbitrary: notJson.map(body('not JSON')) },
);
