import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../support/eventually';
import { PROJECT_ROOT } from '../support/engines/project-root';
import { spawnLocalServer, type LocalServerProcess } from '../support/spawn-local-server';
import { ApiReader, type ReadObject } from './real-tools/api-reader';
import { ensureBuilt, HELM, itWithTool, runOk } from './real-tools/tools';
import { writeKubeconfig } from './watch-clients/watch-client-tools';

/**
 * helm 3 against `npm start` (controllers and one local node running): install, upgrade, rollback
 * and uninstall of test/fixtures/charts/skiff-demo (a Deployment, Service, ConfigMap, Secret and
 * ServiceAccount), with helm's default storage driver, which keeps each revision of a release in a
 * Secret of type helm.sh/release.v1 labelled owner=helm and finds them with a label selector. Every
 * step is checked through the API, not through helm's own account of it. The tests run in order:
 * each starts from the release the one before left.
 */

const CHART = join(PROJECT_ROOT, 'test/fixtures/charts/skiff-demo');
const NAMESPACE = 'helm-demo';
const RELEASE = 'demo';
/** The chart names every object `<release>-<chart>`. */
const NAME = `${RELEASE}-skiff-demo`;
const RELEASE_SECRETS = `/api/v1/namespaces/${NAMESPACE}/secrets?labelSelector=owner%3Dhelm%2Cname%3D${RELEASE}`;
/** helm --wait: until the Deployment's pods are Ready and the Service has its cluster IP. */
const WAIT_TIMEOUT = '40s';

const OBJECTS = {
  deployment: `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/${NAME}`,
  service: `/api/v1/namespaces/${NAMESPACE}/services/${NAME}`,
  configMap: `/api/v1/namespaces/${NAMESPACE}/configmaps/${NAME}`,
  secret: `/api/v1/namespaces/${NAMESPACE}/secrets/${NAME}`,
  serviceAccount: `/api/v1/namespaces/${NAMESPACE}/serviceaccounts/${NAME}`,
};

const itWithHelm = itWithTool(
  'helm',
  ensureBuilt('fetch-helm.sh', HELM),
  'npm run engines:fetch builds it (go install helm.sh/helm/v3/cmd/helm through the Go module proxy).',
);

interface DeploymentSpec {
  replicas: number;
  template: { spec: { serviceAccountName: string; containers: { image: string }[] } };
}

/** What the Deployment runs, as the tests compare it. */
function workload(deployment: ReadObject) {
  const spec = deployment.spec as unknown as DeploymentSpec;
  return {
    replicas: spec.replicas,
    image: spec.template.spec.containers[0].image,
    serviceAccountName: spec.template.spec.serviceAccountName,
  };
}

/** Each revision's Secret: name, the revision and status helm keeps in its labels, and its type. */
function revisions(secrets: ReadObject[]) {
  return secrets
    .map((secret) => ({
      name: secret.metadata.name,
      version: secret.metadata.labels?.version,
      status: secret.metadata.labels?.status,
      type: secret.type,
    }))
    .sort((a, b) => Number(a.version) - Number(b.version));
}

const revision = (version: number, status: string) => ({
  name: `sh.helm.release.v1.${RELEASE}.v${version}`,
  version: String(version),
  status,
  type: 'helm.sh/release.v1',
});

