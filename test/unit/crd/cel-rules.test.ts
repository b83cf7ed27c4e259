import type { JSONSchemaProps } from '../../../lib/crd/schema/json-schema-props';
import { customResourceCauses, prepareCustomResource } from '../../../lib/crd/schema/prepare-custom-resource';

/** x-kubernetes-validations as kube-apiserver evaluates them on a written custom resource. */
const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      'x-kubernetes-validations': [{ rule: 'self.minReplicas <= self.maxReplicas' }],
      properties: {
        minReplicas: { type: 'integer' },
        maxReplicas: { type: 'integer' },
        ratio: {
          type: 'number',
          'x-kubernetes-validations': [{ rule: 'self < 1.5', message: 'must be below 1.5' }],
        },
        name: {
          type: 'string',
          'x-kubernetes-validations': [
            {
              rule: "self.matches('^[a-z]+$')",
              messageExpression: "'name ' + self + ' is not lower case letters'",
            },
          ],
        },
        mode: { type: 'string' },
        secret: {
          type: 'string',
          'x-kubernetes-validations': [
            { rule: 'self == oldSelf', message: 'is immutable' },
            {
              rule: "self != 'plain'",
              reason: 'FieldValueForbidden',
              message: 'plain secrets are not allowed',
            },
          ],
        },
        files: {
          type: 'object',
          additionalProperties: { type: 'string', 'x-kubernetes-validations': [{ rule: 'size(self) <= 5' }] },
        },
        limits: {
          type: 'object',
          'x-kubernetes-validations': [
            {
              rule: 'self.cpu > 0',
              fieldPath: '.cpu',
              reason: 'FieldValueRequired',
              message: 'cpu must be set',
            },
          ],
          properties: { cpu: { type: 'integer' } },
        },
        probe: {
          type: 'object',
          'x-kubernetes-validations': [{ rule: 'self.port > 0' }],
          properties: { port: { type: 'integer' } },
        },
      },
      required: ['mode'],
    },
  },
};

const causesOf = (spec: Record<string, unknown>) =>
  prepareCustomResource(
    {
      apiVersion: 'x.dev/v1',
      kind: 'T',
      metadata: { name: 't' },
      spec: { mode: 'a', minReplicas: 1, maxReplicas: 2, ...spec },
    },
    schema,
  ).causes;

test('an object that keeps every rule has no causes', () => {
  expect(
    causesOf({
      minReplicas: 1,
      maxReplicas: 3,
      ratio: 1.2,
      name: 'abc',
      files: { a: 'x' },
      limits: { cpu: 2 },
    }),
  ).toEqual([]);
});

test('a false rule on an object is Invalid at its path, without the value, with the default message', () => {
  expect(causesOf({ minReplicas: 5, maxReplicas: 3 })).toEqual([
    {
      field: 'spec',
      reason: 'FieldValueInvalid',
      message: 'Invalid value: failed rule: self.minReplicas <= self.maxReplicas',
    },
  ]);
});

test('a false rule on a scalar shows the value and the rule message; numbers are doubles, integers ints', () => {
  expect(causesOf({ ratio: 2.5 })).toEqual([
    { field: 'spec.ratio', reason: 'FieldValueInvalid', message: 'Invalid value: 2.5: must be below 1.5' },
  ]);
});

test('messageExpression gives the message; a reason and a fieldPath shape the cause', () => {
  expect(causesOf({ name: 'ABC', secret: 'plain', limits: { cpu: 0 } })).toEqual([
    {
      field: 'spec.name',
      reason: 'FieldValueInvalid',
      message: 'Invalid value: "ABC": name ABC is not lower case letters',
    },
    {
      field: 'spec.secret',
      reason: 'FieldValueForbidden',
      message: 'Forbidden: plain secrets are not allowed',
    },
    { field: 'spec.limits.cpu', reason: 'FieldValueRequired', message: 'Required value: cpu must be set' },
  ]);
});

test('a map entry is named by its key', () => {
  expect(causesOf({ files: { 'index.html': 'too long' } })).toEqual([
    {
      field: 'spec.files[index.html]',
      reason: 'FieldValueInvalid',
      message: 'Invalid value: "too long": failed rule: size(self) <= 5',
    },
  ]);
});

test('a rule that cannot be evaluated is an error naming it; a transition rule waits for an update', () => {
  expect(causesOf({ probe: {}, secret: 'kept' })).toEqual([
    {
      field: 'spec.probe',
      reason: 'FieldValueInvalid',
      message: 'Invalid value: "object": no such key: port evaluating rule: self.port > 0',
    },
  ]);
});

