import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../support/eventually';
import {
  REMOTE_CONTROL_LOOP_DEADLINE_MS,
  REMOTE_POLL_MS,
  remoteTarget,
  unlessRemoteGap,
} from '../support/remote-target';
import { spawnLocalServer, type LocalServerProcess } from '../support/spawn-local-server';
import { ApiReader, type ReadObject } from './real-tools/api-reader';
import {
  describeRun,
  itWithTool,
  KUBECTL,
  kubectlUnavailable,
  runCommand,
  type CommandResult,
} from './real-tools/tools';
import { writeKubeconfig } from './watch-clients/watch-client-tools';

/**
 * Issue 10's kubectl list, each command unmodified with kubectl 1.32 against `npm start` (the
 * controllers, the scheduler and one local node running pods as processes): what kubectl prints,
 * and what the API then holds. The tests share one namespace and run in order: the Deployment
 * `web` the create test makes is exposed, listed in EndpointSlices, scaled and finally drained.
 *
 * With a remote target (SKIFF_TARGET=localstack, `npm run test:remote`) the same commands run
 * against the deployed stack, each end state polled until the deployed reconcilers reach it; the
 * cases that need nodes or a streamed watch are picked out by name (REMOTE_GAPS) and run locally.
 */

const target = remoteTarget();
/** Remotely a namespace of the run's own: the deployed stack outlives the run. */
const NAMESPACE = target ? `parity-${randomBytes(3).toString('hex')}` : 'parity';
/** How long the control loops may take: in-process locally, stream-driven invocations remotely. */
const CONTROL_LOOP_DEADLINE_MS = target ? REMOTE_CONTROL_LOOP_DEADLINE_MS : 30_000;
const POLL_MS = target ? REMOTE_POLL_MS : 25;
/** A case's timeout when it waits for the control loops once: the deadline, and kubectl's own time. */
const CONTROL_LOOP_TIMEOUT_MS = CONTROL_LOOP_DEADLINE_MS + 15_000;
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const itWithKubectl = itWithTool(
  'kubectl',
  kubectlUnavailable(),
  'Put kubectl on PATH, or name it in SKIFF_KUBECTL.',
);
/** Cases that need pods to run, on nodes. */
const itWithNodes = unlessRemoteGap(itWithKubectl, 'noNodes');
/** Cases that need pods to run and kubectl to see a watch's events as they happen. */
const itWithNodesAndWatch = unlessRemoteGap(itWithKubectl, 'noNodes', 'bufferedWatch');

interface PodView {
  metadata: { name: string; labels?: Record<string, string>; ownerReferences?: { kind: string }[] };
  spec: { nodeName?: string };
  status: { podIP?: string; phase?: string; conditions?: { type: string; status: string }[] };
}

const isReady = (pod: PodView) =>
  pod.status.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ??
  false;

