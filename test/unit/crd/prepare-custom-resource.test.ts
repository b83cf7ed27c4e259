import type { JSONSchemaProps } from '../../../lib/crd/schema/json-schema-props';
import { prepareCustomResource } from '../../../lib/crd/schema/prepare-custom-resource';

/**
 * The order kube-apiserver runs a written custom resource through its schema
 * (apiextensions-apiserver pkg/apiserver/customresource_handler.go: the schema-coercing decoder
 * prunes and drops non-nullable nulls without defaults, the codec defaults, the strategy validates).
 */
const widgetSchema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['image'],
      properties: {
        image: { type: 'string' },
        replicas: { type: 'integer', minimum: 1, default: 1 },
        port: { 'x-kubernetes-int-or-string': true, default: 'http' },
        note: { type: 'string', nullable: true },
        size: { type: 'string', enum: ['small', 'large'] },
        config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
    status: { type: 'object', properties: { ready: { type: 'boolean' } } },
  },
};

const aWidget = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w' },
  spec,
  ...extra,
});

describe('prepareCustomResource', () => {
  it('prunes unknown fields, applies defaults and validates, leaving the input untouched', () => {
    const input = aWidget({ image: 'nginx', typo: 1, config: { anything: { goes: true } } }, { extra: true });
    const result = prepareCustomResource(input, widgetSchema);
    expect(result).toEqual({
      object: aWidget({ image: 'nginx', replicas: 1, port: 'http', config: { anything: { goes: true } } }),
      unknownFields: ['extra', 'spec.typo'],
      causes: [],
    });
    expect(input.spec).toHaveProperty('typo', 1);
  });

  it('defaults a null non-nullable field and keeps a nullable null', () => {
    const { object, causes } = prepareCustomResource(
      aWidget({ image: 'nginx', replicas: null, note: null }),
      widgetSchema,
    );
    expect(causes).toEqual([]);
    expect(object).toEqual(aWidget({ image: 'nginx', replicas: 1, port: 'http', note: null }));
  });

  it('drops a null without a default before validation, so it is not a type error', () => {
    const { object, causes } = prepareCustomResource(aWidget({ image: 'nginx', size: null }), widgetSchema);
    expect(causes).toEqual([]);
    expect(object).toEqual(aWidget({ image: 'nginx', replicas: 1, port: 'http' }));
  });

  it('validates the defaulted object, so a required field left out is reported', () => {
    const { causes } = prepareCustomResource(
      aWidget({ replicas: 0, size: 'medium', port: 8080 }),
      widgetSchema,
    );
    expect(causes.map((c) => `${c.field}: ${c.message}`).sort()).toEqual([
      'spec.image: Required value',
      'spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
      'spec.size: Unsupported value: "medium": supported values: "small", "large"',
    ]);
  });

  it('keeps everything with preserveUnknownFields, and still defaults', () => {
    const { object, unknownFields } = prepareCustomResource(aWidget({ image: 'x', typo: 1 }), widgetSchema, {
      preserveUnknownFields: true,
    });
    expect(unknownFields).toEqual([]);
    expect(object).toEqual(aWidget({ image: 'x', typo: 1, replicas: 1, port: 'http' }));
  });
});

describe('prepareCustomResource and list types', () => {
  it('reports duplicate set items after the schema errors, as the strategy does', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: { tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } } },
        },
      },
    };
    expect(prepareCustomResource(aWidget({ tags: ['a', 'a'] }), schema).causes).toEqual([
      { reason: 'FieldValueDuplicate', field: 'spec.tags[1]', message: 'Duplicate value: "a"' },
    ]);
  });
});

describe('prepareCustomResource and embedded resources', () => {
  const schema: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          template: {
            type: 'object',
            'x-kubernetes-embedded-resource': true,
            properties: { spec: { type: 'object', properties: { image: { type: 'string' } } } },
          },
        },
      },
    },
  };

  it('drops unknown embedded metadata fields and a null creationTimestamp (objectmeta/algorithm.go), reporting them', () => {
    const template = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'p',
        creationTimestamp: null,
        colour: 'red',
        ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u', extra: 1 }],
      },
      spec: { image: 'nginx', typo: 1 },
    };
    const { object, unknownFields, causes } = prepareCustomResource(aWidget({ template }), schema);
    expect(causes).toEqual([]);
    expect(unknownFields).toEqual([
      'spec.template.spec.typo',
      'spec.template.metadata.colour',
      'spec.template.metadata.ownerReferences[0].extra',
    ]);
    expect(object).toEqual(
      aWidget({
        template: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p', ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u' }] },
          spec: { image: 'nginx' },
        },
      }),
    );
  });

  it('reports an embedded object without apiVersion and kind', () => {
    expect(prepareCustomResource(aWidget({ template: { spec: {} } }), schema).causes).toEqual([
      {
        reason: 'FieldValueRequired',
        field: 'spec.template.apiVersion',
        message: 'Required value: must not be empty',
      },
      {
        reason: 'FieldValueRequired',
        field: 'spec.template.kind',
        message: 'Required value: must not be empty',
      },
    ]);
  });
});
