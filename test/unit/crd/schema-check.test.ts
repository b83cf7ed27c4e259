import type { JSONSchemaProps } from '../../../lib/crd/schema/json-schema-props';
import { validateCRDSchema } from '../../../lib/crd/schema/schema-check';

/**
 * The checks kube-apiserver makes of a v1 CRD's schema on create. Messages are quoted from
 * apiextensions-apiserver: pkg/apiserver/schema/validation.go (structural invariants and
 * nested value validations), complete.go (completeness, whose texts also appear in
 * validation_test.go), pkg/apiserver/schema/defaulting/validation.go (defaults) and
 * pkg/apis/apiextensions/validation/validation.go (the OpenAPI keyword rules).
 */
const ROOT = 'spec.versions[0].schema.openAPIV3Schema';

function errorsOf(schema: JSONSchemaProps): string[] {
  return validateCRDSchema(schema, ROOT).map((c) => `${c.field}: ${c.message}`);
}

const withSpec = (spec: JSONSchemaProps): JSONSchemaProps => ({ type: 'object', properties: { spec } });

describe('validateCRDSchema', () => {
  it('accepts a typical structural schema', () => {
    expect(
      errorsOf({
        type: 'object',
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: { type: 'object' },
          spec: {
            type: 'object',
            required: ['image'],
            properties: {
              image: { type: 'string', pattern: '^[a-z./:-]+$' },
              replicas: { type: 'integer', minimum: 0, default: 1 },
              port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
              labels: { type: 'object', additionalProperties: { type: 'string' } },
              template: {
                type: 'object',
                'x-kubernetes-embedded-resource': true,
                'x-kubernetes-preserve-unknown-fields': true,
              },
              ports: {
                type: 'array',
                'x-kubernetes-list-type': 'map',
                'x-kubernetes-list-map-keys': ['name'],
                items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
              },
            },
          },
          status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      }),
    ).toEqual([]);
  });

  describe('structural invariants (schema/validation.go)', () => {
    it.each<[string, JSONSchemaProps, string[]]>([
      [
        'a field without a type',
        withSpec({ type: 'object', properties: { replicas: {} } }),
        [
          `${ROOT}.properties[spec].properties[replicas].type: Required value: must not be empty for specified object fields`,
        ],
      ],
      [
        'array items without a type',
        withSpec({ type: 'object', properties: { list: { type: 'array', items: {} } } }),
        [
          `${ROOT}.properties[spec].properties[list].items.type: Required value: must not be empty for specified array items`,
        ],
      ],
      [
        'an array without items',
        withSpec({ type: 'object', properties: { list: { type: 'array' } } }),
        [`${ROOT}.properties[spec].properties[list].items: Required value: must be specified`],
      ],
      [
        'the root without a type',
        { properties: { spec: { type: 'object' } } },
        [`${ROOT}.type: Required value: must not be empty at the root`],
      ],
      [
        'a root that is not an object',
        { type: 'array', items: { type: 'string' } },
        [`${ROOT}.type: Invalid value: "array": must be object at the root`],
      ],
      [
        'additionalProperties at the root',
        { type: 'object', additionalProperties: { type: 'string' } },
        [`${ROOT}.additionalProperties: Forbidden: must not be used at the root`],
      ],
      [
        'metadata restricting more than name and generateName',
        {
          type: 'object',
          properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } },
        },
        [
          `${ROOT}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
        ],
      ],
      [
        'kind that is not a string',
        { type: 'object', properties: { kind: { type: 'integer' } } },
        [`${ROOT}.properties[kind].type: Invalid value: "integer": must be string`],
      ],
      [
        'an embedded resource that is not an object',
        withSpec({
          type: 'object',
          properties: {
            t: {
              type: 'string',
              'x-kubernetes-embedded-resource': true,
              'x-kubernetes-preserve-unknown-fields': true,
            },
          },
        }),
        [
          `${ROOT}.properties[spec].properties[t].type: Invalid value: "string": must be object if x-kubernetes-embedded-resource is true`,
        ],
      ],
      [
        'an embedded resource without properties',
        withSpec({
          type: 'object',
          properties: { t: { type: 'object', 'x-kubernetes-embedded-resource': true } },
        }),
        [
          `${ROOT}.properties[spec].properties[t].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields`,
        ],
      ],
      [
        'int-or-string with preserve-unknown-fields',
        withSpec({
          type: 'object',
          properties: {
            p: { 'x-kubernetes-int-or-string': true, 'x-kubernetes-preserve-unknown-fields': true },
          },
        }),
        [
          `${ROOT}.properties[spec].properties[p].x-kubernetes-preserve-unknown-fields: Invalid value: true: must be false if x-kubernetes-int-or-string is true`,
        ],
      ],
      [
        'an invalid pattern',
        withSpec({ type: 'object', properties: { s: { type: 'string', pattern: '+' } } }),
        [
          `${ROOT}.properties[spec].properties[s].pattern: Invalid value: "+": must be a valid regular expression, but isn't: error parsing regexp: missing argument to repetition operator: \`+\``,
        ],
      ],
    ])('%s', (_name, schema, expected) => {
      expect(errorsOf(schema)).toEqual(expected);
    });

    it('reports FieldValueRequired for a missing type', () => {
      expect(validateCRDSchema(withSpec({}), ROOT)).toEqual([
        {
          reason: 'FieldValueRequired',
          field: `${ROOT}.properties[spec].type`,
          message: 'Required value: must not be empty for specified object fields',
        },
      ]);
    });

    it('lets int-or-string and preserve-unknown-fields fields go without a type', () => {
      expect(
        errorsOf(
          withSpec({
            type: 'object',
            properties: {
              a: { 'x-kubernetes-int-or-string': true },
              b: { 'x-kubernetes-preserve-unknown-fields': true },
            },
          }),
        ),
      ).toEqual([]);
    });

    it('sorts the causes by their text, as ValidateStructural does', () => {
      expect(errorsOf(withSpec({ type: 'object', properties: { z: {}, a: {} } }))).toEqual([
        `${ROOT}.properties[spec].properties[a].type: Required value: must not be empty for specified object fields`,
        `${ROOT}.properties[spec].properties[z].type: Required value: must not be empty for specified object fields`,
      ]);
    });
  });

  describe('value validations under allOf/anyOf/oneOf/not', () => {
    it('forbids types, defaults, descriptions, nullable and extensions there', () => {
      const schema = withSpec({
        type: 'object',
        properties: { a: { type: 'string' } },
        anyOf: [
          {
            type: 'object',
            description: 'd',
            nullable: true,
            'x-kubernetes-map-type': 'atomic',
            properties: { a: { default: 'x' } },
          },
        ],
      });
      expect(errorsOf(schema)).toEqual([
        `${ROOT}.properties[spec].anyOf[0].description: Forbidden: must be empty to be structural`,
        `${ROOT}.properties[spec].anyOf[0].nullable: Forbidden: must be false to be structural`,
        `${ROOT}.properties[spec].anyOf[0].properties[a].default: Forbidden: must be undefined to be structural`,
        `${ROOT}.properties[spec].anyOf[0].type: Forbidden: must be empty to be structural`,
        `${ROOT}.properties[spec].anyOf[0].x-kubernetes-map-type: Forbidden: must be undefined to be structural`,
      ]);
    });

    it('lets the int-or-string anyOf pattern keep its types', () => {
      expect(
        errorsOf(
          withSpec({
            type: 'object',
            properties: {
              p: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
            },
          }),
        ),
      ).toEqual([]);
    });

    it('requires fields named at the root to exist in the structure (complete.go, validation_test.go)', () => {
      expect(
        errorsOf({
          type: 'object',
          properties: { spec: { type: 'object' } },
          allOf: [{ properties: { foo: {} } }],
        }),
      ).toEqual([
        `${ROOT}.properties[foo]: Required value: because it is defined in ${ROOT}.allOf[0].properties[foo]`,
      ]);
    });

    it('forbids metadata in a nested context', () => {
      expect(
        errorsOf({
          type: 'object',
          properties: { metadata: { type: 'object' } },
          anyOf: [{ properties: { metadata: {} } }],
        }),
      ).toEqual([
        `${ROOT}.anyOf[0].properties[metadata]: Forbidden: must not be specified in a nested context`,
      ]);
    });
  });

  describe('defaults (defaulting/validation.go)', () => {
    it('must validate against their own schema, named below .default', () => {
      expect(
        errorsOf(
          withSpec({ type: 'object', properties: { replicas: { type: 'integer', minimum: 1, default: 0 } } }),
        ),
      ).toEqual([
        `${ROOT}.properties[spec].properties[replicas].default: Invalid value: 0:  in body should be greater than or equal to 1`,
      ]);
    });

    it('must have the right type', () => {
      expect(
        errorsOf(withSpec({ type: 'object', properties: { replicas: { type: 'integer', default: 'one' } } })),
      ).toEqual([
        `${ROOT}.properties[spec].properties[replicas].default: Invalid value: "string":  in body must be of type integer: "string"`,
      ]);
    });

    it('names fields inside an object default', () => {
      expect(
        errorsOf(
          withSpec({
            type: 'object',
            default: { size: 'huge' },
            properties: { size: { type: 'string', enum: ['small', 'large'] } },
          }),
        ),
      ).toEqual([
        `${ROOT}.properties[spec].default.size: Unsupported value: "huge": supported values: "small", "large"`,
      ]);
    });

    it('must be pruned', () => {
      expect(
        errorsOf(
          withSpec({ type: 'object', default: { a: 1, b: 2 }, properties: { a: { type: 'integer' } } }),
        ),
      ).toEqual([
        `${ROOT}.properties[spec].default: Invalid value: map[string]interface {}{"a":1, "b":2}: must not have unknown fields`,
      ]);
    });

    it('are checked only once the schema is structural', () => {
      expect(
        errorsOf(withSpec({ type: 'object', properties: { a: {}, b: { type: 'integer', default: 'x' } } })),
      ).toEqual([
        `${ROOT}.properties[spec].properties[a].type: Required value: must not be empty for specified object fields`,
      ]);
    });

    it('are forbidden in the root metadata', () => {
      expect(
        errorsOf({
          type: 'object',
          properties: {
            metadata: { type: 'object', properties: { name: { type: 'string', default: 'x' } } },
          },
        }),
      ).toEqual([
        `${ROOT}.properties[metadata].properties[name].default: Forbidden: must not be set in top-level metadata`,
      ]);
    });
  });

  describe('OpenAPI keyword rules (apis/apiextensions/validation/validation.go)', () => {
    it.each<[string, JSONSchemaProps, string]>([
      [
        'an unknown type',
        { type: 'float' },
        `.type: Unsupported value: "float": supported values: "array", "boolean", "integer", "number", "object", "string"`,
      ],
      [
        'uniqueItems',
        { type: 'array', items: { type: 'string' }, uniqueItems: true },
        '.uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
      ],
      ['$ref', { type: 'object', $ref: '#/definitions/x' }, '.$ref: Forbidden: $ref is not supported'],
      [
        'properties with additionalProperties',
        { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } },
        '.additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive',
      ],
      [
        'preserve-unknown-fields false',
        { type: 'object', 'x-kubernetes-preserve-unknown-fields': false },
        '.x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined',
      ],
      [
        'a list type on a non-array',
        { type: 'string', 'x-kubernetes-list-type': 'set' },
        '.type: Invalid value: "string": must be array if x-kubernetes-list-type is specified',
      ],
      [
        'a map list without keys',
        {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          items: { type: 'object', properties: { name: { type: 'string' } } },
        },
        '.x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map',
      ],
      [
        'a map key neither required nor defaulted',
        {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', properties: { name: { type: 'string' } } },
        },
        '.items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property',
      ],
      [
        'a CEL rule without a rule',
        { type: 'object', 'x-kubernetes-validations': [{ rule: ' ' }] },
        '.x-kubernetes-validations[0].rule: Required value: rule is not specified',
      ],
    ])('%s', (_name, props, suffix) => {
      expect(errorsOf(withSpec(props))).toContain(`${ROOT}.properties[spec]${suffix}`);
    });

    it('forbids nullable at the root', () => {
      expect(errorsOf({ type: 'object', nullable: true })).toEqual([
        `${ROOT}.nullable: Forbidden: nullable cannot be true at the root`,
      ]);
    });
  });
});