describe('kubectl 1.32, the commands of issue 10', () => {
  let server: LocalServerProcess;
  let workDir: string;
  let kubeconfig: string;
  let api: ApiReader;

  const run = (args: string[], input?: string): Promise<CommandResult> =>
    runCommand(
      KUBECTL,
      ['--kubeconfig', kubeconfig, '--cache-dir', join(workDir, 'kubectl-cache'), ...args],
      {
        input,
      },
    );
  /** kubectl in the test's namespace; it must exit 0, and its stdout is returned. */
  const kubectl = async (...args: string[]): Promise<string> => {
    const result = await run(['--namespace', NAMESPACE, ...args]);
    if (result.code !== 0) throw new Error(describeRun(KUBECTL, args, result));
    return result.stdout;
  };
  const inNamespace = (path: string) => `/api/v1/namespaces/${NAMESPACE}/${path}`;
  const appsPath = (path: string) => `/apis/apps/v1/namespaces/${NAMESPACE}/${path}`;
  const webPods = async () =>
    (await api.list(inNamespace('pods?labelSelector=app%3Dweb'))) as unknown as PodView[];
  /** Polls `check` until the control loops (local, or the deployed reconcilers) make it pass. */
  const converged = <T>(check: () => Promise<T>) => eventually(check, CONTROL_LOOP_DEADLINE_MS, POLL_MS);

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-parity-'));
    server = await spawnLocalServer({
      args: ['--in-memory', '--nodes', '1', '--nodes-dir', join(workDir, 'nodes')],
      env: { SKIFF_SCHEDULER_TICK_SECONDS: '1' },
    });
    kubeconfig = writeKubeconfig(workDir, server.url, NAMESPACE);
    api = new ApiReader(server.url);
  }, 90_000);
  afterEach(() => expect(server.exited()).toBeUndefined());
  afterAll(async () => {
    // The deployed stack outlives the run: its namespace goes (the namespace controller empties it).
    if (target && kubeconfig) await run(['delete', 'namespace', NAMESPACE, '--wait=false']);
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  describe('create', () => {
    itWithKubectl('create namespace', async () => {
      expect(await kubectl('create', 'namespace', NAMESPACE)).toBe(`namespace/${NAMESPACE} created\n`);
      const namespace = await api.get(`/api/v1/namespaces/${NAMESPACE}`);
      expect((namespace.status as { phase: string }).phase).toBe('Active');
    });

    itWithKubectl('create configmap --from-literal', async () => {
      expect(
        await kubectl('create', 'configmap', 'cfg', '--from-literal=color=blue', '--from-literal=size=large'),
      ).toBe('configmap/cfg created\n');
      expect((await api.get(inNamespace('configmaps/cfg'))).data).toEqual({ color: 'blue', size: 'large' });
    });

    itWithKubectl(
      'create deployment: it fans out to a ReplicaSet and 2 pods',
      async () => {
        expect(
          await kubectl(
            'create',
            'deployment',
            'web',
            '--image=busybox',
            '--replicas=2',
            '--port=8080',
            '--',
            'sleep',
            '3600',
          ),
        ).toBe('deployment.apps/web created\n');
        await converged(async () => {
          const pods = await webPods();
          expect(pods.map((pod) => pod.metadata.ownerReferences?.map((owner) => owner.kind))).toEqual([
            ['ReplicaSet'],
            ['ReplicaSet'],
          ]);
        });
      },
      CONTROL_LOOP_TIMEOUT_MS,
    );

    itWithNodesAndWatch(
      'create deployment: its pods run Ready',
      async () => {
        expect(await kubectl('rollout', 'status', 'deployment/web', '--timeout=30s')).toMatch(
          /deployment "web" successfully rolled out/,
        );
        const pods = await webPods();
        expect(pods.map(isReady)).toEqual([true, true]);
      },
      45_000,
    );

    itWithKubectl(
      'rollout history: the change-cause annotated on the Deployment names its revision',
      async () => {
        await kubectl('create', 'deployment', 'history', '--image=busybox:1.36', '--replicas=0');
        // Revision 1 first: a controller that first looks after the change would make only one.
        await converged(async () =>
          expect(await kubectl('rollout', 'history', 'deployment/history')).toMatch(/\n1\s+<none>\n/),
        );
        // The order the Kubernetes docs give: the change, then its cause, which reaches the new revision.
        await kubectl('set', 'image', 'deployment/history', 'busybox=busybox:1.37');
        await kubectl('annotate', 'deployment', 'history', 'kubernetes.io/change-cause=image to 1.37');
        await converged(async () =>
          expect(await kubectl('rollout', 'history', 'deployment/history')).toMatch(
            /^deployment\.apps\/history \nREVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+image to 1\.37\n/,
          ),
        );
        await kubectl('delete', 'deployment', 'history');
      },
      CONTROL_LOOP_TIMEOUT_MS,
    );

    itWithKubectl(
      'create job: the Job creates its pod',
      async () => {
        expect(await kubectl('create', 'job', 'once', '--image=busybox', '--', 'true')).toBe(
          'job.batch/once created\n',
        );
        const pods = await converged(async () => {
          const owned = (await api.list(
            inNamespace('pods?labelSelector=job-name%3Donce'),
          )) as unknown as PodView[];
          expect(owned).toHaveLength(1);
          return owned;
        });
        expect(pods[0].metadata.ownerReferences?.map((owner) => owner.kind)).toEqual(['Job']);
      },
      CONTROL_LOOP_TIMEOUT_MS,
    );

    itWithNodesAndWatch(
      'create job: its pod runs to completion',
      async () => {
        expect(await kubectl('wait', '--for=condition=complete', 'job/once', '--timeout=30s')).toBe(
          'job.batch/once condition met\n',
        );
      },
      45_000,
    );

    itWithKubectl('create secret generic --from-literal', async () => {
      expect(await kubectl('create', 'secret', 'generic', 'creds', '--from-literal=password=s3cr3t')).toBe(
        'secret/creds created\n',
      );
      const secret = await api.get(inNamespace('secrets/creds'));
      expect({ type: secret.type, data: secret.data }).toEqual({
        type: 'Opaque',
        data: { password: Buffer.from('s3cr3t').toString('base64') },
      });
      expect(await kubectl('get', 'secret', 'creds', '--no-headers')).toMatch(/^creds\s+Opaque\s+1\s+\S+\n$/);
    });

    itWithKubectl('create serviceaccount', async () => {
      expect(await kubectl('create', 'serviceaccount', 'robot')).toBe('serviceaccount/robot created\n');
      await api.get(inNamespace('serviceaccounts/robot'));
      // Every namespace has its `default` ServiceAccount too, as in kube.
      expect((await kubectl('get', 'serviceaccounts', '-o', 'name')).split('\n').sort()).toEqual([
        '',
        'serviceaccount/default',
        'serviceaccount/robot',
      ]);
    });
  });

  describe('create cronjob', () => {
    itWithKubectl('create cronjob', async () => {
      expect(
        await kubectl('create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--', 'true'),
      ).toBe('cronjob.batch/tick created\n');
      const cronJob = await api.get(`/apis/batch/v1/namespaces/${NAMESPACE}/cronjobs/tick`);
      expect(cronJob.spec).toMatchObject({
        schedule: '*/5 * * * *',
        concurrencyPolicy: 'Allow',
        suspend: false,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
      });
      expect(await kubectl('get', 'cronjob', 'tick', '--no-headers')).toMatch(/^tick\s+\*\/5 \* \* \* \*\s+/);
    });
  });

  describe('Services and EndpointSlices', () => {
    itWithKubectl('expose deployment: a ClusterIP Service selecting its pods', async () => {
      expect(await kubectl('expose', 'deployment', 'web', '--port=80', '--target-port=8080')).toBe(
        'service/web exposed\n',
      );
      const service = await api.get(inNamespace('services/web'));
      expect(service.spec).toMatchObject({
        type: 'ClusterIP',
        selector: { app: 'web' },
        ports: [expect.objectContaining({ port: 80, targetPort: 8080, protocol: 'TCP' })],
        clusterIP: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
      });
    });

    itWithKubectl(
      "get endpointslices: the Service has one slice, labelled with the Service's name",
      async () => {
        const name = await converged(async () => {
          const rows = (
            await kubectl('get', 'endpointslices', '-l', `${SERVICE_NAME_LABEL}=web`, '--no-headers')
          )
            .trim()
            .split('\n');
          expect(rows).toHaveLength(1);
          const [slice, addressType] = rows[0].split(/\s+/);
          expect(addressType).toBe('IPv4');
          return slice;
        });
        expect(name).toMatch(/^web-/);
        const header = (await kubectl('get', 'endpointslices')).split('\n')[0];
        expect(header.split(/\s+/)).toEqual(['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
      },
      CONTROL_LOOP_TIMEOUT_MS,
    );

    itWithNodes(
      "get endpointslices: the Service's slice lists its Ready pods' IPs on the target port",
      async () => {
        const podIPs = (await webPods()).filter(isReady).map((pod) => pod.status.podIP);
        expect(podIPs).toHaveLength(2);
        const row = await eventually(async () => {
          const rows = (
            await kubectl('get', 'endpointslices', '-l', `${SERVICE_NAME_LABEL}=web`, '--no-headers')
          )
            .trim()
            .split('\n');
          expect(rows).toHaveLength(1);
          const [name, addressType, ports, endpoints] = rows[0].split(/\s+/);
          expect({ addressType, ports, endpoints: endpoints.split(',').sort() }).toEqual({
            addressType: 'IPv4',
            ports: '8080',
            endpoints: [...podIPs].sort(),
          });
          return name;
        });
        expect(row).toMatch(/^web-/);
      },
    );
  });

  describe('Endpoints', () => {
    itWithKubectl(
      'get endpoints: the Service has Endpoints of its name, with its labels',
      async () => {
        const row = await converged(async () => {
          const rows = (await kubectl('get', 'endpoints', 'web', '--no-headers')).trim().split('\n');
          expect(rows).toHaveLength(1);
          return rows[0].split(/\s+/)[0];
        });
        expect(row).toBe('web');
        const header = (await kubectl('get', 'ep')).split('\n')[0];
        expect(header.split(/\s+/)).toEqual(['NAME', 'ENDPOINTS', 'AGE']);
      },
      CONTROL_LOOP_TIMEOUT_MS,
    );

    itWithNodes("get endpoints and describe service: the Ready pods' IPs on the target port", async () => {
      const podIPs = (await webPods()).filter(isReady).map((pod) => pod.status.podIP);
      expect(podIPs).toHaveLength(2);
      const expected = podIPs.map((ip) => `${ip}:8080`).sort();
      await eventually(async () => {
        const [, endpoints] = (await kubectl('get', 'endpoints', 'web', '--no-headers')).trim().split(/\s+/);
        expect(endpoints.split(',').sort()).toEqual(expected);
      });
      const described = await kubectl('describe', 'service', 'web');
      const line = described.split('\n').find((text) => text.startsWith('Endpoints:')) ?? '';
      expect(
        line
          .replace(/^Endpoints:\s+/, '')
          .split(',')
          .sort(),
      ).toEqual(expected);
    });
  });

  describe('scale deployment', () => {
    itWithKubectl(
      'scale deployment: through deployments/scale, to 3 pods',
      async () => {
        expect(await kubectl('scale', 'deployment', 'web', '--replicas=3')).toBe(
          'deployment.apps/web scaled\n',
        );
        const deployment = await api.get(appsPath('deployments/web'));
        expect((deployment.spec as { replicas: number }).replicas).toBe(3);
        const scale = await api.get(appsPath('deployments/web/scale'));
        expect({ kind: scale.kind, replicas: (scale.spec as { replicas: number }).replicas }).toEqual({
          kind: 'Scale',
          replicas: 3,
        });
        await converged(async () => expect(await webPods()).toHaveLength(3));
      },
      CONTROL_LOOP_TIMEOUT_MS,
    );

    itWithNodesAndWatch(
      'scale deployment: the new pod runs Ready',
      async () => {
        await kubectl('rollout', 'status', 'deployment/web', '--timeout=30s');
        expect((await webPods()).filter(isReady)).toHaveLength(3);
      },
      45_000,
    );
  });

  describe('server-side apply', () => {
    const manifest = (color: string) =>
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { color } });
    const apply = (color: string, ...flags: string[]) =>
      run(['--namespace', NAMESPACE, 'apply', '--server-side', ...flags, '-f', '-'], manifest(color));
    const owners = async () =>
      (
        (await api.get(inNamespace('configmaps/applied'))).metadata as ReadObject['metadata'] & {
          managedFields: { manager: string; operation: string; fieldsV1: unknown }[];
        }
      ).managedFields.map(({ manager, operation, fieldsV1 }) => ({ manager, operation, fieldsV1 }));

    itWithKubectl('apply --server-side creates the object, owned by kubectl', async () => {
      const applied = await apply('blue');
      expect({ code: applied.code, stdout: applied.stdout }).toEqual({
        code: 0,
        stdout: 'configmap/applied serverside-applied\n',
      });
      expect(await owners()).toEqual([
        { manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:data': { 'f:color': {} } } },
      ]);
    });

    itWithKubectl(
      "a second manager's conflicting apply gets the conflict naming kubectl and the field",
      async () => {
        const conflicting = await apply('red', '--field-manager=other');
        expect(conflicting.code).toBe(1);
        expect(conflicting.stderr).toMatch(
          /^error: Apply failed with 1 conflict: conflict with "kubectl": \.data\.color$/m,
        );
        expect((await api.get(inNamespace('configmaps/applied'))).data).toEqual({ color: 'blue' });
      },
    );

    itWithKubectl('--force-conflicts takes ownership of the field', async () => {
      const forced = await apply('red', '--field-manager=other', '--force-conflicts');
      expect({ code: forced.code, stdout: forced.stdout }).toEqual({
        code: 0,
        stdout: 'configmap/applied serverside-applied\n',
      });
      expect((await api.get(inNamespace('configmaps/applied'))).data).toEqual({ color: 'red' });
      // kubectl owned nothing else, so its entry goes; `other` owns data.color.
      expect(await owners()).toEqual([
        { manager: 'other', operation: 'Apply', fieldsV1: { 'f:data': { 'f:color': {} } } },
      ]);
    });
  });

  describe('access and schema', () => {
    itWithKubectl(
      'auth can-i answers yes (a SelfSubjectAccessReview; everything is allowed locally)',
      async () => {
        expect(await kubectl('auth', 'can-i', 'create', 'deployments')).toBe('yes\n');
        expect(await kubectl('auth', 'can-i', 'delete', 'nodes', '--all-namespaces')).toBe('yes\n');
      },
    );

    itWithKubectl(
      "auth whoami answers who the caller is (a SelfSubjectReview): anonymous locally, the token's identity remotely",
      async () => {
        const review = JSON.parse(await kubectl('auth', 'whoami', '-o', 'json')) as {
          kind: string;
          status: { userInfo: { username: string; groups: string[] } };
        };
        expect(review.kind).toBe('SelfSubjectReview');
        if (target) {
          // The deploying principal, the first cluster admin (its access entry).
          expect(review.status.userInfo.username).toMatch(/^arn:aws:/);
          expect(review.status.userInfo.groups).toEqual(expect.arrayContaining(['system:authenticated']));
        } else {
          expect(review.status.userInfo).toEqual({
            username: 'system:anonymous',
            groups: ['system:unauthenticated'],
          });
          expect(await kubectl('auth', 'whoami')).toMatch(
            /^ATTRIBUTE\s+VALUE\nUsername\s+system:anonymous\nGroups\s+\[system:unauthenticated\]\n$/,
          );
        }
      },
    );

    itWithKubectl(
      "apply of a manifest with a quoted replica count gets kube's decoding error and creates nothing",
      async () => {
        const manifest = [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: {name: quoted}',
          'spec:',
          '  replicas: "3"',
          '  selector: {matchLabels: {app: quoted}}',
          '  template:',
          '    metadata: {labels: {app: quoted}}',
          '    spec: {containers: [{name: web, image: nginx}]}',
        ].join('\n');
        const applied = await run(['--namespace', NAMESPACE, 'apply', '-f', '-'], manifest);
        expect(applied.code).toBe(1);
        expect(applied.stderr).toBe(
          'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32\n',
        );
        expect((await run(['--namespace', NAMESPACE, 'get', 'deployment', 'quoted'])).code).toBe(1);
      },
    );

    itWithKubectl('explain deployment.spec.strategy describes the field and its two fields', async () => {
      const explained = await kubectl('explain', 'deployment.spec.strategy');
      expect(explained).toMatch(/^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n/);
      expect(explained).toContain('FIELD: strategy <Object>');
      const description = /DESCRIPTION:\n([\s\S]*?)\nFIELDS:/.exec(explained)?.[1].trim();
      expect(description).toMatch(/\w/);
      expect(description).not.toBe('<empty>');
      expect(explained).toMatch(/^ {2}rollingUpdate\t<Object>$/m);
      expect(explained).toMatch(/^ {2}type\t<string>\n {2}enum: Recreate, RollingUpdate$/m);
    });
  });

  describe('what Skiff does not serve: exec, attach, port-forward, cp', () => {
    // docs/api.md: a pod's exec, attach and portforward subresources are 404. kubectl says so and
    // exits 1; nothing hangs waiting for a stream.
    itWithNodes('each ends with the NotFound of its subresource', async () => {
      const pod = (await webPods()).find(isReady)?.metadata.name ?? '';
      expect(pod).not.toBe('');
      const attempts: [string, string[]][] = [
        ['exec', ['exec', pod, '--', 'true']],
        ['attach', ['attach', pod]],
        ['port-forward', ['port-forward', `pod/${pod}`, '0:80']],
        ['cp', ['cp', `${pod}:/etc/hostname`, join(workDir, 'hostname')]],
      ];
      for (const [verb, args] of attempts) {
        const result = await run(['--namespace', NAMESPACE, ...args]);
        expect({ verb, code: result.code, stderr: result.stderr }).toEqual({
          verb,
          code: 1,
          stderr: expect.stringMatching(/the server could not find the requested resource\n$/),
        });
      }
    });
  });

  describe('cordon and drain', () => {
    let node: string;

    itWithNodes('cordon marks the node SchedulingDisabled', async () => {
      node = (await webPods())[0].spec.nodeName ?? '';
      expect(node).not.toBe('');
      expect(await kubectl('cordon', node)).toBe(`node/${node} cordoned\n`);
      expect((await api.get(`/api/v1/nodes/${node}`)).spec?.unschedulable).toBe(true);
      expect(await kubectl('get', 'node', node, '--no-headers')).toMatch(
        new RegExp(`^${node}\\s+Ready,SchedulingDisabled\\s`),
      );
    });

    itWithNodes(
      "drain evicts the node's pods and their replacements run elsewhere",
      async () => {
        const before = (await webPods())
          .filter((pod) => pod.spec.nodeName === node)
          .map((pod) => pod.metadata.name);
        expect(before.length).toBeGreaterThan(0);
        const drained = await kubectl(
          'drain',
          node,
          '--ignore-daemonsets',
          '--delete-emptydir-data',
          '--timeout=30s',
        );
        for (const pod of before) expect(drained).toContain(`pod/${pod} evicted\n`);
        expect(drained).toMatch(new RegExp(`node/${node} drained\\n$`));
        const onNode = await api.list(`/api/v1/pods?fieldSelector=spec.nodeName%3D${node}`);
        expect(onNode.map((pod) => pod.metadata.name)).toEqual([]);
        // The Deployment replaces them; the scheduler launches a node for them, as the node is cordoned.
        const replicas = ((await api.get(appsPath('deployments/web'))).spec as { replicas: number }).replicas;
        await eventually(async () => {
          const pods = await webPods();
          expect(pods.filter(isReady).map((pod) => pod.spec.nodeName !== node)).toEqual(
            Array<boolean>(replicas).fill(true),
          );
        }, 30_000);
      },
      60_000,
    );
  });
});
