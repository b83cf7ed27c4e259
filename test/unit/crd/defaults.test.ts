import { applyDefaults, pruneNullsWithoutDefaults } from '../../../lib/crd/schema/defaults';
import type { JSONSchemaProps } from '../../../lib/crd/schema/json-schema-props';

/**
 * Cases from apiextensions-apiserver pkg/apiserver/schema/defaulting/algorithm_test.go
 * (TestDefault) and prunenulls_test.go (TestPruneNonNullableNullsWithoutDefaults).
 */
function defaulted(json: unknown, schema: JSONSchemaProps | undefined): unknown {
  const object = structuredClone(json);
  applyDefaults(object, schema);
  return object;
}

describe('applyDefaults', () => {
  it.each<[string, unknown, JSONSchemaProps | undefined, unknown]>([
    ['empty', null, undefined, null],
    ['scalar', 4, { default: 'foo' }, 4],
    ['scalar array', [1, 2], { items: { default: 'foo' } }, [1, 2]],
    [
      'object array',
      [{ a: 1 }, { b: 1 }, { c: 1 }],
      { items: { properties: { a: { default: 'A' }, b: { default: 'B' }, c: { default: 'C' } } } },
      [
        { a: 1, b: 'B', c: 'C' },
        { a: 'A', b: 1, c: 'C' },
        { a: 'A', b: 'B', c: 1 },
      ],
    ],
    [
      'object array object',
      { array: [{ a: 1 }, { b: 2 }], object: { a: 1 }, additionalProperties: { x: { a: 1 }, y: { b: 2 } } },
      {
        properties: {
          array: { items: { properties: { a: { default: 'A' }, b: { default: 'B' } } } },
          object: { properties: { a: { default: 'N' }, b: { default: 'O' } } },
          additionalProperties: {
            additionalProperties: { properties: { a: { default: 'alpha' }, b: { default: 'beta' } } },
          },
          foo: { default: 'bar' },
        },
      },
      {
        array: [
          { a: 1, b: 'B' },
          { a: 'A', b: 2 },
        ],
        object: { a: 1, b: 'O' },
        additionalProperties: { x: { a: 1, b: 'beta' }, y: { a: 'alpha', b: 2 } },
        foo: 'bar',
      },
    ],
    [
      'empty and null',
      [{}, { a: 1 }, { a: 0 }, { a: '' }, { a: null }, { a: [] }, { a: {} }],
      { items: { properties: { a: { default: 'A' } } } },
      [{ a: 'A' }, { a: 1 }, { a: 0 }, { a: '' }, { a: 'A' }, { a: [] }, { a: {} }],
    ],
    [
      'null in nullable list',
      [null],
      { nullable: true, items: { properties: { a: { default: 'A' } } } },
      [null],
    ],
    ['null in non-nullable list', [null], { items: { default: 'A' } }, ['A']],
    [
      'null in nullable object',
      { a: null },
      { properties: { a: { nullable: true, default: 'A' } } },
      { a: null },
    ],
    ['null in non-nullable object', { a: null }, { properties: { a: { default: 'A' } } }, { a: 'A' }],
    [
      'null in nullable object with additionalProperties',
      { a: null },
      { additionalProperties: { nullable: true, default: 'A' } },
      { a: null },
    ],
    [
      'null in non-nullable object with additionalProperties',
      { a: null },
      { additionalProperties: { default: 'A' } },
      { a: 'A' },
    ],
    ['null unknown field', { a: null }, { additionalProperties: true }, { a: null }],
  ])('%s', (_name, json, schema, expected) => {
    expect(defaulted(json, schema)).toEqual(expected);
  });

  it('defaults inside a default it just set (recursion follows the set value)', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: { type: 'object', default: {}, properties: { replicas: { type: 'integer', default: 1 } } },
      },
    };
    expect(defaulted({}, schema)).toEqual({ spec: { replicas: 1 } });
  });

  it('copies defaults, so two objects never share one', () => {
    const schema: JSONSchemaProps = { properties: { tags: { type: 'array', default: ['a'] } } };
    const first = defaulted({}, schema) as { tags: string[] };
    first.tags.push('b');
    expect(defaulted({}, schema)).toEqual({ tags: ['a'] });
    expect(schema.properties?.tags.default).toEqual(['a']);
  });
});

describe('pruneNullsWithoutDefaults', () => {
  it('drops non-nullable nulls that have no default, and keeps the rest (kube "object array")', () => {
    const schema: JSONSchemaProps = {
      items: {
        properties: {
          a: { default: 'A' },
          b: { nullable: true },
          c: { default: 'C', nullable: true },
          d: {},
        },
      },
    };
    const object = [{ a: null }, { b: null }, { c: null }, { d: null }, { e: null }];
    pruneNullsWithoutDefaults(object, schema);
    expect(object).toEqual([{ a: null }, { b: null }, { c: null }, {}, { e: null }]);
  });

  it('leaves null list items and scalars alone', () => {
    const object = [1, null];
    pruneNullsWithoutDefaults(object, undefined);
    expect(object).toEqual([1, null]);
  });

  it('applies to map values through additionalProperties', () => {
    const object = { labels: { a: null, b: 'x' } };
    pruneNullsWithoutDefaults(object, {
      properties: { labels: { additionalProperties: { type: 'string' } } },
    });
    expect(object).toEqual({ labels: { b: 'x' } });
  });
});
