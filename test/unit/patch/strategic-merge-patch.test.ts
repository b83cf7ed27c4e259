import { InvalidPatchError, UnprocessablePatchError } from '../../../lib/api/patch/errors';
import { EMPTY_PATCH_META, patchMetaFromJsonSchema } from '../../../lib/api/patch/patch-meta';
import { strategicMergePatch } from '../../../lib/api/patch/strategic-merge-patch';
import { mergeItemSchema } from './fixtures/merge-item-schema';

/**
 * Cases follow the semantics of upstream's strategicpatch test suite (patch_test.go), on its
 * MergeItem type: the original, the patch a client sends, and what the server stores.
 */
const mergeItem = patchMetaFromJsonSchema(mergeItemSchema);
const apply = (original: object, patch: object) => strategicMergePatch(original, patch, mergeItem);

type Case = [description: string, original: object, patch: object, expected: object];

describe('strategic merge patch', () => {
  describe('maps', () => {
    it.each<Case>([
      [
        'merges maps recursively',
        { name: '1', simpleMap: { a: '1' } },
        { simpleMap: { b: '2' } },
        { name: '1', simpleMap: { a: '1', b: '2' } },
      ],
      [
        'deletes a key set to null',
        { name: '1', value: '1', other: 'a' },
        { value: null },
        { name: '1', other: 'a' },
      ],
      ['ignores a null for a key that is not there', { name: '1' }, { value: null }, { name: '1' }],
      [
        'drops nulls inside a value it adds',
        {},
        { simpleMap: { a: '1', b: null } },
        { simpleMap: { a: '1' } },
      ],
      ['keeps an emptied map it adds', {}, { complex: { nested: null } }, { complex: {} }],
      [
        'keeps nulls the original already holds',
        { thing: null },
        { nested: { value: 5 } },
        { thing: null, nested: { value: 5 } },
      ],
      ['replaces a value whose type changed', { value: { a: '1' } }, { value: 'x' }, { value: 'x' }],
      [
        'replaces a map with $patch: replace',
        { simpleMap: { a: '1', b: '2' } },
        { simpleMap: { $patch: 'replace', c: '3' } },
        { simpleMap: { c: '3' } },
      ],
      [
        'empties a map with $patch: delete',
        { name: '1', simpleMap: { a: '1' } },
        { simpleMap: { $patch: 'delete' } },
        { name: '1', simpleMap: {} },
      ],
      [
        'replaces the whole object with a top-level $patch: replace',
        { name: '1', value: '2' },
        { $patch: 'replace', other: 'x' },
        { other: 'x' },
      ],
      [
        'does not add a new map that carries $patch',
        { name: '1' },
        { simpleMap: { $patch: 'replace', a: '1' } },
        { name: '1' },
      ],
      [
        'treats an empty patch as no change',
        { name: '1', mergingList: [{ name: 'a' }] },
        {},
        { name: '1', mergingList: [{ name: 'a' }] },
      ],
    ])('%s', (_description, original, patch, expected) => {
      expect(apply(original, patch)).toEqual(expected);
    });

    it('merges any map when there is no schema at all', () => {
      expect(
        strategicMergePatch({ a: { b: 1, c: [1, 2] } }, { a: { d: 2, c: [3] } }, EMPTY_PATCH_META),
      ).toEqual({
        a: { b: 1, c: [3], d: 2 },
      });
    });
  });

  describe('lists with a patch merge key', () => {
    it.each<Case>([
      [
        'merges elements by merge key, keeping elements the patch does not name',
        {
          mergingList: [
            { name: '1', value: '1' },
            { name: '2', value: '2' },
          ],
        },
        { mergingList: [{ name: '2', value: 'b', other: 'x' }] },
        {
          mergingList: [
            { name: '1', value: '1' },
            { name: '2', value: 'b', other: 'x' },
          ],
        },
      ],
      [
        'puts a new element before the server-only elements when no order is given',
        { mergingList: [{ name: '1' }, { name: '2' }] },
        { mergingList: [{ name: '3', value: '3' }] },
        { mergingList: [{ name: '3', value: '3' }, { name: '1' }, { name: '2' }] },
      ],
      [
        'keeps the patch order among the elements it names',
        { mergingList: [{ name: '1' }, { name: '2' }, { name: '3' }] },
        { mergingList: [{ name: '2', value: 'b' }, { name: '4' }] },
        { mergingList: [{ name: '1' }, { name: '2', value: 'b' }, { name: '4' }, { name: '3' }] },
      ],
      [
        'removes the element a $patch: delete element names',
        {
          mergingList: [
            { name: '1', value: '1' },
            { name: '2', value: '2' },
          ],
        },
        { mergingList: [{ name: '1', $patch: 'delete' }] },
        { mergingList: [{ name: '2', value: '2' }] },
      ],
      [
        'removes every duplicate of a deleted merge key',
        { mergingList: [{ name: '1', value: 'a' }, { name: '2' }, { name: '1', value: 'b' }] },
        { mergingList: [{ name: '1', $patch: 'delete' }] },
        { mergingList: [{ name: '2' }] },
      ],
      [
        'replaces the whole list when an element says $patch: replace',
        { mergingList: [{ name: '1' }, { name: '2' }] },
        { mergingList: [{ name: '3', value: '3' }, { $patch: 'replace' }] },
        { mergingList: [{ name: '3', value: '3' }] },
      ],
      [
        'merges lists nested in merged elements',
        { mergingList: [{ name: '1', mergingList: [{ name: 'a', value: '1' }] }] },
        { mergingList: [{ name: '1', mergingList: [{ name: 'a', value: '2' }, { name: 'b' }] }] },
        { mergingList: [{ name: '1', mergingList: [{ name: 'a', value: '2' }, { name: 'b' }] }] },
      ],
      [
        'deletes a field of an element with null',
        { mergingList: [{ name: '1', value: '1', other: 'x' }] },
        { mergingList: [{ name: '1', other: null }] },
        { mergingList: [{ name: '1', value: '1' }] },
      ],
      [
        'adds the list when the original has none',
        { name: 'x' },
        { mergingList: [{ name: '1', value: null }] },
        { name: 'x', mergingList: [{ name: '1' }] },
      ],
      [
        'clears keys missing from $retainKeys inside an element',
        { retainKeysMergingList: [{ name: '1', value: 'a', other: 'b' }] },
        { retainKeysMergingList: [{ name: '1', $retainKeys: ['name', 'value'], value: 'c' }] },
        { retainKeysMergingList: [{ name: '1', value: 'c' }] },
      ],
    ])('%s', (_description, original, patch, expected) => {
      expect(apply(original, patch)).toEqual(expected);
    });

    it.each<[string, object, object, RegExp]>([
      [
        'an element without the merge key',
        { mergingList: [{ name: '1' }] },
        { mergingList: [{ value: 'x' }] },
        /does not contain declared merge key: name/,
      ],
      [
        'an unknown $patch in an element',
        { mergingList: [{ name: '1' }] },
        { mergingList: [{ name: '1', $patch: 'bogus' }] },
        /unknown patch type: bogus/,
      ],
      [
        '$patch: merge in an element',
        { mergingList: [{ name: '1' }] },
        { mergingList: [{ $patch: 'merge' }] },
        /merging lists cannot yet be specified/,
      ],
      [
        'elements of different types',
        { mergingList: [{ name: '1' }] },
        { mergingList: ['x'] },
        /list element types are not identical/,
      ],
    ])('refuses %s as a bad request', (_description, original, patch, message) => {
      expect(() => apply(original, patch)).toThrow(InvalidPatchError);
      expect(() => apply(original, patch)).toThrow(message);
    });

    it('refuses lists of lists as unprocessable, like kube-apiserver (422)', () => {
      expect(() => apply({ mergingIntList: [1] }, { mergingIntList: [[2]] })).toThrow(
        UnprocessablePatchError,
      );
    });
  });

  describe('lists without a strategy', () => {
    it.each<Case>([
      [
        'replaces a list of maps',
        { nonMergingList: [{ name: '1' }, { name: '2' }] },
        { nonMergingList: [{ name: '3' }] },
        { nonMergingList: [{ name: '3' }] },
      ],
      [
        'replaces a list of primitives',
        { nonMergingIntList: [1, 2] },
        { nonMergingIntList: [3] },
        { nonMergingIntList: [3] },
      ],
      ['empties a list', { nonMergingIntList: [1, 2] }, { nonMergingIntList: [] }, { nonMergingIntList: [] }],
      [
        'deletes a list with null',
        { name: '1', nonMergingIntList: [1] },
        { nonMergingIntList: null },
        { name: '1' },
      ],
    ])('%s', (_description, original, patch, expected) => {
      expect(apply(original, patch)).toEqual(expected);
    });
  });

  describe('lists of primitives with strategy merge', () => {
    it.each<Case>([
      [
        'unions the lists, the original order first for items it holds',
        { mergingIntList: [1, 2] },
        { mergingIntList: [2, 3] },
        { mergingIntList: [1, 2, 3] },
      ],
      [
        'puts items new to the list before server-only items, as upstream does',
        { mergingIntList: [1, 2] },
        { mergingIntList: [3] },
        { mergingIntList: [3, 1, 2] },
      ],
      ['deduplicates', { mergingIntList: [1, 1, 2] }, { mergingIntList: [2] }, { mergingIntList: [1, 2] }],
      [
        'deletes items with $deleteFromPrimitiveList',
        { mergingIntList: [1, 2, 3] },
        { '$deleteFromPrimitiveList/mergingIntList': [1, 3] },
        { mergingIntList: [2] },
      ],
      [
        'does not create a list from a deletion list',
        { name: '1' },
        { '$deleteFromPrimitiveList/mergingIntList': [1] },
        { name: '1' },
      ],
      [
        'applies additions, deletions and order together, as kubectl apply sends them',
        { mergingIntList: [1, 2, 3] },
        {
          '$setElementOrder/mergingIntList': [2, 3, 4],
          mergingIntList: [4],
          '$deleteFromPrimitiveList/mergingIntList': [1],
        },
        { mergingIntList: [2, 3, 4] },
      ],
    ])('%s', (_description, original, patch, expected) => {
      expect(apply(original, patch)).toEqual(expected);
    });

    it('refuses a malformed deletion directive', () => {
      expect(() => apply({ mergingIntList: [1] }, { $deleteFromPrimitiveList: [1] })).toThrow(
        'invalid patch format of primitive list',
      );
    });
  });

  describe('$setElementOrder', () => {
    it.each<Case>([
      [
        'reorders a list without changing its elements',
        { mergingList: [{ name: '1' }, { name: '2' }, { name: '3' }] },
        { '$setElementOrder/mergingList': [{ name: '3' }, { name: '1' }, { name: '2' }] },
        { mergingList: [{ name: '3' }, { name: '1' }, { name: '2' }] },
      ],
      [
        'places a new element where the order says',
        { mergingList: [{ name: '1' }, { name: '2' }] },
        {
          '$setElementOrder/mergingList': [{ name: '1' }, { name: '3' }, { name: '2' }],
          mergingList: [{ name: '3' }],
        },
        { mergingList: [{ name: '1' }, { name: '3' }, { name: '2' }] },
      ],
      [
        'keeps server-only elements next to their live neighbours',
        { mergingList: [{ name: '1' }, { name: 'server' }, { name: '2' }] },
        { '$setElementOrder/mergingList': [{ name: '2' }, { name: '1' }] },
        { mergingList: [{ name: 'server' }, { name: '2' }, { name: '1' }] },
      ],
      [
        'orders a list the original does not have',
        {},
        {
          '$setElementOrder/mergingList': [{ name: '2' }, { name: '1' }],
          mergingList: [{ name: '2' }, { name: '1', value: null }],
        },
        { mergingList: [{ name: '2' }, { name: '1' }] },
      ],
      [
        'orders primitives',
        { mergingIntList: [1, 2, 3] },
        { '$setElementOrder/mergingIntList': [3, 2, 1] },
        { mergingIntList: [3, 2, 1] },
      ],
      [
        'ignores deleted elements when checking the order',
        { mergingList: [{ name: '1' }, { name: '2' }] },
        { '$setElementOrder/mergingList': [{ name: '2' }], mergingList: [{ name: '1', $patch: 'delete' }] },
        { mergingList: [{ name: '2' }] },
      ],
    ])('%s', (_description, original, patch, expected) => {
      expect(apply(original, patch)).toEqual(expected);
    });

    it.each<[string, object, string | RegExp]>([
      [
        'a patch list out of order',
        {
          '$setElementOrder/mergingList': [{ name: '1' }, { name: '2' }],
          mergingList: [{ name: '2' }, { name: '1' }],
        },
        /doesn't match \$setElementOrder list/,
      ],
      [
        'a patch element the order does not name',
        { '$setElementOrder/mergingList': [{ name: '1' }], mergingList: [{ name: '3' }] },
        /doesn't match \$setElementOrder list/,
      ],
      [
        'an order that is not a list',
        { '$setElementOrder/mergingList': { name: '1' } },
        'invalid patch format of setElementOrder list',
      ],
      [
        'a directive without a field',
        { $setElementOrder: [] },
        'invalid patch format of setElementOrder list',
      ],
      [
        'an order element without the merge key',
        { '$setElementOrder/mergingList': [{ value: '1' }], mergingList: [{ name: '1' }] },
        /does not contain declared merge key/,
      ],
    ])('refuses %s', (_description, patch, message) => {
      const original = { mergingList: [{ name: '1' }, { name: '2' }] };
      expect(() => apply(original, patch)).toThrow(InvalidPatchError);
      expect(() => apply(original, patch)).toThrow(message);
    });
  });

  describe('$retainKeys', () => {
    const original = { retainKeysMap: { name: 'foo', value: 'bar', other: 'baz' } };

    it.each<[string, object, object]>([
      [
        'clears the keys it does not list',
        { retainKeysMap: { $retainKeys: ['name', 'value'], value: 'bar2' } },
        { retainKeysMap: { name: 'foo', value: 'bar2' } },
      ],
      [
        'accepts null for a key it does not list',
        { retainKeysMap: { $retainKeys: ['name'], other: null } },
        { retainKeysMap: { name: 'foo' } },
      ],
      [
        'adds listed keys the original lacks',
        { retainKeysMap: { $retainKeys: ['simpleMap'], simpleMap: { a: '1' } } },
        { retainKeysMap: { simpleMap: { a: '1' } } },
      ],
    ])('%s', (_description, patch, expected) => {
      expect(apply(original, patch)).toEqual(expected);
    });

    it.each<[string, object]>([
      ['a patched key it does not list', { retainKeysMap: { $retainKeys: ['name'], value: 'x' } }],
      ['a value that is not a list', { retainKeysMap: { $retainKeys: 'name' } }],
    ])('refuses %s', (_description, patch) => {
      expect(() => apply(original, patch)).toThrow(
        new InvalidPatchError('invalid patch format of retainKeys'),
      );
    });
  });

  describe('directives', () => {
    it('refuses an unknown $ directive', () => {
      expect(() => apply({ name: '1' }, { $bogus: 1 })).toThrow(InvalidPatchError);
      expect(() => apply({ name: '1' }, { simpleMap: { $bogus: 1 } })).toThrow(
        /unknown strategic merge patch directive: \$bogus/,
      );
    });

    it('refuses an unknown $patch value in a map', () => {
      expect(() => apply({ simpleMap: {} }, { simpleMap: { $patch: 'bogus' } })).toThrow(
        /unknown patch type: bogus/,
      );
    });

    it('never leaves a directive in a value it adds', () => {
      const result = apply(
        {},
        {
          mergingList: [
            {
              name: '1',
              '$setElementOrder/mergingList': [{ name: 'a' }],
              mergingList: [{ name: 'a' }, { name: 'b', $patch: 'delete' }],
              retainKeysMap: { $retainKeys: ['name'], name: 'x' },
            },
          ],
        },
      );
      expect(result).toEqual({
        mergingList: [{ name: '1', mergingList: [{ name: 'a' }], retainKeysMap: { name: 'x' } }],
      });
    });
  });

  describe('inputs', () => {
    it('refuses a patch that is not a map', () => {
      expect(() => strategicMergePatch({}, [1], mergeItem)).toThrow(InvalidPatchError);
    });

    it('leaves both inputs as they were', () => {
      const original = { mergingList: [{ name: '1', value: 'a' }], simpleMap: { a: '1' } };
      const patch = {
        mergingList: [
          { name: '1', value: 'b' },
          { name: '0', $patch: 'delete' },
        ],
        simpleMap: { a: null },
      };
      const before = structuredClone([original, patch]);
      apply(original, patch);
      expect([original, patch]).toEqual(before);
    });

    it('keeps a __proto__ key as plain data', () => {
      const patch = JSON.parse('{"simpleMap":{"__proto__":{"polluted":true}}}') as object;
      const result = apply({ simpleMap: {} }, patch) as { simpleMap: object };
      expect(Object.getPrototypeOf(result.simpleMap)).toBe(Object.prototype);
      expect(JSON.stringify(result)).toBe('{"simpleMap":{"__proto__":{"polluted":true}}}');
      expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    });
  });
});
