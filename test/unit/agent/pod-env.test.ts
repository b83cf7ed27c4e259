import {
  containerEnv,
  CreateContainerConfigError,
  expandCommand,
  type EnvSources,
} from '../../../lib/agent/pod-env';
import { expandVars } from '../../../lib/agent/var-expansion';
import type { EnvFromSource, EnvVar } from '../../../lib/kinds/env';
import { Pod } from '../../../lib/kinds/pod';
import { aContainer, aPod, type ContainerManifest } from '../../support/builders';

/** ConfigMaps and Secrets by `namespace/name`, counting reads (the EnvSources port's fake). */
function sourcesOf(objects: {
  configMaps?: Record<string, Record<string, string>>;
  secrets?: Record<string, Record<string, string>>;
}) {
  const reads: string[] = [];
  const sources: EnvSources = {
    configMap: async (namespace, name) => {
      reads.push(`configmap ${namespace}/${name}`);
      return objects.configMaps?.[`${namespace}/${name}`];
    },
    secret: async (namespace, name) => {
      reads.push(`secret ${namespace}/${name}`);
      return objects.secrets?.[`${namespace}/${name}`];
    },
  };
  return { sources, reads };
}

function aPodWith(container: Partial<ContainerManifest>, extra: Parameters<typeof aPod>[0] = {}): Pod {
  return Pod.parse(
    aPod({
      namespace: 'shop',
      ...extra,
      spec: { containers: [aContainer({ ...container, name: 'app' })], ...extra.spec },
    }),
  );
}

async function envOf(
  container: { env?: EnvVar[]; envFrom?: EnvFromSource[] } & Partial<ContainerManifest>,
  objects: Parameters<typeof sourcesOf>[0] = {},
  runtime: Parameters<typeof containerEnv>[3] = {},
  extra: Parameters<typeof aPod>[0] = {},
): Promise<Record<string, string>> {
  const pod = aPodWith(container, extra);
  return containerEnv(pod, pod.spec.containers[0], sourcesOf(objects).sources, runtime);
}

async function configErrorOf(promise: Promise<unknown>): Promise<CreateContainerConfigError> {
  const error: unknown = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CreateContainerConfigError);
  return error as CreateContainerConfigError;
}

describe('$(VAR) expansion, by Kubernetes’ rules', () => {
  const vars = { A: 'a', EMPTY: '' };
  it.each([
    ['a known reference is replaced', '$(A)-x', 'a-x'],
    ['an empty value is still known', '[$(EMPTY)]', '[]'],
    ['an unknown reference is kept as written', '$(B) $(A)', '$(B) a'],
    ['$$ escapes the operator', '$$(A)', '$(A)'],
    ['$$$ is an escaped $ then a reference', '$$$(A)', '$a'],
    ['runs of escapes halve', '$$$$$$(A)', '$$$(A)'],
    ['a $ before anything else stays', '$A $1 a$', '$A $1 a$'],
    ['an unclosed reference stays', '$(A', '$(A'],
    ['a reference runs to the first )', '$($(A)', '$($(A)'],
    ['an empty name is looked up and kept', '$()', '$()'],
    ['a $ before a non-ASCII character keeps both', '$€$😀', '$€$😀'],
    ['a lone $ stays', '$', '$'],
  ])('%s: %s', (_case, input, expected) => {
    expect(expandVars(input, vars)).toBe(expected);
  });

  it("expands a container's command and args against its env, an absent or empty list staying absent", () => {
    expect(expandCommand(['sh', '-c', 'echo $(GREETING) $$(HOME)'], { GREETING: 'hi' })).toEqual([
      'sh',
      '-c',
      'echo hi $(HOME)',
    ]);
    expect(expandCommand(undefined, {})).toBeUndefined();
    expect(expandCommand([], {})).toBeUndefined();
  });
});

