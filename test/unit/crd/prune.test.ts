import type { JSONSchemaProps } from '../../../lib/crd/schema/json-schema-props';
import { pruneUnknownFields } from '../../../lib/crd/schema/prune';

/**
 * Cases and expected paths from apiextensions-apiserver pkg/apiserver/schema/pruning/
 * algorithm_test.go (TestPrune), rewritten with JSONSchemaProps; `root: false` is kube's
 * isResourceRoot=false.
 */
function prune(
  json: unknown,
  schema: JSONSchemaProps | undefined,
  root = false,
): { object: unknown; pruned: string[] } {
  const object = structuredClone(json);
  const pruned = pruneUnknownFields(object, schema, { isResourceRoot: root });
  return { object, pruned };
}

describe('pruneUnknownFields', () => {
  it('keeps scalars and scalar arrays', () => {
    expect(prune(4, {})).toEqual({ object: 4, pruned: [] });
    expect(prune([1, 2], { items: {} })).toEqual({ object: [1, 2], pruned: [] });
  });

  it('prunes object array items (kube "object array")', () => {
    const schema: JSONSchemaProps = { items: { properties: { a: {}, c: {} } } };
    expect(prune([{ a: 1 }, { b: 1 }, { a: 1, b: 2, c: 3 }], schema)).toEqual({
      object: [{ a: 1 }, {}, { a: 1, c: 3 }],
      pruned: ['[1].b', '[2].b'],
    });
  });

  it('prunes everything without a schema (kube "object array with nil schema")', () => {
    expect(prune([{ a: 1 }, { b: 1 }, { a: 1, b: 2, c: 3 }], undefined)).toEqual({
      object: [{}, {}, {}],
      pruned: ['[0].a', '[1].b', '[2].a', '[2].b', '[2].c'],
    });
  });

  it('prunes nested fields and reports sorted paths (kube "object array object")', () => {
    const schema: JSONSchemaProps = {
      properties: {
        array: { items: { properties: { a: {}, c: {} } } },
        specified: { properties: { a: {}, c: {} } },
      },
    };
    expect(
      prune(
        {
          array: [{ a: 1 }, { b: 1 }, { a: 1, b: 2, c: 3 }],
          unspecified: { a: 1 },
          specified: { a: 1, b: 2, c: 3 },
        },
        schema,
      ),
    ).toEqual({
      object: { array: [{ a: 1 }, {}, { a: 1, c: 3 }], specified: { a: 1, c: 3 } },
      pruned: ['array[1].b', 'array[2].b', 'specified.b', 'unspecified'],
    });
  });

  it('honours x-kubernetes-preserve-unknown-fields, not inherited by additionalProperties (kube "nested x-kubernetes-preserve-unknown-fields")', () => {
    const mapOfSpecified: JSONSchemaProps = { type: 'object', properties: { specified: { type: 'object' } } };
    const schema: JSONSchemaProps = {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      properties: {
        alpha: { type: 'string' },
        beta: { type: 'number' },
        pruning: {
          type: 'object',
          properties: {
            preserving: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            pruning: { type: 'object' },
          },
        },
        preserving: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          properties: {
            preserving: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            preservingUnknownType: { 'x-kubernetes-preserve-unknown-fields': true },
            pruning: { type: 'object' },
          },
        },
        preservingAdditionalPropertiesNotInheritingXPreserveUnknownFields: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          additionalProperties: mapOfSpecified,
        },
        preservingAdditionalPropertiesKeyPruneValues: {
          type: 'object',
          additionalProperties: mapOfSpecified,
        },
      },
    };
    const input = {
      unspecified: 'bar',
      alpha: 'abc',
      beta: 42.0,
      unspecifiedObject: { unspecified: 'bar' },
      pruning: {
        unspecified: 'bar',
        unspecifiedObject: { unspecified: 'bar' },
        pruning: { unspecified: 'bar' },
        apiVersion: 'unknown',
        preserving: { unspecified: 'bar' },
      },
      preserving: {
        unspecified: 'bar',
        unspecifiedObject: { unspecified: 'bar' },
        pruning: { unspecified: 'bar' },
        preserving: { unspecified: 'bar' },
        preservingUnknownType: [{ foo: true }, { bar: true }],
      },
      preservingAdditionalPropertiesNotInheritingXPreserveUnknownFields: {
        foo: { specified: { unspecified: 'bar' }, unspecified: 'bar' },
      },
      preservingAdditionalPropertiesKeyPruneValues: {
        foo: { specified: { unspecified: 'bar' }, unspecified: 'bar' },
      },
    };
    expect(prune(input, schema)).toEqual({
      object: {
        unspecified: 'bar',
        alpha: 'abc',
        beta: 42.0,
        unspecifiedObject: { unspecified: 'bar' },
        pruning: { pruning: {}, preserving: { unspecified: 'bar' } },
        preserving: {
          unspecified: 'bar',
          unspecifiedObject: { unspecified: 'bar' },
          pruning: {},
          preserving: { unspecified: 'bar' },
          preservingUnknownType: [{ foo: true }, { bar: true }],
        },
        preservingAdditionalPropertiesNotInheritingXPreserveUnknownFields: { foo: { specified: {} } },
        preservingAdditionalPropertiesKeyPruneValues: { foo: { specified: {} } },
      },
      pruned: [
        'preserving.pruning.unspecified',
        'preservingAdditionalPropertiesKeyPruneValues.foo.specified.unspecified',
        'preservingAdditionalPropertiesKeyPruneValues.foo.unspecified',
        'preservingAdditionalPropertiesNotInheritingXPreserveUnknownFields.foo.specified.unspecified',
        'preservingAdditionalPropertiesNotInheritingXPreserveUnknownFields.foo.unspecified',
        'pruning.apiVersion',
        'pruning.pruning.unspecified',
        'pruning.unspecified',
        'pruning.unspecifiedObject',
      ],
    });
  });

  it('prunes inside map values with a schema (kube "additionalProperties with schema")', () => {
    const schema: JSONSchemaProps = {
      properties: { a: {}, c: { additionalProperties: { type: 'integer' } } },
    };
    expect(prune({ a: 1, b: 1, c: { a: 1, b: 2, c: { a: 1 } } }, schema)).toEqual({
      object: { a: 1, c: { a: 1, b: 2, c: {} } },
      pruned: ['b', 'c.c.a'],
    });
  });

  it('keeps map keys but prunes their values for a boolean additionalProperties (kube "additionalProperties with bool")', () => {
    const schema: JSONSchemaProps = { properties: { a: {}, c: { additionalProperties: false } } };
    expect(prune({ a: 1, b: 1, c: { a: 1, b: 2, c: { a: 1, apiVersion: 'unknown' } } }, schema)).toEqual({
      object: { a: 1, c: { a: 1, b: 2, c: {} } },
      pruned: ['b', 'c.c.a', 'c.c.apiVersion'],
    });
  });

  describe('at the resource root', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: { spec: { type: 'object', properties: { replicas: { type: 'integer' } } } },
    };

    it('keeps apiVersion, kind and metadata without a schema for them, and reports the rest', () => {
      const object = {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'a', anything: { kept: true } },
        spec: { replicas: 1, foo: 'x' },
        extra: 1,
      };
      expect(prune(object, schema, true)).toEqual({
        object: {
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          metadata: { name: 'a', anything: { kept: true } },
          spec: { replicas: 1 },
        },
        pruned: ['extra', 'spec.foo'],
      });
    });

    it('defaults to the resource root', () => {
      const object = { apiVersion: 'v', kind: 'K', spec: { foo: 1 } };
      expect(pruneUnknownFields(object, schema)).toEqual(['spec.foo']);
      expect(object).toEqual({ apiVersion: 'v', kind: 'K', spec: {} });
    });
  });

  describe('x-kubernetes-embedded-resource (kube "x-kubernetes-embedded-resource")', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          properties: { spec: { type: 'object', properties: { image: { type: 'string' } } } },
        },
      },
    };

    it('keeps the embedded object meta fields whole and prunes its other unknown fields', () => {
      const object = {
        template: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { labels: { a: 'b' }, unspecified: 1 },
          spec: { image: 'nginx', unspecified: true },
          unspecified: 1,
        },
      };
      expect(prune(object, schema)).toEqual({
        object: {
          template: {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { labels: { a: 'b' }, unspecified: 1 },
            spec: { image: 'nginx' },
          },
        },
        pruned: ['template.spec.unspecified', 'template.unspecified'],
      });
    });
  });
});
