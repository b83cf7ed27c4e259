import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/engines/project-root';
import { eventually } from '../support/eventually';
import {
  kubeconfigCluster,
  kubeconfigUser,
  REMOTE_CONTROL_LOOP_DEADLINE_MS as CONTROL_LOOP_DEADLINE_MS,
  REMOTE_POLL_MS as POLL_MS,
  remoteTarget,
} from '../support/remote-target';
import { KUBECTL, runOk } from '../e2e/real-tools/tools';

/**
 * kubectl against a deployed Skiff (SKIFF_TARGET=localstack or SKIFF_API_URL; skipped without
 * one): the example manifests applied through the deployed API Gateway, and the Deployment fanned
 * out by the deployed reconcile function, which DynamoDB Streams wake. Nothing here runs in this
 * process but kubectl: each end state is polled until the deployed control loops reach it.
 */
const target = remoteTarget();
const describeRemote = target ? describe : describe.skip;

interface OwnedObject {
  metadata: { name: string; uid: string; ownerReferences?: { kind: string; name: string; uid: string }[] };
  spec?: { replicas?: number };
  status?: { phase?: string };
}

describeRemote(`kubectl on the deployed API (${target?.apiUrl})`, () => {
  const namespace = `remote-${randomBytes(4).toString('hex')}`;
  let workDir: string;
  let kubeconfig: string;

  const kubectl = (...args: string[]) =>
    runOk(
      KUBECTL,
      ['--kubeconfig', kubeconfig, '--cache-dir', join(workDir, 'cache'), '-n', namespace, ...args],
      {
        timeoutMs: 60_000,
      },
    );
  const list = async (resource: string, selector: string): Promise<OwnedObject[]> =>
    (JSON.parse(await kubectl('get', resource, '-l', selector, '-o', 'json')) as { items: OwnedObject[] })
      .items;
  const ownedBy = (objects: OwnedObject[], owner: OwnedObject) =>
    objects.filter((object) =>
      object.metadata.ownerReferences?.some((ref) => ref.uid === owner.metadata.uid),
    );

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'skiff-remote-kubectl-'));
    kubeconfig = join(workDir, 'kubeconfig');
    // Authenticated as the deploying principal (cluster admin): skiff token, or SKIFF_API_TOKEN.
    const user = target ? kubeconfigUser(target) : {};
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'skiff', cluster: target ? kubeconfigCluster(target) : {} }],
        users: [{ name: 'remote', user }],
        contexts: [{ name: 'skiff', context: { cluster: 'skiff', user: 'remote', namespace } }],
        'current-context': 'skiff',
      }),
    );
    await runOk(KUBECTL, ['--kubeconfig', kubeconfig, 'create', 'namespace', namespace]);
  }, 60_000);

  afterAll(async () => {
    await runOk(KUBECTL, [
      '--kubeconfig',
      kubeconfig,
      'delete',
      'namespace',
      namespace,
      '--wait=false',
    ]).catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  });

  it('answers a request without a token 401 Unauthorized, as a Kubernetes Status', async () => {
    const response = await fetch(`${target?.apiUrl}/api/v1/namespaces/${namespace}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
  });

  it('applies the example manifests through API Gateway', async () => {
    const files = ['deployment.yaml', 'web.yaml', 'configmap.yaml', 'service.yaml'];
    const output = await kubectl(
      'apply',
      ...files.flatMap((file) => ['-f', join(PROJECT_ROOT, 'examples', file)]),
    );
    expect(output).toContain('deployment.apps/web created');
    expect(output).toContain('deployment.apps/hello created');
    expect(await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}')).toBe('3');
  }, 60_000);

  it.each([
    { deployment: 'web', selector: 'app=web', replicas: 3 },
    { deployment: 'hello', selector: 'app=hello', replicas: 3 },
  ])(
    'the deployed reconcile function fans the $deployment Deployment out to a ReplicaSet and $replicas Pods',
    async ({ deployment, selector, replicas }) => {
      const owner = JSON.parse(await kubectl('get', 'deployment', deployment, '-o', 'json')) as OwnedObject;
      const replicaSet = await eventually(
        async () => {
          const owned = ownedBy(await list('replicasets', selector), owner);
          expect(owned).toHaveLength(1);
          expect(owned[0].spec?.replicas).toBe(replicas);
          return owned[0];
        },
        CONTROL_LOOP_DEADLINE_MS,
        POLL_MS,
      );
      await eventually(
        async () => {
          const pods = ownedBy(await list('pods', selector), replicaSet);
          expect(pods).toHaveLength(replicas);
          // No nodes on LocalStack: the pods wait for capacity, as on an empty cluster.
          for (const pod of pods) expect(pod.status?.phase).toBe('Pending');
        },
        CONTROL_LOOP_DEADLINE_MS,
        POLL_MS,
      );
    },
    2 * CONTROL_LOOP_DEADLINE_MS,
  );

  it(
    'scaling the Deployment down reaches its Pods through the ReplicaSet',
    async () => {
      await kubectl('scale', 'deployment', 'web', '--replicas=1');
      await eventually(
        async () => {
          const pods = (await list('pods', 'app=web')).filter(
            (pod) => !('deletionTimestamp' in pod.metadata),
          );
          expect(pods).toHaveLength(1);
        },
        CONTROL_LOOP_DEADLINE_MS,
        POLL_MS,
      );
    },
    CONTROL_LOOP_DEADLINE_MS,
  );

  it(
    'deleting the Deployment lets the garbage collector remove its ReplicaSet and Pods',
    async () => {
      await kubectl('delete', 'deployment', 'web', '--wait=false');
      await eventually(
        async () => {
          expect(await list('replicasets', 'app=web')).toEqual([]);
          expect(await list('pods', 'app=web')).toEqual([]);
        },
        CONTROL_LOOP_DEADLINE_MS,
        POLL_MS,
      );
    },
    CONTROL_LOOP_DEADLINE_MS,
  );
});
