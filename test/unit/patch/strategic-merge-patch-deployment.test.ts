import { patchMetaFromJsonSchema } from '../../../lib/api/patch/patch-meta';
import { strategicMergePatch } from '../../../lib/api/patch/strategic-merge-patch';
import { deploymentJsonSchema } from './fixtures/deployment-schema';

const deploymentMeta = patchMetaFromJsonSchema(deploymentJsonSchema);

/** A Deployment as the store holds it: what the user applied plus what the server set. */
function aStoredDeployment() {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: '6b0f3a52-1111-4c1e-9d0e-000000000001',
      resourceVersion: '41',
      generation: 3,
      creationTimestamp: '2025-01-01T00:00:00Z',
      labels: { app: 'web' },
      annotations: {
        'deployment.kubernetes.io/revision': '3',
        'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}',
      },
      finalizers: ['example.com/protect'],
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.25',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
              terminationMessagePath: '/dev/termination-log',
              imagePullPolicy: 'IfNotPresent',
            },
            { name: 'mesh-proxy', image: 'proxy:1' },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
          tolerations: [{ key: 'a', operator: 'Exists' }],
          restartPolicy: 'Always',
          dnsPolicy: 'ClusterFirst',
        },
      },
    },
    status: { observedGeneration: 3, replicas: 3, readyReplicas: 3 },
  };
}

type Stored = ReturnType<typeof aStoredDeployment>;
const patchDeployment = (patch: object) =>
  strategicMergePatch(aStoredDeployment(), patch, deploymentMeta) as Stored;
const podSpecOf = (deployment: Stored) => deployment.spec.template.spec;

describe('strategic merge patch on a Deployment', () => {
  it('applies what kubectl apply sends when replicas and the image change', () => {
    const lastApplied =
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"name":"web","namespace":"default"},' +
      '"spec":{"replicas":5,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},' +
      '"spec":{"containers":[{"image":"nginx:1.27","name":"web"}]}}}}\n';
    const body =
      `{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":${JSON.stringify(lastApplied)}}},` +
      '"spec":{"replicas":5,"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],' +
      '"containers":[{"image":"nginx:1.27","name":"web"}]}}}}';
    const patch = JSON.parse(body) as object;

    const expected = aStoredDeployment();
    expected.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] = lastApplied;
    expected.spec.replicas = 5;
    expected.spec.template.spec.containers[0].image = 'nginx:1.27';

    expect(strategicMergePatch(aStoredDeployment(), patch, deploymentMeta)).toEqual(expected);
  });

  it('keeps an injected container where it was when kubectl apply reorders the user containers', () => {
    const result = patchDeployment({
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'web' }] } } },
    });
    expect(podSpecOf(result).containers.map((c) => c.name)).toEqual(['web', 'mesh-proxy']);
  });

  it('adds a container ahead of the existing ones, as kubectl patch does (k8s docs example)', () => {
    const result = patchDeployment({
      spec: { template: { spec: { containers: [{ name: 'redis', image: 'redis' }] } } },
    });
    expect(podSpecOf(result).containers.map((c) => c.name)).toEqual(['redis', 'web', 'mesh-proxy']);
  });

  it('removes a container with $patch: delete', () => {
    const result = patchDeployment({
      spec: { template: { spec: { containers: [{ name: 'mesh-proxy', $patch: 'delete' }] } } },
    });
    expect(podSpecOf(result).containers.map((c) => c.name)).toEqual(['web']);
  });

  it('merges env by name and ports by containerPort inside a container', () => {
    const result = patchDeployment({
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'web',
                '$setElementOrder/env': [{ name: 'A' }, { name: 'C' }],
                env: [
                  { name: 'C', value: '3' },
                  { name: 'B', $patch: 'delete' },
                ],
                ports: [{ containerPort: 80, name: 'http' }],
              },
            ],
          },
        },
      },
    });
    const web = podSpecOf(result).containers[0];
    expect(web.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'C', value: '3' },
    ]);
    expect(web.ports).toEqual([{ containerPort: 80, protocol: 'TCP', name: 'http' }]);
    expect(web.terminationMessagePath).toBe('/dev/termination-log');
  });

  it('drops rollingUpdate when kubectl apply switches the strategy to Recreate ($retainKeys)', () => {
    const result = patchDeployment({ spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
    expect(result.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('swaps a volume source with $retainKeys on the volume element', () => {
    const result = patchDeployment({
      spec: {
        template: {
          spec: {
            volumes: [{ name: 'data', $retainKeys: ['configMap', 'name'], configMap: { name: 'cfg' } }],
          },
        },
      },
    });
    expect(podSpecOf(result).volumes).toEqual([{ name: 'data', configMap: { name: 'cfg' } }]);
  });

  it('replaces tolerations as a whole: the list is atomic', () => {
    const result = patchDeployment({
      spec: { template: { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } } },
    });
    expect(podSpecOf(result).tolerations).toEqual([{ key: 'b', operator: 'Exists' }]);
  });

  it('adds and removes finalizers as a set of primitives', () => {
    const added = patchDeployment({ metadata: { finalizers: ['example.com/other'] } });
    expect(added.metadata.finalizers).toEqual(['example.com/other', 'example.com/protect']);
    const removed = patchDeployment({
      metadata: { '$deleteFromPrimitiveList/finalizers': ['example.com/protect'] },
    });
    expect(removed.metadata.finalizers).toEqual([]);
  });

  it('merges ownerReferences by uid', () => {
    const owner = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u-1' };
    const once = strategicMergePatch(
      aStoredDeployment(),
      { metadata: { ownerReferences: [owner] } },
      deploymentMeta,
    );
    const twice = strategicMergePatch(
      once,
      {
        metadata: {
          ownerReferences: [
            { uid: 'u-1', name: 'renamed' },
            { ...owner, uid: 'u-2' },
          ],
        },
      },
      deploymentMeta,
    ) as Stored & { metadata: { ownerReferences: { uid: string; name: string }[] } };
    expect(twice.metadata.ownerReferences.map((o) => [o.uid, o.name])).toEqual([
      ['u-1', 'renamed'],
      ['u-2', 'owner'],
    ]);
  });

  it('merges nodeSelector as a map and deletes a label with null', () => {
    const result = patchDeployment({
      metadata: { labels: { app: null, tier: 'front' } },
      spec: { template: { spec: { nodeSelector: { disk: 'ssd' } } } },
    }) as Stored & { spec: { template: { spec: { nodeSelector: object } } } };
    expect(result.metadata.labels).toEqual({ tier: 'front' });
    expect(result.spec.template.spec.nodeSelector).toEqual({ disk: 'ssd' });
  });

  it('merges initContainers by name though the schema wraps the list as nullable', () => {
    const stored = aStoredDeployment() as Stored & {
      spec: { template: { spec: { initContainers?: object[] } } };
    };
    stored.spec.template.spec.initContainers = [{ name: 'init', image: 'busybox' }];
    const result = strategicMergePatch(
      stored,
      { spec: { template: { spec: { initContainers: [{ name: 'migrate', image: 'app' }] } } } },
      deploymentMeta,
    ) as typeof stored;
    expect(result.spec.template.spec.initContainers).toEqual([
      { name: 'migrate', image: 'app' },
      { name: 'init', image: 'busybox' },
    ]);
  });
});
