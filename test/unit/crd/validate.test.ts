import type { JSONSchemaProps } from '../../../lib/crd/schema/json-schema-props';
import { schemaCompileCount, validateAgainstSchema } from '../../../lib/crd/schema/validate';

/**
 * Expected texts come from kube: the field-error shapes from apiextensions-apiserver
 * pkg/apiserver/validation/validation.go (kubeOpenAPIResultToFieldErrors) and its
 * validation_test.go (TestValidateCustomResource, whose expectErrs are quoted verbatim where a
 * case is marked "kube test"), and the detail texts from kube-openapi pkg/validation/errors/
 * schema.go. An error is written as kube's err.Error(): `<field>: <message>`.
 */
function errorsOf(schema: JSONSchemaProps, value: unknown, fieldPath?: string): string[] {
  return validateAgainstSchema(schema, value, { fieldPath })
    .map((c) => `${c.field}: ${c.message}`)
    .sort();
}

const field = (props: JSONSchemaProps): JSONSchemaProps => ({ type: 'object', properties: { field: props } });
const fieldX = (props: JSONSchemaProps): JSONSchemaProps => ({
  type: 'object',
  properties: { fieldX: props },
});

describe('validateAgainstSchema', () => {
  describe('type (kube test "!nullable")', () => {
    const schema = field({ type: 'object' });
    it.each([
      ['foo', `field: Invalid value: "string": field in body must be of type object: "string"`],
      [42, `field: Invalid value: "integer": field in body must be of type object: "integer"`],
      [true, `field: Invalid value: "boolean": field in body must be of type object: "boolean"`],
      [1.2, `field: Invalid value: "number": field in body must be of type object: "number"`],
      [[], `field: Invalid value: "array": field in body must be of type object: "array"`],
      [null, `field: Invalid value: "null": field in body must be of type object: "null"`],
    ])('%j -> %s', (value, expected) => {
      expect(errorsOf(schema, { field: value })).toEqual([expected]);
    });

    it('reports FieldValueTypeInvalid with the JSON type as the bad value', () => {
      expect(validateAgainstSchema(field({ type: 'integer' }), { field: 'x' })).toEqual([
        {
          reason: 'FieldValueTypeInvalid',
          field: 'field',
          message: 'Invalid value: "string": field in body must be of type integer: "string"',
        },
      ]);
    });

    it('accepts an integral number for number and integer', () => {
      expect(errorsOf(field({ type: 'number' }), { field: 3 })).toEqual([]);
      expect(errorsOf(field({ type: 'integer' }), { field: 3.0 })).toEqual([]);
      expect(errorsOf(field({ type: 'integer' }), { field: 3.5 })).toEqual([
        'field: Invalid value: "number": field in body must be of type integer: "number"',
      ]);
    });
  });

  describe('nullable (kube tests "nullable", "nullable and no type")', () => {
    it('admits null and nothing else new', () => {
      const schema = field({ type: 'object', nullable: true });
      expect(errorsOf(schema, { field: null })).toEqual([]);
      expect(errorsOf(schema, { field: 'foo' })).toEqual([
        'field: Invalid value: "string": field in body must be of type object: "string"',
      ]);
    });

    it('without a type accepts anything', () => {
      const schema = field({ nullable: true });
      for (const value of [{}, null, 'foo', 42, true, 1.2, []])
        expect(errorsOf(schema, { field: value })).toEqual([]);
    });

    it('still checks enum on null, as kube-openapi runs the common validator on nil', () => {
      expect(errorsOf(field({ type: 'string', nullable: true, enum: ['a'] }), { field: null })).toEqual([
        // field.Error.ErrorBody (apimachinery v0.32) prints a nil bad value as the string "null".
        'field: Unsupported value: "null": supported values: "a"',
      ]);
    });
  });

  describe('x-kubernetes-int-or-string (kube tests)', () => {
    const schema = field({ 'x-kubernetes-int-or-string': true });
    it.each([
      [null, `field: Invalid value: "null": field in body must be of type integer,string: "null"`],
      [true, `field: Invalid value: "boolean": field in body must be of type integer,string: "boolean"`],
      [1.2, `field: Invalid value: "number": field in body must be of type integer,string: "number"`],
      [{}, `field: Invalid value: "object": field in body must be of type integer,string: "object"`],
      [[], `field: Invalid value: "array": field in body must be of type integer,string: "array"`],
    ])('%j -> %s', (value, expected) => {
      expect(errorsOf(schema, { field: value })).toEqual([expected]);
    });

    it('accepts integers and strings', () => {
      expect(errorsOf(schema, { field: 42 })).toEqual([]);
      expect(errorsOf(schema, { field: '50%' })).toEqual([]);
      expect(errorsOf(schema, {})).toEqual([]);
    });

    it('with nullable accepts null', () => {
      expect(
        errorsOf(field({ 'x-kubernetes-int-or-string': true, nullable: true }), { field: null }),
      ).toEqual([]);
    });
  });

  describe('composites', () => {
    it('anyOf: a composite error on <nil> and the best branch (kube test "nullable, x-kubernetes-int-or-string and user-provided anyOf")', () => {
      const schema = field({
        nullable: true,
        'x-kubernetes-int-or-string': true,
        anyOf: [{ type: 'integer' }, { type: 'string' }],
      });
      for (const value of [null, 42, 'foo']) expect(errorsOf(schema, { field: value })).toEqual([]);
      expect(errorsOf(schema, { field: true })).toEqual(
        [
          `<nil>: Invalid value: "": "field" must validate at least one schema (anyOf)`,
          `field: Invalid value: "boolean": field in body must be of type integer,string: "boolean"`,
          `field: Invalid value: "boolean": field in body must be of type integer: "boolean"`,
        ].sort(),
      );
      expect(errorsOf(schema, { field: [] })).toEqual(
        [
          `<nil>: Invalid value: "": "field" must validate at least one schema (anyOf)`,
          `field: Invalid value: "array": field in body must be of type integer,string: "array"`,
          `field: Invalid value: "array": field in body must be of type integer: "array"`,
        ].sort(),
      );
    });

    it('allOf: "None validated" when no branch passes (kube test "... user-provider allOf")', () => {
      const schema = field({
        nullable: true,
        'x-kubernetes-int-or-string': true,
        allOf: [{ anyOf: [{ type: 'integer' }, { type: 'string' }] }],
      });
      expect(errorsOf(schema, { field: null })).toEqual([]);
      expect(errorsOf(schema, { field: {} })).toEqual(
        [
          `<nil>: Invalid value: "": "field" must validate all the schemas (allOf). None validated`,
          `<nil>: Invalid value: "": "field" must validate at least one schema (anyOf)`,
          `field: Invalid value: "object": field in body must be of type integer,string: "object"`,
          `field: Invalid value: "object": field in body must be of type integer: "object"`,
        ].sort(),
      );
    });

    it('allOf with one failing branch of two has no "None validated"', () => {
      const schema = field({ type: 'integer', allOf: [{ minimum: 1 }, { maximum: 3 }] });
      expect(errorsOf(schema, { field: 5 })).toEqual(
        [
          `<nil>: Invalid value: "": "field" must validate all the schemas (allOf)`,
          'field: Invalid value: 5: field in body should be less than or equal to 3',
        ].sort(),
      );
    });

    it('anyOf of required fields reports the first branch (equal failures: the first is kept)', () => {
      const schema = field({
        type: 'object',
        properties: { a: { type: 'string' }, b: { type: 'string' } },
        anyOf: [{ required: ['a'] }, { required: ['b'] }],
      });
      expect(errorsOf(schema, { field: { a: 'x' } })).toEqual([]);
      expect(errorsOf(schema, { field: {} })).toEqual(
        [
          `<nil>: Invalid value: "": "field" must validate at least one schema (anyOf)`,
          'field.a: Required value',
        ].sort(),
      );
    });

    it('oneOf: none valid, or several valid', () => {
      const schema = field({
        type: 'object',
        properties: { a: { type: 'string' }, b: { type: 'string' } },
        oneOf: [{ required: ['a'] }, { required: ['b'] }],
      });
      expect(errorsOf(schema, { field: { a: 'x' } })).toEqual([]);
      expect(errorsOf(schema, { field: {} })).toEqual(
        [
          `<nil>: Invalid value: "": "field" must validate one and only one schema (oneOf). Found none valid`,
          'field.a: Required value',
        ].sort(),
      );
      expect(errorsOf(schema, { field: { a: 'x', b: 'y' } })).toEqual([
        `<nil>: Invalid value: "": "field" must validate one and only one schema (oneOf). Found 2 valid alternatives`,
      ]);
    });

    it('not', () => {
      const schema = field({
        type: 'object',
        properties: { a: { type: 'string' } },
        not: { required: ['a'] },
      });
      expect(errorsOf(schema, { field: {} })).toEqual([]);
      expect(errorsOf(schema, { field: { a: 'x' } })).toEqual([
        `<nil>: Invalid value: "": "field" must not validate the schema (not)`,
      ]);
    });

    it('names the composite error after the validated value when one is given (status)', () => {
      const schema: JSONSchemaProps = {
        type: 'object',
        properties: { n: { type: 'integer', not: { enum: [3] } } },
      };
      expect(errorsOf(schema, { n: 3 }, 'status')).toEqual([
        `status: Invalid value: "": "n" must not validate the schema (not)`,
      ]);
    });
  });

  describe('required (kube test "required field")', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      required: ['field'],
      properties: { field: { type: 'object', required: ['nested'], properties: { nested: {} } } },
    };
    it('names the missing field', () => {
      expect(errorsOf(schema, { test: 'a' })).toEqual(['field: Required value']);
      expect(errorsOf(schema, { field: {} })).toEqual(['field.nested: Required value']);
    });
    it('is FieldValueRequired', () => {
      expect(validateAgainstSchema(schema, {})[0].reason).toBe('FieldValueRequired');
    });
    it('counts a present null as present, as kube-openapi does', () => {
      expect(errorsOf(schema, { field: { nested: null } })).toEqual([]);
    });
  });

  describe('enum (kube test "enum")', () => {
    const schema = field({
      type: 'object',
      required: ['nestedint', 'nestedstring'],
      properties: {
        nestedint: { type: 'integer', enum: [1, 2] },
        nestedstring: { type: 'string', enum: ['a', 'b'] },
      },
    });
    it('reports missing values as required', () => {
      expect(errorsOf(schema, { field: {} })).toEqual([
        'field.nestedint: Required value',
        'field.nestedstring: Required value',
      ]);
    });
    it('reports both the type and the enum failure, non-strings quoted as JSON', () => {
      expect(errorsOf(schema, { field: { nestedint: 'x', nestedstring: true } })).toEqual(
        [
          `field.nestedint: Invalid value: "string": field.nestedint in body must be of type integer: "string"`,
          `field.nestedint: Unsupported value: "x": supported values: "1", "2"`,
          `field.nestedstring: Invalid value: "boolean": field.nestedstring in body must be of type string: "boolean"`,
          `field.nestedstring: Unsupported value: true: supported values: "a", "b"`,
        ].sort(),
      );
    });
    it('is FieldValueNotSupported', () => {
      expect(validateAgainstSchema(field({ type: 'string', enum: ['a'] }), { field: 'c' })).toEqual([
        {
          reason: 'FieldValueNotSupported',
          field: 'field',
          message: 'Unsupported value: "c": supported values: "a"',
        },
      ]);
    });
  });

  describe('sizes (kube tests "maxProperties", "maxItems", "maxLength")', () => {
    it('maxProperties -> Too many', () => {
      expect(
        validateAgainstSchema(fieldX({ type: 'object', maxProperties: 2 }), {
          fieldX: { a: true, b: true, c: true },
        }),
      ).toEqual([
        { reason: 'FieldValueTooMany', field: 'fieldX', message: 'Too many: 3: must have at most 2 items' },
      ]);
    });
    it('maxItems -> Too many', () => {
      expect(errorsOf(fieldX({ type: 'array', maxItems: 2 }), { fieldX: ['a', 'b', 'c'] })).toEqual([
        'fieldX: Too many: 3: must have at most 2 items',
      ]);
    });
    it('maxItems of 1 still says "items" (field.TooMany in apimachinery v0.32 has no singular)', () => {
      expect(errorsOf(fieldX({ type: 'array', maxItems: 1 }), { fieldX: ['a', 'b'] })).toEqual([
        'fieldX: Too many: 2: must have at most 1 items',
      ]);
    });
    it('maxLength -> Too long, without the value', () => {
      expect(validateAgainstSchema(fieldX({ type: 'string', maxLength: 2 }), { fieldX: 'abc' })).toEqual([
        { reason: 'FieldValueTooLong', field: 'fieldX', message: 'Too long: may not be more than 2 bytes' },
      ]);
    });
    it('maxLength counts characters, not bytes (utf8.RuneCount)', () => {
      expect(errorsOf(fieldX({ type: 'string', maxLength: 2 }), { fieldX: 'éé' })).toEqual([]);
    });
  });

  // errors/schema.go: tooShortMessage, patternFail, min/max(Inc|Exc)Fail, multipleOfFail,
  // minItemsFail, uniqueFail, tooFewProperties; all mapped with field.Invalid(path, err.Value, err.Error()).
  describe('the other keywords -> Invalid value with kube-openapi text', () => {
    it.each<[string, JSONSchemaProps, unknown, string]>([
      [
        'minLength',
        { type: 'string', minLength: 3 },
        'ab',
        `Invalid value: "ab": spec.f in body should be at least 3 chars long`,
      ],
      [
        'pattern',
        { type: 'string', pattern: '^[a-z]+$' },
        'A1',
        `Invalid value: "A1": spec.f in body should match '^[a-z]+$'`,
      ],
      [
        'minimum',
        { type: 'integer', minimum: 1 },
        0,
        'Invalid value: 0: spec.f in body should be greater than or equal to 1',
      ],
      [
        'exclusiveMinimum',
        { type: 'integer', minimum: 1, exclusiveMinimum: true },
        1,
        'Invalid value: 1: spec.f in body should be greater than 1',
      ],
      [
        'maximum',
        { type: 'number', maximum: 1.5 },
        2,
        'Invalid value: 2: spec.f in body should be less than or equal to 1.5',
      ],
      [
        'exclusiveMaximum',
        { type: 'number', maximum: 10, exclusiveMaximum: true },
        10,
        'Invalid value: 10: spec.f in body should be less than 10',
      ],
      [
        'multipleOf',
        { type: 'integer', multipleOf: 5 },
        7,
        'Invalid value: 7: spec.f in body should be a multiple of 5',
      ],
      [
        'minItems',
        { type: 'array', items: { type: 'string' }, minItems: 2 },
        ['a'],
        'Invalid value: 1: spec.f in body should have at least 2 items',
      ],
      [
        'uniqueItems',
        { type: 'array', items: { type: 'string' }, uniqueItems: true },
        ['a', 'a'],
        `Invalid value: "": spec.f in body shouldn't contain duplicates`,
      ],
      [
        'minProperties',
        { type: 'object', minProperties: 1 },
        {},
        'Invalid value: 0: spec.f in body should have at least 1 properties',
      ],
    ])('%s', (_keyword, props, value, message) => {
      const schema: JSONSchemaProps = {
        type: 'object',
        properties: { spec: { type: 'object', properties: { f: props } } },
      };
      expect(validateAgainstSchema(schema, { spec: { f: value } })).toEqual([
        { reason: 'FieldValueInvalid', field: 'spec.f', message },
      ]);
    });

    it('ignores exclusiveMinimum without minimum, as kube does', () => {
      expect(errorsOf(field({ type: 'integer', exclusiveMinimum: true }), { field: -5 })).toEqual([]);
    });

    it('multipleOf tolerates float rounding (swag.IsFloat64AJSONInteger)', () => {
      expect(errorsOf(field({ type: 'number', multipleOf: 0.1 }), { field: 0.3 })).toEqual([]);
    });

    it('does not fail a write on a Go pattern JavaScript cannot compile (Go-only syntax)', () => {
      expect(errorsOf(field({ type: 'string', pattern: '[[:alpha:]]+(?P<x>a)' }), { field: 'b' })).toEqual(
        [],
      );
    });

    it('runs Go-style patterns with a leading (?i)', () => {
      expect(errorsOf(field({ type: 'string', pattern: '(?i)^abc$' }), { field: 'ABC' })).toEqual([]);
    });
  });

  describe('paths', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            items: {
              type: 'array',
              items: {
                type: 'object',
                required: ['name'],
                properties: { name: { type: 'string' }, port: { type: 'integer' } },
              },
            },
            labels: { type: 'object', additionalProperties: { type: 'string' } },
          },
        },
      },
    };

    it('writes list items in brackets (slice_validator.go) and map keys with dots (object_validator.go)', () => {
      expect(
        errorsOf(schema, {
          spec: { items: [{ name: 'a' }, { port: 'x' }], labels: { 'app.kubernetes.io/name': 1 } },
        }),
      ).toEqual(
        [
          'spec.items[1].name: Required value',
          'spec.items[1].port: Invalid value: "string": spec.items[1].port in body must be of type integer: "string"',
          'spec.labels.app.kubernetes.io/name: Invalid value: "integer": spec.labels.app.kubernetes.io/name in body must be of type string: "integer"',
        ].sort(),
      );
    });

    it('prefixes the field, not the message, when validating status on its own (subresources_test.go)', () => {
      const status: JSONSchemaProps = {
        type: 'object',
        properties: { num: { type: 'integer', maximum: 10 } },
      };
      expect(errorsOf(status, { num: 15 }, 'status')).toEqual([
        'status.num: Invalid value: 15: num in body should be less than or equal to 10',
      ]);
    });

    it('treats a numeric map key as a key', () => {
      expect(errorsOf(schema, { spec: { labels: { '0': 1 } } })).toEqual([
        'spec.labels.0: Invalid value: "integer": spec.labels.0 in body must be of type string: "integer"',
      ]);
    });
  });

  describe('formats (strfmt, kept by StripUnsupportedFormatsPostProcess)', () => {
    it('reports a bad value as FieldValueTypeInvalid naming the declared format', () => {
      expect(
        validateAgainstSchema(field({ type: 'string', format: 'date-time' }), { field: 'yesterday' }),
      ).toEqual([
        {
          reason: 'FieldValueTypeInvalid',
          field: 'field',
          message: 'Invalid value: "yesterday": field in body must be of type date-time: "yesterday"',
        },
      ]);
    });

    it('ignores formats kube 1.32 does not know (k8s-short-name came in 1.34)', () => {
      expect(errorsOf(field({ type: 'string', format: 'k8s-short-name' }), { field: 'a-' })).toEqual([]);
      expect(errorsOf(field({ type: 'string', format: 'int-or-string' }), { field: 'anything' })).toEqual([]);
    });

    it('names the format when a non-string misses a formatted type (type.go)', () => {
      expect(errorsOf(field({ type: 'string', format: 'date-time' }), { field: 5 })).toEqual([
        'field: Invalid value: "int64": field in body must be of type date-time: "int64"',
      ]);
      expect(errorsOf(field({ type: 'integer', format: 'date' }), { field: 1.5 })).toEqual([
        'field: Invalid value: "float64": field in body must be of type date: "float64"',
      ]);
    });

    it('drops int32/int64/float/double, which 1.32 does not support (formats.go at v0.32)', () => {
      expect(errorsOf(field({ type: 'integer', format: 'int32' }), { field: 1.5 })).toEqual([
        'field: Invalid value: "number": field in body must be of type integer: "number"',
      ]);
      expect(errorsOf(field({ type: 'integer', format: 'int32' }), { field: 2 ** 40 })).toEqual([]);
    });

    it('prints a map or list bad value with Go syntax, as 1.32 does (%#v)', () => {
      expect(errorsOf(field({ enum: ['a'] }), { field: { b: 1, a: [true, 'x'] } })).toEqual([
        'field: Unsupported value: map[string]interface {}{"a":[]interface {}{true, "x"}, "b":1}: supported values: "a"',
      ]);
    });

    it('lets an array through a formatted string field, as kube-openapi does', () => {
      expect(errorsOf(field({ type: 'string', format: 'date-time' }), { field: [] })).toEqual([]);
    });

    it('accepts valid numeric formats (kube test "numeric formats valid")', () => {
      const schema: JSONSchemaProps = {
        type: 'object',
        properties: {
          intThirtyTwo: { type: 'integer', format: 'int32' },
          intSixtyFour: { type: 'integer', format: 'int64' },
          floatThreeTwo: { type: 'number', format: 'float' },
          floatSixFour: { type: 'number', format: 'double' },
        },
      };
      expect(
        errorsOf(schema, { intThirtyTwo: 0, intSixtyFour: 0, floatThreeTwo: 0, floatSixFour: 1.5 }),
      ).toEqual([]);
    });
  });

  it('compiles a schema once and reuses it, also when the same schema is decoded again', () => {
    const schema = field({ type: 'integer', minimum: 7 });
    const before = schemaCompileCount();
    expect(errorsOf(schema, { field: 7 })).toEqual([]);
    expect(errorsOf(schema, { field: 'x' })).toHaveLength(1);
    expect(errorsOf(JSON.parse(JSON.stringify(schema)) as JSONSchemaProps, { field: 8 })).toEqual([]);
    expect(schemaCompileCount() - before).toBe(1);
    expect(errorsOf(field({ type: 'integer', minimum: 8 }), { field: 7 })).toHaveLength(1);
    expect(schemaCompileCount() - before).toBe(2);
  });
});
