import type { JSONSchemaProps } from '../../../lib/crd/schema/json-schema-props';
import { listTypeCauses } from '../../../lib/crd/schema/list-type-check';

/**
 * Cases after apiextensions-apiserver pkg/apiserver/schema/listtype/validation_test.go (which
 * checks types and paths); the texts are field.Duplicate / field.Invalid as apimachinery v0.32
 * prints them (maps with Go's %#v).
 */
function errorsOf(schema: JSONSchemaProps, object: unknown): string[] {
  return listTypeCauses(schema, object).map((c) => `${c.field}: ${c.message}`);
}

const set: JSONSchemaProps = { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } };
const mapList = (keys: string[]): JSONSchemaProps => ({
  type: 'array',
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': keys,
  items: {
    type: 'object',
    properties: { a: { type: 'string' }, b: { type: 'string' }, c: { type: 'string' } },
  },
});

describe('listTypeCauses', () => {
  it('reports each repeated set item once, at its second occurrence ("set list with multiple duplicated items")', () => {
    const schema: JSONSchemaProps = { type: 'object', properties: { array: set } };
    expect(errorsOf(schema, { array: ['a', 'a', 'b', 'c', 'd', 'c', 'a'] })).toEqual([
      'array[1]: Duplicate value: "a"',
      'array[5]: Duplicate value: "c"',
    ]);
    expect(listTypeCauses(schema, { array: ['a', 'a'] })[0].reason).toBe('FieldValueDuplicate');
  });

  it('writes map keys in brackets ("set list with items under additionalProperties": root[array][2] there, with a nil root here)', () => {
    expect(errorsOf({ type: 'object', additionalProperties: set }, { array: ['a', 'b', 'a'] })).toEqual([
      '[array][2]: Duplicate value: "a"',
    ]);
    const nested: JSONSchemaProps = {
      type: 'object',
      properties: { spec: { type: 'object', additionalProperties: set } },
    };
    expect(errorsOf(nested, { spec: { byName: ['a', 'a'] } })).toEqual([
      'spec[byName][1]: Duplicate value: "a"',
    ]);
  });

  it('compares compound set items by value', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        s: {
          type: 'array',
          'x-kubernetes-list-type': 'set',
          items: { type: 'object', 'x-kubernetes-map-type': 'atomic' },
        },
      },
    };
    expect(
      errorsOf(schema, {
        s: [
          { x: 1, y: 2 },
          { y: 2, x: 1 },
        ],
      }),
    ).toEqual(['s[1]: Duplicate value: map[string]interface {}{"x":1, "y":2}']);
  });

  it('reports repeated keys of a one-key map list, an item without the key having the empty key', () => {
    const schema: JSONSchemaProps = { type: 'object', properties: { ports: mapList(['a']) } };
    expect(
      errorsOf(schema, {
        ports: [{ a: '0', c: '2' }, { a: '1', c: '1' }, { a: '1', c: '2' }, {}, { c: 'x' }],
      }),
    ).toEqual([
      'ports[2]: Duplicate value: map[string]interface {}{"a":"1"}',
      'ports[4]: Duplicate value: map[string]interface {}{}',
    ]);
  });

  it('compares all keys of a multi-key map list', () => {
    const schema: JSONSchemaProps = { type: 'object', properties: { l: mapList(['a', 'b']) } };
    expect(
      errorsOf(schema, {
        l: [
          { a: '1', b: '1', c: '1' },
          { a: '1', b: '2', c: '2' },
          { a: '1', b: '2', c: '3' },
        ],
      }),
    ).toEqual(['l[2]: Duplicate value: map[string]interface {}{"a":"1", "b":"2"}']);
  });

  it('refuses a map list item that is not an object', () => {
    const schema: JSONSchemaProps = { type: 'object', properties: { l: mapList(['a']) } };
    expect(errorsOf(schema, { l: [{ a: '1' }, 'x'] })).toEqual([
      'l[1]: Invalid value: "x": must be an object for an array of list-type map',
    ]);
  });

  it('descends into items and nested objects, and ignores atomic lists', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            groups: { type: 'array', items: { type: 'object', properties: { tags: set } } },
            plain: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    };
    expect(
      errorsOf(schema, { spec: { groups: [{ tags: ['x'] }, { tags: ['y', 'y'] }], plain: ['a', 'a'] } }),
    ).toEqual(['spec.groups[1].tags[1]: Duplicate value: "y"']);
  });
});
