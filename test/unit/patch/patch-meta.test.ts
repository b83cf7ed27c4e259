import {
  EMPTY_PATCH_META,
  patchMetaFromJsonSchema,
  type JsonSchema,
} from '../../../lib/api/patch/patch-meta';
import { deploymentJsonSchema } from './fixtures/deployment-schema';
import { mergeItemSchema } from './fixtures/merge-item-schema';

describe('patch metadata from a JSON schema', () => {
  const deployment = patchMetaFromJsonSchema(deploymentJsonSchema);
  const podSpec = deployment.field('spec').field('template').field('spec');
  const container = podSpec.field('containers').items();

  it.each([
    ['containers', podSpec.field('containers'), 'name', ['merge']],
    ['initContainers (nullable)', podSpec.field('initContainers'), 'name', ['merge']],
    ['env', container.field('env'), 'name', ['merge']],
    ['ports', container.field('ports'), 'containerPort', ['merge']],
    ['volumeMounts', container.field('volumeMounts'), 'mountPath', ['merge']],
    ['volumes', podSpec.field('volumes'), 'name', ['merge', 'retainKeys']],
    ['ownerReferences', deployment.field('metadata').field('ownerReferences'), 'uid', ['merge']],
    ['finalizers', deployment.field('metadata').field('finalizers'), undefined, ['merge']],
    ['spec.strategy', deployment.field('spec').field('strategy'), undefined, ['retainKeys']],
  ])('reads the merge key and strategies of %s', (_name, meta, mergeKey, strategies) => {
    expect(meta.mergeKey).toBe(mergeKey);
    expect([...meta.strategies].sort()).toEqual(strategies);
  });

  it('leaves tolerations atomic, as k8s.io/api does', () => {
    const tolerations = podSpec.field('tolerations');
    expect(tolerations.mergeKey).toBeUndefined();
    expect(tolerations.strategies.size).toBe(0);
  });

  it('follows $refs into $defs for nested kinds (pod template metadata)', () => {
    expect(
      deployment.field('spec').field('template').field('metadata').field('ownerReferences').mergeKey,
    ).toBe('uid');
  });

  it('uses additionalProperties as the child of a map', () => {
    const resources = container.field('resources').field('limits');
    expect(resources.field('cpu')).toBeDefined();
    expect(resources.field('cpu').strategies.size).toBe(0);
  });

  it('answers empty metadata for fields the schema does not declare', () => {
    expect(podSpec.field('noSuchField')).toBe(EMPTY_PATCH_META);
    expect(podSpec.field('noSuchField').field('deeper').items()).toBe(EMPTY_PATCH_META);
  });

  it('resolves a self-reference (#) in a recursive schema', () => {
    const item = patchMetaFromJsonSchema(mergeItemSchema);
    const nested = item
      .field('mergingList')
      .items()
      .field('mergingList')
      .items()
      .field('retainKeysMergingList');
    expect(nested.mergeKey).toBe('name');
    expect([...nested.strategies].sort()).toEqual(['merge', 'retainKeys']);
  });

  it('reads OpenAPI documents: #/components/schemas refs behind allOf', () => {
    const openApi = {
      components: {
        schemas: {
          'io.k8s.api.core.v1.PodSpec': {
            type: 'object',
            properties: {
              containers: {
                type: 'array',
                items: { allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.Container' }] },
                'x-kubernetes-patch-merge-key': 'name',
                'x-kubernetes-patch-strategy': 'merge',
              },
            },
          },
          'io.k8s.api.core.v1.Container': {
            type: 'object',
            properties: {
              env: {
                type: 'array',
                items: { $ref: '#/components/schemas/io.k8s.api.core.v1.EnvVar' },
                'x-kubernetes-patch-merge-key': 'name',
                'x-kubernetes-patch-strategy': 'merge',
              },
            },
          },
          'io.k8s.api.core.v1.EnvVar': { type: 'object' },
        },
      },
    };
    const podSpecSchema: JsonSchema = {
      allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' }],
    };
    const meta = patchMetaFromJsonSchema(podSpecSchema, openApi);
    expect(meta.field('containers').items().field('env').mergeKey).toBe('name');
  });

  it('reads a draft-07 #/definitions ref with escaped pointer tokens', () => {
    const schema = {
      type: 'object',
      properties: { list: { $ref: '#/definitions/a~1b' } },
      definitions: {
        'a/b': {
          type: 'array',
          'x-kubernetes-patch-merge-key': 'id',
          'x-kubernetes-patch-strategy': 'merge',
        },
      },
    };
    expect(patchMetaFromJsonSchema(schema).field('list').mergeKey).toBe('id');
  });

  it('treats dangling and remote refs as unknown shapes', () => {
    const schema = {
      type: 'object',
      properties: { a: { $ref: '#/$defs/Missing' }, b: { $ref: 'https://example.com/schema.json' } },
    };
    const meta = patchMetaFromJsonSchema(schema);
    expect(meta.field('a').strategies.size).toBe(0);
    expect(meta.field('b').field('x')).toBe(EMPTY_PATCH_META);
  });

  it('survives a $ref cycle without properties', () => {
    const schema = { $ref: '#/$defs/A', $defs: { A: { $ref: '#/$defs/B' }, B: { $ref: '#/$defs/A' } } };
    expect(patchMetaFromJsonSchema(schema).field('x')).toBe(EMPTY_PATCH_META);
  });

  it('gives the empty metadata for boolean schemas', () => {
    expect(patchMetaFromJsonSchema(true)).toBe(EMPTY_PATCH_META);
  });
});