describe('helm 3 install, upgrade, rollback and uninstall', () => {
  let server: LocalServerProcess;
  let workDir: string;
  let api: ApiReader;
  let helmEnv: Record<string, string>;
  let installedUid: string;

  const helm = (...args: string[]) =>
    runOk(HELM, [...args, '--namespace', NAMESPACE], { env: helmEnv, timeoutMs: 60_000 });
  const greeting = async () => (await api.get(OBJECTS.configMap)).data?.greeting;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'skiff-helm-'));
    server = await spawnLocalServer({
      args: ['--in-memory', '--nodes', '1', '--nodes-dir', join(workDir, 'nodes')],
      env: { SKIFF_SCHEDULER_TICK_SECONDS: '1' },
    });
    api = new ApiReader(server.url);
    // helm's own files (repositories, cache) in the test's folder, never the user's.
    helmEnv = {
      KUBECONFIG: writeKubeconfig(workDir, server.url),
      HELM_CACHE_HOME: join(workDir, 'helm/cache'),
      HELM_CONFIG_HOME: join(workDir, 'helm/config'),
      HELM_DATA_HOME: join(workDir, 'helm/data'),
    };
  }, 90_000);
  afterEach(() => expect(server.exited()).toBeUndefined());
  afterAll(async () => {
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  itWithHelm(
    'install --create-namespace --wait creates every object of the chart and stores revision 1 in a Secret',
    async () => {
      await helm('install', RELEASE, CHART, '--create-namespace', '--wait', '--timeout', WAIT_TIMEOUT);

      const deployment = await api.get(OBJECTS.deployment);
      installedUid = deployment.metadata.uid;
      expect(workload(deployment)).toEqual({ replicas: 1, image: 'busybox:1.36', serviceAccountName: NAME });
      expect(deployment.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('Helm');
      // helm marks what it owns so a later release can check before adopting it.
      expect(deployment.metadata.annotations).toMatchObject({
        'meta.helm.sh/release-name': RELEASE,
        'meta.helm.sh/release-namespace': NAMESPACE,
      });
      const service = await api.get(OBJECTS.service);
      expect(service.spec).toMatchObject({
        type: 'ClusterIP',
        ports: [expect.objectContaining({ port: 80, targetPort: 'http' })],
      });
      expect(await greeting()).toBe('hello');
      const secret = await api.get(OBJECTS.secret);
      expect(secret.data).toEqual({ password: Buffer.from('s3cr3t').toString('base64') });
      expect(secret.type).toBe('Opaque');
      await api.get(OBJECTS.serviceAccount);

      expect(revisions(await api.list(RELEASE_SECRETS))).toEqual([revision(1, 'deployed')]);
    },
    60_000,
  );

  itWithHelm(
    'upgrade --set changes the values in place and supersedes revision 1',
    async () => {
      await helm(
        'upgrade',
        RELEASE,
        CHART,
        '--set',
        'replicaCount=2',
        '--set',
        'image.tag=1.37',
        '--set',
        'greeting=hi',
        '--wait',
        '--timeout',
        WAIT_TIMEOUT,
      );

      const deployment = await api.get(OBJECTS.deployment);
      expect(deployment.metadata.uid).toBe(installedUid);
      expect(workload(deployment)).toEqual({ replicas: 2, image: 'busybox:1.37', serviceAccountName: NAME });
      expect(await greeting()).toBe('hi');
      expect(revisions(await api.list(RELEASE_SECRETS))).toEqual([
        revision(1, 'superseded'),
        revision(2, 'deployed'),
      ]);
      expect(await helm('get', 'values', RELEASE, '-o', 'json')).toBe(
        `${JSON.stringify({ greeting: 'hi', image: { tag: '1.37' }, replicaCount: 2 })}\n`,
      );
    },
    60_000,
  );

  itWithHelm(
    'rollback to revision 1 restores its values as revision 3',
    async () => {
      await helm('rollback', RELEASE, '1', '--wait', '--timeout', WAIT_TIMEOUT);

      const deployment = await api.get(OBJECTS.deployment);
      expect(deployment.metadata.uid).toBe(installedUid);
      expect(workload(deployment)).toEqual({ replicas: 1, image: 'busybox:1.36', serviceAccountName: NAME });
      expect(await greeting()).toBe('hello');
      expect(revisions(await api.list(RELEASE_SECRETS))).toEqual([
        revision(1, 'superseded'),
        revision(2, 'superseded'),
        revision(3, 'deployed'),
      ]);
      const history = await helm('history', RELEASE, '-o', 'json');
      expect((JSON.parse(history) as { revision: number; description: string }[]).at(-1)).toMatchObject({
        revision: 3,
        description: 'Rollback to 1',
      });
    },
    60_000,
  );

  itWithHelm(
    "uninstall removes the chart's objects, their pods and the release's Secrets",
    async () => {
      await helm('uninstall', RELEASE, '--wait', '--timeout', WAIT_TIMEOUT);

      for (const [what, path] of Object.entries(OBJECTS))
        expect({ what, object: await api.find(path) }).toEqual({ what, object: undefined });
      expect(await api.list(RELEASE_SECRETS)).toEqual([]);
      // The Deployment's ReplicaSet and pods go with it (the garbage collector, in the background).
      await eventually(async () => {
        const pods = await api.list(
          `/api/v1/namespaces/${NAMESPACE}/pods?labelSelector=app.kubernetes.io%2Finstance%3D${RELEASE}`,
        );
        expect(pods.map((pod) => pod.metadata.name)).toEqual([]);
      }, 20_000);
      await expect(helm('status', RELEASE)).rejects.toThrow(/release: not found/);
    },
    60_000,
  );
});
