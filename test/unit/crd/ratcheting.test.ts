import type { JSONSchemaProps } from '../../../lib/crd/schema/json-schema-props';
import { customResourceCauses } from '../../../lib/crd/schema/prepare-custom-resource';

/**
 * Validation ratcheting (kube's CRDValidationRatcheting): an update is not refused for values it
 * leaves as they were stored, even when the schema no longer accepts them.
 */
const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: 5 },
        replicas: { type: 'integer', minimum: 1 },
        tags: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$' } },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' }, port: { type: 'integer', maximum: 100 } },
          },
        },
        selector: {
          type: 'object',
          required: ['app'],
          properties: { app: { type: 'string' }, tier: { type: 'string' } },
        },
        zones: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
      },
    },
  },
};

function anObject(spec: Record<string, unknown>) {
  return { apiVersion: 'example.com/v1', kind: 'Widget', spec };
}

const stored = anObject({
  name: 'far-too-long',
  replicas: 0,
  tags: ['ok', 'Not-OK'],
  ports: [
    { name: 'http', port: 80 },
    { name: 'admin', port: 9000 },
  ],
  selector: { tier: 'web' },
});

function fieldsOf(causes: ReturnType<typeof customResourceCauses>): string[] {
  return causes.map((cause) => `${cause.field}: ${cause.reason}`);
}

describe('validation ratcheting of custom resource updates', () => {
  it('refuses every invalid value on a create', () => {
    expect(fieldsOf(customResourceCauses(schema, stored))).toEqual([
      'spec.name: FieldValueTooLong',
      'spec.replicas: FieldValueInvalid',
      'spec.tags[1]: FieldValueInvalid',
      'spec.ports[1].port: FieldValueInvalid',
      'spec.selector.app: FieldValueRequired',
    ]);
  });

  it('forgives the values an update leaves as they were stored', () => {
    const next = anObject({ ...stored.spec, zones: ['a'] });

    expect(customResourceCauses(schema, next, stored)).toEqual([]);
  });

  it('refuses a value changed to another invalid one', () => {
    const next = anObject({ ...stored.spec, name: 'still-too-long' });

    expect(fieldsOf(customResourceCauses(schema, next, stored))).toEqual(['spec.name: FieldValueTooLong']);
  });

  it('correlates map-list items by their keys, in any order, and checks new items', () => {
    const next = anObject({
      ...stored.spec,
      ports: [
        { name: 'admin', port: 9000 },
        { name: 'metrics', port: 500 },
        { name: 'http', port: 80 },
      ],
    });

    expect(fieldsOf(customResourceCauses(schema, next, stored))).toEqual([
      'spec.ports[1].port: FieldValueInvalid',
    ]);
  });

  it('checks every item of an atomic list that changed, and none of one that did not', () => {
    const next = anObject({ ...stored.spec, tags: ['ok', 'Not-OK', 'new'] });

    expect(fieldsOf(customResourceCauses(schema, next, stored))).toEqual(['spec.tags[1]: FieldValueInvalid']);
  });

  it('refuses a missing required field once its object changes', () => {
    const next = anObject({ ...stored.spec, selector: { tier: 'db' } });

    expect(fieldsOf(customResourceCauses(schema, next, stored))).toEqual([
      'spec.selector.app: FieldValueRequired',
    ]);
  });

  it("forgives a rule's failure only where the rule's value is unchanged", () => {
    const valid = anObject({ name: 'web', replicas: 20 });
    const unchangedSpec = { ...valid, metadata: { labels: { a: 'b' } } };
    const changedSpec = anObject({ name: 'api', replicas: 20 });
    const rules: JSONSchemaProps = {
      type: 'object',
      properties: {
        metadata: { type: 'object' },
        spec: {
          type: 'object',
          'x-kubernetes-validations': [{ rule: 'self.replicas <= 10', message: 'at most 10 replicas' }],
          properties: { name: { type: 'string' }, replicas: { type: 'integer' } },
        },
      },
    };

    expect(customResourceCauses(rules, unchangedSpec, valid)).toEqual([]);
    expect(customResourceCauses(rules, changedSpec, valid)).toEqual([
      { field: 'spec', reason: 'FieldValueInvalid', message: 'Invalid value: at most 10 replicas' },
    ]);
  });

  it('checks set uniqueness only when the stored object passed it', () => {
    const duplicated = anObject({ name: 'web', replicas: 1, selector: { app: 'a' }, zones: ['a', 'a'] });
    const clean = anObject({ name: 'web', replicas: 1, selector: { app: 'a' }, zones: ['a'] });

    expect(customResourceCauses(schema, anObject({ ...duplicated.spec, replicas: 2 }), duplicated)).toEqual(
      [],
    );
    expect(fieldsOf(customResourceCauses(schema, duplicated, clean))).toEqual([
      'spec.zones[1]: FieldValueDuplicate',
    ]);
  });
});

describe('the checks of a write to /status', () => {
  it('reports the schema only under status, and list uniqueness over the whole object', () => {
    const before = { ...stored, status: { replicas: 1 } };
    const next = { ...before, spec: { ...stored.spec, zones: ['a', 'a'] }, status: { replicas: 'x' } };
    const statusSchema: JSONSchemaProps = {
      ...schema,
      properties: {
        ...schema.properties,
        status: { type: 'object', properties: { replicas: { type: 'integer' } } },
      },
    };

    expect(fieldsOf(customResourceCauses(statusSchema, next, before, 'status'))).toEqual([
      'status.replicas: FieldValueTypeInvalid',
      'spec.zones[1]: FieldValueDuplicate',
    ]);
  });
});
