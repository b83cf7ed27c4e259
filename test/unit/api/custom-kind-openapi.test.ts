import { componentSchemasOf } from '../../../lib/api/openapi/kind-schemas';
import { definitionNameOf } from '../../../lib/api/openapi/schema-names';
import { customKindsOf } from '../../../lib/crd/custom-kind';

/** A custom kind's published OpenAPI schema, as kubectl reads it to patch and explain. */
describe("a custom kind's OpenAPI schema", () => {
  const [kind] = customKindsOf({
    metadata: { name: 'routes.example.com' },
    spec: {
      group: 'example.com',
      names: { plural: 'routes', kind: 'Route' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: 'A route.',
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: { type: 'object', properties: { host: { type: 'string' } } },
              },
            },
          },
        },
      ],
    },
  });
  const schemas = componentSchemasOf(kind);
  const root = schemas[definitionNameOf(kind)] as {
    description: string;
    properties: Record<string, unknown>;
  };

  it("keeps ObjectMeta as metadata over the CRD's own `metadata: {type: object}`, so kubectl finds annotations", () => {
    expect(JSON.stringify(root.properties.metadata)).not.toBe(JSON.stringify({ type: 'object' }));
    const resolved = JSON.stringify({ metadata: root.properties.metadata, schemas });
    expect(resolved).toContain('"annotations"');
  });

  it("publishes the CRD's own fields and description beside the envelope", () => {
    expect(root.description).toBe('A route.');
    expect(root.properties.spec).toEqual({ type: 'object', properties: { host: { type: 'string' } } });
    expect(Object.keys(root.properties).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
  });
});
