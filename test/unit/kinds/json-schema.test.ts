import { z } from 'zod';
import { DeploymentKind } from '../../../lib/kinds/deployment';
import { KINDS } from '../../../lib/kinds/registry';
import { NodeKind } from '../../../lib/kinds/node';
import { PodKind } from '../../../lib/kinds/pod';

type Schema = { [keyword: string]: unknown; properties?: Record<string, Schema>; items?: Schema };

function inputSchemaOf(kind: (typeof KINDS)[number]): Schema {
  return z.toJSONSchema(kind.schema, { io: 'input', unrepresentable: 'any' }) as Schema;
}

/** Follows `a.b[].c` through properties and items. */
function at(schema: Schema, path: string): Schema {
  let node = schema;
  for (const segment of path.split('.')) {
    const isList = segment.endsWith('[]');
    const name = isList ? segment.slice(0, -2) : segment;
    const next = node.properties?.[name];
    if (!next) throw new Error(`no ${name} in schema at ${path}`);
    node = isList ? next.items! : next;
  }
  return node;
}

const mergeBy = (key: string, strategy = 'merge') => ({
  'x-kubernetes-patch-merge-key': key,
  'x-kubernetes-patch-strategy': strategy,
});

describe('kind JSON Schemas (for strategic merge patch and OpenAPI)', () => {
  it.each(KINDS.map((kind) => [kind.kind, kind] as const))(
    'derives the input schema of %s',
    (_name, kind) => {
      expect(inputSchemaOf(kind)).toMatchObject({ type: 'object' });
    },
  );

  const pod = 'spec.template.spec';
  it.each([
    [`${pod}.containers`, mergeBy('name')],
    [`${pod}.initContainers`, mergeBy('name')],
    [`${pod}.containers[].env`, mergeBy('name')],
    [`${pod}.containers[].ports`, mergeBy('containerPort')],
    [`${pod}.containers[].volumeMounts`, mergeBy('mountPath')],
    [`${pod}.volumes`, mergeBy('name', 'merge,retainKeys')],
    [`${pod}.imagePullSecrets`, mergeBy('name')],
    ['status.conditions', mergeBy('type')],
    ['metadata.ownerReferences', mergeBy('uid')],
    ['metadata.finalizers', { 'x-kubernetes-patch-strategy': 'merge' }],
    ['spec.strategy', { 'x-kubernetes-patch-strategy': 'retainKeys' }],
    ['spec.strategy.rollingUpdate.maxSurge', { 'x-kubernetes-int-or-string': true }],
  ])("publishes kube's patch metadata on the Deployment's %s", (path, extensions) => {
    expect(at(inputSchemaOf(DeploymentKind), path)).toMatchObject(extensions);
  });

  it('publishes no merge key for tolerations (atomic in Kubernetes)', () => {
    expect(at(inputSchemaOf(PodKind), 'spec.tolerations')).not.toHaveProperty('x-kubernetes-patch-merge-key');
  });

  it('publishes merge keys on pod and node status lists', () => {
    expect(at(inputSchemaOf(PodKind), 'status.conditions')).toMatchObject(mergeBy('type'));
    expect(at(inputSchemaOf(NodeKind), 'status.addresses')).toMatchObject(mergeBy('type'));
    expect(at(inputSchemaOf(NodeKind), 'status.conditions')).toMatchObject(mergeBy('type'));
  });

  it('shows the defaults clients may leave out', () => {
    expect(at(inputSchemaOf(DeploymentKind), 'spec.replicas')).toMatchObject({ default: 1 });
    expect(at(inputSchemaOf(PodKind), 'spec.restartPolicy')).toMatchObject({ default: 'Always' });
  });
});