test('a blocking error (a required field missing) keeps the rules from running, as kube says', () => {
  const { causes } = prepareCustomResource(
    { apiVersion: 'x.dev/v1', kind: 'T', metadata: { name: 't' }, spec: { minReplicas: 5, maxReplicas: 3 } },
    schema,
  );
  expect(causes).toEqual([
    expect.objectContaining({ field: 'spec.mode', reason: 'FieldValueRequired' }),
    {
      field: '<nil>',
      reason: 'FieldValueInvalid',
      message:
        'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    },
  ]);
});

describe('transition rules (oldSelf) on update', () => {
  const immutable: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          region: {
            type: 'string',
            'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'region is immutable' }],
          },
          size: {
            type: 'integer',
            'x-kubernetes-validations': [{ rule: 'self >= oldSelf', message: 'size may only grow' }],
          },
          disks: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name'],
            items: {
              type: 'object',
              properties: { name: { type: 'string' }, gb: { type: 'integer' } },
              'x-kubernetes-validations': [{ rule: 'self.gb >= oldSelf.gb' }],
            },
          },
        },
      },
    },
  };
  const spec = (s: Record<string, unknown>) => ({
    apiVersion: 'x.dev/v1',
    kind: 'T',
    metadata: { name: 't' },
    spec: s,
  });

  test('are not run on a create', () => {
    expect(prepareCustomResource(spec({ region: 'eu', size: 1 }), immutable).causes).toEqual([]);
  });

  test('compare each value with the stored one where they correlate, list-map items by their keys', () => {
    const old = spec({
      region: 'eu',
      size: 5,
      disks: [
        { name: 'a', gb: 10 },
        { name: 'b', gb: 10 },
      ],
    });
    const next = spec({
      region: 'us',
      size: 3,
      disks: [
        { name: 'b', gb: 5 },
        { name: 'a', gb: 20 },
        { name: 'c', gb: 1 },
      ],
    });
    expect(customResourceCauses(immutable, next, old)).toEqual([
      {
        field: 'spec.region',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "us": region is immutable',
      },
      { field: 'spec.size', reason: 'FieldValueInvalid', message: 'Invalid value: 3: size may only grow' },
      {
        field: 'spec.disks[0]',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: failed rule: self.gb >= oldSelf.gb',
      },
    ]);
    expect(customResourceCauses(immutable, old, old)).toEqual([]);
  });
});

describe('rules with optionalOldSelf and Kubernetes library functions', () => {
  const schema: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          tier: {
            type: 'string',
            'x-kubernetes-validations': [
              {
                rule: "oldSelf.hasValue() ? self == oldSelf.value() : self != 'legacy'",
                optionalOldSelf: true,
                message: 'tier is set once, and never to legacy',
              },
            ],
          },
          memory: {
            type: 'string',
            'x-kubernetes-validations': [
              { rule: "quantity(self).isLessThan(quantity('64Gi'))", message: 'memory must be under 64Gi' },
            ],
          },
        },
      },
    },
  };
  const anObject = (spec: Record<string, unknown>) => ({ apiVersion: 'x.dev/v1', kind: 'T', spec });

  test('an optionalOldSelf rule runs on a create, with oldSelf empty', () => {
    expect(prepareCustomResource(anObject({ tier: 'legacy' }), schema).causes).toEqual([
      {
        field: 'spec.tier',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "legacy": tier is set once, and never to legacy',
      },
    ]);
    expect(prepareCustomResource(anObject({ tier: 'gold' }), schema).causes).toEqual([]);
  });

  test('and on an update, with oldSelf the stored value', () => {
    expect(customResourceCauses(schema, anObject({ tier: 'silver' }), anObject({ tier: 'gold' }))).toEqual([
      {
        field: 'spec.tier',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "silver": tier is set once, and never to legacy',
      },
    ]);
  });

  test('a rule compares quantities as Kubernetes does', () => {
    expect(prepareCustomResource(anObject({ memory: '32Gi' }), schema).causes).toEqual([]);
    expect(prepareCustomResource(anObject({ memory: '70G' }), schema).causes).toEqual([
      {
        field: 'spec.memory',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "70G": memory must be under 64Gi',
      },
    ]);
  });
});

describe('rules written as Gateway API writes them', () => {
  const routes: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          rules: {
            type: 'array',
            'x-kubernetes-validations': [
              {
                rule: '(self.size() > 0 ? (has(self[0].matches) ? self[0].matches.size() : 0) : 0) < 2',
                message: 'at most one match',
              },
            ],
            items: {
              type: 'object',
              properties: {
                matches: {
                  type: 'array',
                  items: { type: 'object', properties: { service: { type: 'string' } } },
                },
              },
            },
          },
        },
      },
    },
  };
  const service: JSONSchemaProps = {
    type: 'string',
    'x-kubernetes-validations': [
      { rule: 'self.matches(r"""^(?i)\\.?[a-z_][a-z_0-9]*$""")', message: 'bad service' },
    ],
  };
  (
    (
      (routes.properties?.spec.properties?.rules.items as JSONSchemaProps).properties?.matches
        .items as JSONSchemaProps
    ).properties as Record<string, JSONSchemaProps>
  ).service = service;
  const aRoute = (rules: unknown[]) => ({ apiVersion: 'x.dev/v1', kind: 'Route', spec: { rules } });

  test("has() of an indexed value, and RE2's inline flags after ^, evaluate as cel-go evaluates them", () => {
    expect(prepareCustomResource(aRoute([{ matches: [{ service: 'Grpc_Health' }] }]), routes).causes).toEqual(
      [],
    );
    expect(prepareCustomResource(aRoute([{}]), routes).causes).toEqual([]);
    expect(
      prepareCustomResource(aRoute([{ matches: [{ service: 'a' }, { service: 'not a service' }] }]), routes)
        .causes,
    ).toEqual([
      { field: 'spec.rules', reason: 'FieldValueInvalid', message: 'Invalid value: at most one match' },
      {
        field: 'spec.rules[0].matches[1].service',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "not a service": bad service',
      },
    ]);
  });
});
