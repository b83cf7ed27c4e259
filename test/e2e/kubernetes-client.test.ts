import { readFileSync } from 'node:fs';
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
} from '@kubernetes/client-node';
import { parse } from 'yaml';
import { startLocalControlPlane, type LocalControlPlane } from '../../lib/local/local-control-plane';
import { retryOnConflict } from '../support/retry-on-conflict';

/** Reads a manifest from examples/ as a client would. */
function example(file: string): V1Deployment {
  return parse(readFileSync(`examples/${file}`, 'utf8')) as V1Deployment;
}

function statusCodeOf(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

describe('the local API, through @kubernetes/client-node', () => {
  let plane: LocalControlPlane;
  let apps: AppsV1Api;
  let core: CoreV1Api;
  let objects: KubernetesObjectApi;

  beforeAll(async () => {
    // The API alone: these tests write what controllers would otherwise also write (status).
    plane = await startLocalControlPlane({ port: 0, controllers: [] });
    const config = new KubeConfig();
    config.loadFromOptions({
      clusters: [{ name: 'skiff', server: plane.url, skipTLSVerify: true }],
      users: [{ name: 'local' }],
      contexts: [{ name: 'skiff', cluster: 'skiff', user: 'local', namespace: 'default' }],
      currentContext: 'skiff',
    });
    apps = config.makeApiClient(AppsV1Api);
    core = config.makeApiClient(CoreV1Api);
    objects = KubernetesObjectApi.makeApiClient(config);
  });
  afterAll(() => plane.stop());

  it('has the default namespace from the start', async () => {
    const namespaces = await core.listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name)).toEqual(
      expect.arrayContaining(['default', 'kube-system']),
    );
  });

  it('applies the example Deployment, then a changed replica count and image, as kubectl apply does', async () => {
    const manifest = example('deployment.yaml');
    const created = await objects.create(manifest);
    expect(created.metadata?.uid).toBeDefined();
    expect(created.spec?.strategy?.rollingUpdate?.maxSurge).toBe('25%');

    const changed = structuredClone(manifest);
    changed.spec!.replicas = 5;
    changed.spec!.template.spec!.containers[0].image = 'nginx:1.28';
    const patched = await objects.patch(
      changed,
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.StrategicMergePatch,
    );
    expect(patched.spec?.replicas).toBe(5);
    expect(patched.spec?.template.spec?.containers).toHaveLength(1);
    expect(patched.spec?.template.spec?.containers[0].image).toBe('nginx:1.28');
    expect(patched.spec?.template.spec?.containers[0].ports?.[0].containerPort).toBe(80);
    expect(patched.metadata?.generation).toBe(2);

    const read = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    expect(read).toEqual(patched);
  });

  it('lists with a label selector and pages with limit and continue', async () => {
    for (const name of ['a', 'b', 'c'])
      await core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: `paged-${name}`, labels: { suite: 'paging' } }, data: { name } },
      });
    const first = await core.listNamespacedConfigMap({
      namespace: 'default',
      labelSelector: 'suite=paging',
      limit: 2,
    });
    expect(first.items.map((c) => c.metadata?.name)).toEqual(['paged-a', 'paged-b']);
    const second = await core.listNamespacedConfigMap({
      namespace: 'default',
      labelSelector: 'suite=paging',
      limit: 2,
      _continue: first.metadata?._continue,
    });
    expect(second.items.map((c) => c.metadata?.name)).toEqual(['paged-c']);
    expect(second.metadata?._continue).toBeUndefined();
  });

  it('answers a stale update with 409 Conflict and keeps the stored object', async () => {
    const current = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    const fresh = await apps.replaceNamespacedDeployment({
      name: 'web',
      namespace: 'default',
      body: { ...current, spec: { ...current.spec!, replicas: 2 } },
    });
    const stale = apps.replaceNamespacedDeployment({
      name: 'web',
      namespace: 'default',
      body: { ...current, spec: { ...current.spec!, replicas: 9 } },
    });
    await expect(stale.catch(statusCodeOf)).resolves.toBe(409);
    await expect(apps.readNamespacedDeployment({ name: 'web', namespace: 'default' })).resolves.toEqual(
      fresh,
    );
  });

  it('merge-patches and json-patches', async () => {
    const merged = await apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'default', body: { metadata: { labels: { tier: 'front' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.metadata?.labels).toEqual({ app: 'web', tier: 'front' });
    const jsonPatched = await apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'default', body: [{ op: 'replace', path: '/spec/replicas', value: 4 }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(jsonPatched.spec?.replicas).toBe(4);
  });

  it('writes status only through the status subresource', async () => {
    const current = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    const status = await apps.replaceNamespacedDeploymentStatus({
      name: 'web',
      namespace: 'default',
      body: { ...current, status: { replicas: 4, readyReplicas: 1 } },
    });
    expect(status.status?.readyReplicas).toBe(1);
    const main = await apps.replaceNamespacedDeployment({
      name: 'web',
      namespace: 'default',
      body: { ...status, status: { replicas: 0 } },
    });
    expect(main.status?.readyReplicas).toBe(1);
  });

  it('deletes, after which reads are 404', async () => {
    await objects.delete({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
    });
    const read = apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    await expect(read.catch(statusCodeOf)).resolves.toBe(404);
  });

  it('keeps every increment when 8 HTTP clients race 250 read-modify-writes each', async () => {
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'counter' }, data: { n: '0' } },
    });
    const increment = () =>
      retryOnConflict(
        async () => {
          const current = await core.readNamespacedConfigMap({ name: 'counter', namespace: 'default' });
          const body = { ...current, data: { n: String(Number(current.data?.n) + 1) } };
          await core.replaceNamespacedConfigMap({ name: 'counter', namespace: 'default', body });
        },
        (error) => statusCodeOf(error) === 409,
      );
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 250; i++) await increment();
      }),
    );
    const final = await core.readNamespacedConfigMap({ name: 'counter', namespace: 'default' });
    expect(final.data?.n).toBe('2000');
  }, 300_000);
});