describe("a container's environment, as the kubelet makes it", () => {
  it('takes envFrom sources in order, prefixed, skipping keys that are not env var names, then env over them', async () => {
    const env = await envOf(
      {
        envFrom: [
          { configMapRef: { name: 'settings' } },
          { prefix: 'DB_', secretRef: { name: 'db' } },
          { configMapRef: { name: 'overrides' } },
        ],
        env: [{ name: 'MODE', value: 'env-wins' }],
      },
      {
        configMaps: {
          'shop/settings': { MODE: 'from-settings', LEVEL: 'info', '1st': 'skipped', 'dotted.name': 'kept' },
          'shop/overrides': { LEVEL: 'debug' },
        },
        secrets: { 'shop/db': { PASSWORD: 's3cret', '-dash': 'prefixed is fine' } },
      },
    );
    expect(env).toEqual({
      MODE: 'env-wins',
      LEVEL: 'debug',
      'dotted.name': 'kept',
      DB_PASSWORD: 's3cret',
      'DB_-dash': 'prefixed is fine',
    });
  });

  it('expands $(VAR) in a value against variables defined before it, envFrom ones included', async () => {
    const env = await envOf(
      {
        envFrom: [{ configMapRef: { name: 'settings' } }],
        env: [
          { name: 'HOST', value: 'db.$(DOMAIN)' },
          { name: 'URL', value: 'postgres://$(HOST):$(PORT)/$(NAME)' },
          { name: 'PORT', value: '5432' },
          { name: 'LITERAL', value: '$$(HOST)' },
        ],
      },
      { configMaps: { 'shop/settings': { DOMAIN: 'example.com', NAME: 'orders' } } },
    );
    expect(env.HOST).toBe('db.example.com');
    expect(env.URL).toBe('postgres://db.example.com:$(PORT)/orders');
    expect(env.LITERAL).toBe('$(HOST)');
  });

  it('reads ConfigMap and Secret keys, fetching each object once', async () => {
    const { sources, reads } = sourcesOf({
      configMaps: { 'shop/settings': { mode: 'fast', level: 'info' } },
      secrets: { 'shop/db': { password: 's3cret' } },
    });
    const pod = aPodWith({
      envFrom: [{ configMapRef: { name: 'settings' } }],
      env: [
        { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } },
        { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'level' } } },
        { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      ],
    });
    const env = await containerEnv(pod, pod.spec.containers[0], sources, {});
    expect(env).toMatchObject({ MODE: 'fast', LEVEL: 'info', PASSWORD: 's3cret' });
    expect(reads).toEqual(['configmap shop/settings', 'secret shop/db']);
  });

  it('leaves out a variable whose optional ConfigMap, Secret or key is missing', async () => {
    const env = await envOf(
      {
        envFrom: [
          { configMapRef: { name: 'absent', optional: true } },
          { secretRef: { name: 'gone', optional: true } },
        ],
        env: [
          { name: 'A', valueFrom: { configMapKeyRef: { name: 'absent', key: 'a', optional: true } } },
          { name: 'B', valueFrom: { configMapKeyRef: { name: 'settings', key: 'b', optional: true } } },
          { name: 'C', valueFrom: { secretKeyRef: { name: 'gone', key: 'c', optional: true } } },
          { name: 'D', value: '' },
        ],
      },
      { configMaps: { 'shop/settings': {} } },
    );
    expect(env).toEqual({ D: '' });
  });

  it.each([
    [
      'a missing ConfigMap',
      { env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'absent', key: 'a' } } }] },
      'configmap "absent" not found',
    ],
    [
      'a missing envFrom ConfigMap',
      { envFrom: [{ configMapRef: { name: 'absent' } }] },
      'configmap "absent" not found',
    ],
    ['a missing Secret', { envFrom: [{ secretRef: { name: 'gone' } }] }, 'secret "gone" not found'],
    [
      'a missing ConfigMap key',
      { env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'settings', key: 'k' } } }] },
      "couldn't find key k in ConfigMap shop/settings",
    ],
    [
      'a missing Secret key',
      { env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'db', key: 'k' } } }] },
      "couldn't find key k in Secret shop/db",
    ],
    [
      'a resource it cannot read',
      { env: [{ name: 'A', valueFrom: { resourceFieldRef: { resource: 'limits.nvidia.com/gpu' } } }] },
      'unsupported container resource : limits.nvidia.com/gpu',
    ],
    [
      'a container that is not in the pod',
      {
        env: [
          { name: 'A', valueFrom: { resourceFieldRef: { containerName: 'other', resource: 'limits.cpu' } } },
        ],
      },
      'container other not found',
    ],
  ])(
    'fails with CreateContainerConfigError and the kubelet’s message on %s',
    async (_case, container, message) => {
      const error = await configErrorOf(
        envOf(container, { configMaps: { 'shop/settings': {} }, secrets: { 'shop/db': {} } }),
      );
      expect(error.message).toBe(message);
      expect(error.reason).toBe('CreateContainerConfigError');
    },
  );

  it('gives pod fields through the downward API, the node’s IPs before the status’', async () => {
    const field = (fieldPath: string): EnvVar => ({
      name: fieldPath.replace(/\W+/g, '_'),
      valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } },
    });
    const env = await envOf(
      {
        env: [
          'metadata.name',
          'metadata.namespace',
          'metadata.uid',
          "metadata.labels['app']",
          "metadata.labels['missing']",
          "metadata.annotations['example.com/owner']",
          'spec.nodeName',
          'spec.serviceAccountName',
          'status.podIP',
          'status.podIPs',
          'status.hostIP',
          'status.hostIPs',
        ].map(field),
      },
      {},
      { podIP: '127.1.0.7', hostIPs: ['10.0.0.5', 'fd00::5'] },
      {
        name: 'web-0',
        labels: { app: 'web' },
        annotations: { 'example.com/owner': 'team-a' },
        spec: { nodeName: 'node-a', serviceAccountName: 'web-sa' },
        status: { podIP: '10.9.9.9', hostIP: '10.9.9.1' },
      },
    );
    expect(env).toEqual({
      metadata_name: 'web-0',
      metadata_namespace: 'shop',
      metadata_uid: '',
      metadata_labels_app_: 'web',
      metadata_labels_missing_: '',
      metadata_annotations_example_com_owner_: 'team-a',
      spec_nodeName: 'node-a',
      spec_serviceAccountName: 'web-sa',
      status_podIP: '127.1.0.7',
      status_podIPs: '127.1.0.7',
      status_hostIP: '10.0.0.5',
      status_hostIPs: '10.0.0.5,fd00::5',
    });
  });

  it('falls back to the pod status’ IPs when the node gives none', async () => {
    const env = await envOf(
      {
        env: [
          { name: 'IPS', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIPs' } } },
          { name: 'HOST', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.hostIP' } } },
        ],
      },
      {},
      {},
      { status: { podIPs: [{ ip: '10.1.0.4' }, { ip: 'fd00::4' }], hostIP: '10.0.0.1' } },
    );
    expect(env).toEqual({ IPS: '10.1.0.4,fd00::4', HOST: '10.0.0.1' });
  });

  it('gives resources in units of the divisor rounded up, a missing limit being the node’s allocatable', async () => {
    const resource = (
      name: string,
      ref: { resource: string; divisor?: string; containerName?: string },
    ): EnvVar => ({
      name,
      valueFrom: { resourceFieldRef: ref },
    });
    const pod = Pod.parse(
      aPod({
        spec: {
          containers: [
            aContainer({
              name: 'app',
              requests: { cpu: '250m' },
              limits: { memory: '1536Mi' },
              env: [
                resource('CPU_REQUEST', { resource: 'requests.cpu' }),
                resource('CPU_REQUEST_MILLIS', { resource: 'requests.cpu', divisor: '1m' }),
                resource('CPU_LIMIT', { resource: 'limits.cpu' }),
                resource('MEMORY_LIMIT', { resource: 'limits.memory' }),
                resource('MEMORY_LIMIT_GI', { resource: 'limits.memory', divisor: '1Gi' }),
                resource('MEMORY_REQUEST_MI', { resource: 'requests.memory', divisor: '1Mi' }),
                resource('STORAGE_REQUEST', { resource: 'requests.ephemeral-storage' }),
                resource('SIDECAR_CPU', {
                  resource: 'limits.cpu',
                  containerName: 'sidecar',
                  divisor: '100m',
                }),
              ],
            }),
            aContainer({ name: 'sidecar', limits: { cpu: '1.5' } }),
          ],
        },
      }),
    );
    const env = await containerEnv(pod, pod.spec.containers[0], sourcesOf({}).sources, {
      allocatable: { cpu: '3920m', memory: '15Gi' },
    });
    expect(env).toEqual({
      CPU_REQUEST: '1',
      CPU_REQUEST_MILLIS: '250',
      CPU_LIMIT: '4',
      MEMORY_LIMIT: String(1536 * 1024 * 1024),
      MEMORY_LIMIT_GI: '2',
      MEMORY_REQUEST_MI: '1536',
      STORAGE_REQUEST: '0',
      SIDECAR_CPU: '15',
    });
  });
});
