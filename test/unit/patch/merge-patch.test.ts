import { mergePatch } from '../../../lib/api/patch/merge-patch';

describe('JSON merge patch (RFC 7386)', () => {
  // The examples of RFC 7386 appendix A, then kube-apiserver's handling of nulls in added values.
  it.each<[string, unknown, unknown, unknown]>([
    ['replaces a value', { a: 'b' }, { a: 'c' }, { a: 'c' }],
    ['adds a key', { a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    ['removes a key set to null', { a: 'b' }, { a: null }, {}],
    ['removes only that key', { a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    ['replaces a list', { a: ['b'] }, { a: 'c' }, { a: 'c' }],
    ['replaces with a list', { a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    ['merges nested objects', { a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    ['replaces lists of objects whole', { a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    ['replaces a whole document with a non-object', ['a', 'b'], ['c', 'd'], ['c', 'd']],
    ['turns a document into an object', { a: 'b' }, ['c'], ['c']],
    ['keeps nulls out of an added object', { e: null }, { a: 1 }, { e: null, a: 1 }],
    ['drops nulls inside an added object', {}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    [
      'drops nulls inside objects of an added list, keeps null elements',
      {},
      { a: [{ b: null, c: 1 }, null] },
      { a: [{ c: 1 }, null] },
    ],
    ['treats an empty patch as no change', { a: { b: [1] } }, {}, { a: { b: [1] } }],
  ])('%s', (_description, original, patch, expected) => {
    expect(mergePatch(original, patch)).toEqual(expected);
  });

  it('merges the labels of a stored object', () => {
    const pod = {
      metadata: { name: 'p', labels: { a: '1', b: '2' } },
      spec: { containers: [{ name: 'c' }] },
    };
    expect(mergePatch(pod, { metadata: { labels: { b: null, c: '3' } } })).toEqual({
      metadata: { name: 'p', labels: { a: '1', c: '3' } },
      spec: { containers: [{ name: 'c' }] },
    });
  });

  it('leaves both inputs as they were', () => {
    const original = { a: { b: 1 }, list: [{ x: 1 }] };
    const patch = { a: { b: null, c: { d: null } }, list: [{ y: null }] };
    const before = structuredClone([original, patch]);
    const result = mergePatch(original, patch) as { list: unknown[] };
    expect([original, patch]).toEqual(before);
    expect(result.list).not.toBe(patch.list);
  });
});
