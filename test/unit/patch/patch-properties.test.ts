import fc from 'fast-check';
import { applyPatch, PATCH_CONTENT_TYPES } from '../../../lib/api/patch/apply-patch';
import {
  InvalidPatchError,
  TooManyPatchOperationsError,
  UnprocessablePatchError,
} from '../../../lib/api/patch/errors';
import { jsonPatch } from '../../../lib/api/patch/json-patch';
import { mergePatch } from '../../../lib/api/patch/merge-patch';
import { EMPTY_PATCH_META, patchMetaFromJsonSchema } from '../../../lib/api/patch/patch-meta';
import { strategicMergePatch } from '../../../lib/api/patch/strategic-merge-patch';
import { deploymentJsonSchema } from './fixtures/deployment-schema';
import { mergeItemSchema } from './fixtures/merge-item-schema';

const metas = [
  EMPTY_PATCH_META,
  patchMetaFromJsonSchema(mergeItemSchema),
  patchMetaFromJsonSchema(deploymentJsonSchema),
];

/** Field names the schemas know, so generated documents reach the merge-by-key paths. */
const fieldKey = fc.constantFrom(
  'name',
  'value',
  'mergingList',
  'mergingIntList',
  'nonMergingList',
  'retainKeysMap',
  'retainKeysMergingList',
  'simpleMap',
  'spec',
  'template',
  'containers',
  'env',
  'finalizers',
  'strategy',
  '__proto__',
  'constructor',
);
const directiveKey = fc.constantFrom(
  '$patch',
  '$retainKeys',
  '$setElementOrder/mergingList',
  '$setElementOrder/mergingIntList',
  '$setElementOrder/containers',
  '$deleteFromPrimitiveList/mergingIntList',
  '$deleteFromPrimitiveList/finalizers',
  '$unknown',
);
const scalar = fc.oneof(
  fc.constantFrom('1', '2', 'a', 'replace', 'delete', 'merge'),
  fc.integer({ min: 0, max: 3 }),
  fc.boolean(),
);

function documents(keys: fc.Arbitrary<string>, withNulls: boolean) {
  return fc.letrec<{ value: unknown; object: Record<string, unknown>; list: unknown[] }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      withNulls ? fc.oneof(scalar, fc.constant(null)) : scalar,
      tie('object'),
      tie('list'),
    ),
    object: fc.dictionary(keys, tie('value'), { maxKeys: 4 }),
    list: fc.array(fc.oneof(tie('object'), scalar), { maxLength: 4 }),
  })).object;
}

const original = documents(fieldKey, true);
const patch = documents(fc.oneof(fieldKey, directiveKey), true);

const isTypedPatchError = (error: unknown) =>
  error instanceof InvalidPatchError ||
  error instanceof UnprocessablePatchError ||
  error instanceof TooManyPatchOperationsError;

function hasDirectiveKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasDirectiveKey);
  if (typeof value !== 'object' || value === null) return false;
  return Object.keys(value).some(
    (key) => key.startsWith('$') || hasDirectiveKey((value as Record<string, unknown>)[key]),
  );
}

describe('patch properties', () => {
  it('a merge patch of {} is the identity', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (document) => {
        expect(mergePatch(document, {})).toEqual(document);
      }),
    );
  });

  it('a strategic merge patch of {} is the identity, whatever the schema', () => {
    fc.assert(
      fc.property(original, fc.constantFrom(...metas), (document, meta) => {
        expect(strategicMergePatch(document, {}, meta)).toEqual(document);
      }),
    );
  });

  it('a strategic merge patch never mutates its inputs, throws only typed errors, and leaves no directive behind', () => {
    fc.assert(
      fc.property(original, patch, fc.constantFrom(...metas), (document, change, meta) => {
        const before = structuredClone([document, change]);
        try {
          const result = strategicMergePatch(document, change, meta);
          expect(hasDirectiveKey(result)).toBe(false);
        } catch (error) {
          if (!isTypedPatchError(error)) throw error;
        }
        expect([document, change]).toEqual(before);
      }),
      { numRuns: 500 },
    );
  });

  it('a merge patch never mutates its inputs', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (document, change) => {
        const before = structuredClone([document, change]);
        mergePatch(document, change);
        expect([document, change]).toEqual(before);
      }),
    );
  });

  it('a JSON patch never mutates its inputs and throws only typed errors', () => {
    const pointer = fc
      .array(
        fc.oneof(
          fc.constantFrom('metadata', 'labels', 'spec', 'containers', '0', '1', '-', '__proto__'),
          fc.string(),
        ),
        {
          maxLength: 3,
        },
      )
      .map((tokens) => tokens.map((token) => `/${token.replace(/~/g, '~0').replace(/\//g, '~1')}`).join(''));
    const operation = fc.record(
      {
        op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', '_get', 'bogus'),
        path: pointer,
        from: pointer,
        value: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: ['op'] },
    );
    const aDocument = fc.constant({
      metadata: { labels: { a: '1' } },
      spec: { containers: [{ name: 'c' }] },
    });
    fc.assert(
      fc.property(aDocument, fc.array(operation, { maxLength: 4 }), (document, operations) => {
        const before = structuredClone([document, operations]);
        try {
          jsonPatch(document, operations);
        } catch (error) {
          if (!isTypedPatchError(error)) throw error;
        }
        expect([document, operations]).toEqual(before);
      }),
      { numRuns: 500 },
    );
  });

  it('applyPatch answers any body with a new object or a typed error', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PATCH_CONTENT_TYPES),
        fc.oneof(fc.json(), fc.string()),
        (contentType, body) => {
          const stored = { metadata: { name: 'x', labels: { a: '1' } } };
          try {
            expect(applyPatch(contentType, stored, body, metas[2])).not.toBe(stored);
          } catch (error) {
            if (!isTypedPatchError(error)) throw error;
          }
          expect(stored).toEqual({ metadata: { name: 'x', labels: { a: '1' } } });
        },
      ),
    );
  });
});
