import {
  InvalidPatchError,
  TooManyPatchOperationsError,
  UNPROCESSABLE_PATCH_MESSAGE,
  UnprocessablePatchError,
} from '../../../lib/api/patch/errors';
import { jsonPatch } from '../../../lib/api/patch/json-patch';

const aPod = () => ({
  metadata: { name: 'p', labels: { tier: 'web' } },
  spec: { containers: [{ name: 'c', args: ['a', 'b'] }] },
});

describe('JSON patch (RFC 6902)', () => {
  it.each<[string, object[], unknown]>([
    [
      'adds a key',
      [{ op: 'add', path: '/metadata/labels/env', value: 'prod' }],
      { tier: 'web', env: 'prod' },
    ],
    ['replaces a value', [{ op: 'replace', path: '/metadata/labels/tier', value: 'api' }], { tier: 'api' }],
    ['removes a key', [{ op: 'remove', path: '/metadata/labels/tier' }], {}],
    [
      'applies a passing test',
      [{ op: 'test', path: '/metadata/labels/tier', value: 'web' }],
      { tier: 'web' },
    ],
    [
      'copies a value',
      [{ op: 'copy', from: '/metadata/labels/tier', path: '/metadata/labels/copy' }],
      { tier: 'web', copy: 'web' },
    ],
    [
      'moves a value',
      [{ op: 'move', from: '/metadata/labels/tier', path: '/metadata/labels/role' }],
      { role: 'web' },
    ],
    [
      'unescapes ~1 in a path',
      [{ op: 'add', path: '/metadata/labels/app.kubernetes.io~1name', value: 'x' }],
      { tier: 'web', 'app.kubernetes.io/name': 'x' },
    ],
  ])('%s', (_description, operations, labels) => {
    expect((jsonPatch(aPod(), operations) as ReturnType<typeof aPod>).metadata.labels).toEqual(labels);
  });

  it('appends to a list with -', () => {
    const result = jsonPatch(aPod(), [{ op: 'add', path: '/spec/containers/0/args/-', value: 'c' }]);
    expect((result as ReturnType<typeof aPod>).spec.containers[0].args).toEqual(['a', 'b', 'c']);
  });

  it('does nothing for an empty patch', () => {
    expect(jsonPatch(aPod(), [])).toEqual(aPod());
  });

  describe('operations that cannot apply are unprocessable (422), as in kube-apiserver', () => {
    it.each<[string, object[]]>([
      ['a failed test', [{ op: 'test', path: '/metadata/labels/tier', value: 'api' }]],
      ['a test of a missing path', [{ op: 'test', path: '/metadata/labels/nope', value: 'x' }]],
      ['replacing a missing key', [{ op: 'replace', path: '/metadata/annotations/a', value: 'x' }]],
      ['removing a missing key', [{ op: 'remove', path: '/metadata/labels/nope' }]],
      ['adding under a missing parent', [{ op: 'add', path: '/metadata/annotations/a/b', value: 'x' }]],
      ['adding past the end of a list', [{ op: 'add', path: '/spec/containers/5', value: {} }]],
      ['moving from a missing path', [{ op: 'move', from: '/nope', path: '/x' }]],
      ['a path without a leading slash', [{ op: 'add', path: 'metadata', value: 1 }]],
      ['an unknown op', [{ op: 'frobnicate', path: '/x' }]],
      ["fast-json-patch's private _get op", [{ op: '_get', path: '/metadata' }]],
      ['an add without a value', [{ op: 'add', path: '/x' }]],
      ['a write to __proto__', [{ op: 'add', path: '/__proto__/polluted', value: true }]],
    ])('%s', (_description, operations) => {
      const attempt = () => jsonPatch(aPod(), operations);
      expect(attempt).toThrow(UnprocessablePatchError);
      expect(attempt).toThrow(UNPROCESSABLE_PATCH_MESSAGE);
    });

    it('keeps the cause for the logs', () => {
      try {
        jsonPatch(aPod(), [{ op: 'test', path: '/metadata/labels/tier', value: 'api' }]);
        throw new Error('expected a failure');
      } catch (error) {
        expect((error as UnprocessablePatchError).detail).toMatch(/Test operation failed/);
      }
    });
  });

  it('applies all operations or none', () => {
    const pod = aPod();
    expect(() =>
      jsonPatch(pod, [
        { op: 'add', path: '/metadata/labels/env', value: 'prod' },
        { op: 'test', path: '/metadata/name', value: 'other' },
      ]),
    ).toThrow(UnprocessablePatchError);
    expect(pod).toEqual(aPod());
  });

  it.each<[string, unknown, string]>([
    ['an object body', { op: 'add' }, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
    ['a string body', 'add', 'json: cannot unmarshal string into Go value of type jsonpatch.Patch'],
    [
      'an operation that is not an object',
      [1],
      'json: cannot unmarshal number into Go value of type map[string]*json.RawMessage',
    ],
  ])('refuses %s as a bad request', (_description, operations, message) => {
    expect(() => jsonPatch(aPod(), operations)).toThrow(new InvalidPatchError(message));
  });

  it('refuses more than 10,000 operations', () => {
    const operations = Array.from({ length: 10001 }, () => ({
      op: 'test',
      path: '/metadata/name',
      value: 'p',
    }));
    expect(() => jsonPatch(aPod(), operations)).toThrow(TooManyPatchOperationsError);
  });

  it('leaves the document and the operations as they were', () => {
    const pod = aPod();
    const operations = [
      { op: 'add', path: '/metadata/annotations', value: { a: '1' } },
      { op: 'add', path: '/metadata/annotations/b', value: '2' },
    ];
    const before = structuredClone([pod, operations]);
    jsonPatch(pod, operations);
    expect([pod, operations]).toEqual(before);
  });
});
