import type { ApiRequest } from '../../../lib/api/http';
import { TYPE_DESCRIPTIONS } from '../../../lib/api/openapi/descriptions';
import { describeSchemas } from '../../../lib/api/openapi/describe-schemas';
import { componentSchemasOf } from '../../../lib/api/openapi/kind-schemas';
import { openApiResponse } from '../../../lib/api/openapi/openapi-routes';
import { definitionNameOf } from '../../../lib/api/openapi/schema-names';
import { BindingKind } from '../../../lib/kinds/binding';
import { EvictionKind } from '../../../lib/kinds/eviction';
import type { KindInfo } from '../../../lib/kinds/kind-info';
import { KINDS, REVIEW_KINDS } from '../../../lib/kinds/registry';
import { ScaleKind } from '../../../lib/kinds/scale';

type Schema = Record<string, unknown>;
type Document = { components: { schemas: Record<string, Schema> } };

const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';

function get(path: string): unknown {
  const request: ApiRequest = { method: 'GET', path, query: {}, headers: {} };
  return JSON.parse(openApiResponse(path, request).body as string);
}

/** Every document /openapi/v3 serves, by group-version path. */
function servedDocuments(): Map<string, Document> {
  const index = get('/openapi/v3') as { paths: Record<string, { serverRelativeURL: string }> };
  return new Map(
    Object.keys(index.paths).map((path) => [path, get(`/openapi/v3/${path}`) as Document] as const),
  );
}

/**
 * Paths (`spec.strategy.rollingUpdate.maxSurge`) of the properties under `schema` that carry no
 * description, following $refs, list items, map values and anyOf/oneOf/allOf branches.
 */
function undescribed(
  schema: Schema,
  components: Record<string, Schema>,
  path = '',
  seen = new Set<Schema>(),
): string[] {
  const ref = schema.$ref;
  const target = typeof ref === 'string' ? components[ref.replace('#/components/schemas/', '')] : schema;
  if (!target || seen.has(target)) return [];
  seen.add(target);
  const missing: string[] = [];
  for (const key of ['anyOf', 'oneOf', 'allOf'])
    for (const branch of (target[key] as Schema[] | undefined) ?? [])
      missing.push(...undescribed(branch, components, path, seen));
  if (typeof target.items === 'object')
    missing.push(...undescribed(target.items as Schema, components, `${path}[]`, seen));
  if (typeof target.additionalProperties === 'object')
    missing.push(...undescribed(target.additionalProperties as Schema, components, `${path}{}`, seen));
  for (const [field, property] of Object.entries((target.properties as Record<string, Schema>) ?? {})) {
    const fieldPath = path ? `${path}.${field}` : field;
    if (typeof property.description !== 'string' || property.description.trim() === '')
      missing.push(fieldPath);
    missing.push(...undescribed(property, components, fieldPath, seen));
  }
  return missing;
}

describe('OpenAPI descriptions', () => {
  const documents = servedDocuments();
  const kindSchemas = [...documents].flatMap(([path, document]) =>
    Object.entries(document.components.schemas)
      .filter(([name]) => name !== STATUS)
      .filter(([, schema]) => schema['x-kubernetes-group-version-kind'])
      .map(([name, schema]) => ({
        label: `${path} ${name}`,
        schema,
        components: document.components.schemas,
      })),
  );

  it('serves a schema for every kind, stored or review', () => {
    const served = new Set(kindSchemas.map(({ label }) => label.split(' ')[1]));
    expect([...KINDS, ...REVIEW_KINDS].map(definitionNameOf).filter((name) => !served.has(name))).toEqual([]);
  });

  it.each(kindSchemas.map((k) => [k.label, k] as const))(
    '%s describes itself and every field',
    (_label, kind) => {
      expect(typeof kind.schema.description).toBe('string');
      // A failure lists every field still to describe: add them under lib/api/openapi/descriptions/.
      expect(undescribed(kind.schema, kind.components)).toEqual([]);
    },
  );

  it('describes deployment.spec.strategy as kubectl explain reads it', () => {
    const deployment = documents.get('apis/apps/v1')!.components.schemas['io.k8s.api.apps.v1.Deployment'];
    const spec = (deployment.properties as Record<string, Schema>).spec;
    const strategy = (spec.properties as Record<string, Schema>).strategy;
    expect(strategy.description).toMatch(/replaced/);
    expect(Object.keys(strategy.properties as Schema).sort()).toEqual(['rollingUpdate', 'type']);
    const rollingUpdate = (strategy.properties as Record<string, Schema>).rollingUpdate;
    expect((rollingUpdate.properties as Record<string, Schema>).maxSurge.description).toMatch(/25%/);
  });

  it('has no description for a type or field that no served schema has (so none goes stale)', () => {
    const used = new Set<string>();
    const kinds: KindInfo[] = [...KINDS, ...REVIEW_KINDS, BindingKind, EvictionKind, ScaleKind];
    for (const kind of kinds)
      describeSchemas(
        componentSchemasOf(kind),
        definitionNameOf(kind),
        kind.kind,
        TYPE_DESCRIPTIONS,
        (type, field) => used.add(field === undefined ? type : `${type}.${field}`),
      );
    const unused = Object.entries(TYPE_DESCRIPTIONS).flatMap(([type, { fields }]) =>
      [type, ...Object.keys(fields).map((field) => `${type}.${field}`)].filter((key) => !used.has(key)),
    );
    expect(unused).toEqual([]);
  });
});

describe('describeSchemas', () => {
  const types = {
    Thing: { description: 'A thing.', fields: { part: { type: 'Part', description: 'Its part.' } } },
    Part: { description: 'A part.', fields: { size: 'How big.' } },
  };

  it('describes fields behind $refs, wrapping the $ref in allOf as OpenAPI 3.0 needs', () => {
    const components: Record<string, Schema> = {
      thing: { type: 'object', properties: { part: { $ref: '#/components/schemas/part' } } },
      part: { type: 'object', properties: { size: { type: 'integer' } } },
    };
    describeSchemas(components, 'thing', 'Thing', types);
    expect(components.thing.description).toBe('A thing.');
    expect((components.thing.properties as Schema).part).toEqual({
      allOf: [{ $ref: '#/components/schemas/part' }],
      description: 'Its part.',
    });
    expect((components.part.properties as Record<string, Schema>).size.description).toBe('How big.');
  });

  it('describes the items of lists and the branches of unions', () => {
    const item = { type: 'object', properties: { size: { type: 'integer' } } };
    const components: Record<string, Schema> = {
      thing: {
        type: 'object',
        properties: { part: { anyOf: [{ type: 'array', items: item }, { type: 'string' }] } },
      },
    };
    describeSchemas(components, 'thing', 'Thing', types);
    expect((item.properties.size as Schema).description).toBe('How big.');
  });
});
