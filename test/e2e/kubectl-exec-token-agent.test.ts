import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTagsCommand, RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { EksTokenVerifier } from '../../lib/auth/eks-token';
import { createObjectTable } from '../../lib/store/create-object-table';
import { HEARTBEAT_ANNOTATION, instanceArn, TableNodeHeartbeats } from '../../lib/store/node-heartbeats';
import { TableNodePodMarkers } from '../../lib/store/node-pod-markers';
import { dynamoClient, uniqueTableName } from '../support/dynamo-engines';
import { CLUSTER_TAG } from '../../lib/cloud/node-provider';
import { KubeClient } from '../../lib/client/kube-client';
import { startLocalControlPlane, type LocalControlPlane } from '../../lib/local/local-control-plane';
import { startEc2MetadataMock, type RunningMetadataMock } from '../support/ec2-metadata-mock';
import { PROJECT_ROOT } from '../support/engines/project-root';
import { engineEndpoint } from '../support/engines/test-engines';
import { eventually } from '../support/eventually';
import { motoEc2Client, motoLaunchTemplate } from '../support/moto-ec2';
import { motoAssumeRole, motoStsFetch } from '../support/moto-sts';
import { loopbackCertificate, startAuthFront, type AuthFront } from './kubectl-exec-token-front';

/**
 * The node agent as systemd runs it on EC2 (lib/agent/main.ts, EC2 identity), against an API
 * that takes only EKS-style tokens: its instance (moto EC2, tagged by the scheduler's tags), its
 * metadata (amazon-ec2-metadata-mock, IMDSv2, serving a moto AssumeRole session of the node role
 * named after the instance, as EC2 names instance-role sessions) and the token-verifying front
 * (moto STS). Nothing tells the agent a cluster name: it reads the instance's cluster tag.
 */

const endpoint = engineEndpoint('moto');
const describeOnMoto = endpoint === undefined ? describe.skip : describe;

const CLUSTER = 'skiff-nodes';
const NODE_ROLE = 'arn:aws:iam::123456789012:role/skiff-node';

describeOnMoto('node agent on EC2, authenticating with its instance role', () => {
  const ec2 = motoEc2Client(endpoint ?? '');
  let workDir: string;
  let plane: LocalControlPlane;
  let front: AuthFront;
  let metadata: RunningMetadataMock;
  let instanceId: string;
  let agent: ChildProcess | undefined;
  let agentOutput = '';

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'skiff-agent-token-'));
    const { imageId } = await motoLaunchTemplate(ec2);
    const run = await ec2.send(
      new RunInstancesCommand({ ImageId: imageId, InstanceType: 'm7g.large', MinCount: 1, MaxCount: 1 }),
    );
    instanceId = run.Instances![0]!.InstanceId!;
    await ec2.send(
      new CreateTagsCommand({
        Resources: [instanceId],
        Tags: [
          { Key: 'Name', Value: 'default-t0k3n' },
          { Key: CLUSTER_TAG, Value: CLUSTER },
        ],
      }),
    );
    const role = await motoAssumeRole(endpoint!, NODE_ROLE, instanceId);
    metadata = await startEc2MetadataMock({
      instanceId,
      instanceType: 'm7g.large',
      zone: run.Instances![0]!.Placement!.AvailabilityZone!,
      region: 'us-east-1',
      // The agent serves its pods' logs on its internal address: loopback here.
      localIpv4: '127.0.0.1',
      localHostname: 'ip-127-0-0-1.ec2.internal',
      lifecycle: 'on-demand',
      credentials: {
        accessKeyId: role.accessKeyId,
        secretAccessKey: role.secretAccessKey,
        token: role.sessionToken!,
        expiration: new Date(Date.now() + 6 * 3600_000),
      },
    });
    plane = await startLocalControlPlane({ port: 0, controllers: [] });
    const sts = motoStsFetch(endpoint!, new Map([[role.accessKeyId, role]]), 'sts.us-east-1.amazonaws.com');
    front = await startAuthFront(
      plane.url,
      new EksTokenVerifier({ clusterName: CLUSTER, stsEndpointOverride: endpoint, fetch: sts.fetch }),
      loopbackCertificate(workDir),
    );
  }, 120_000);

  afterAll(async () => {
    if (agent?.exitCode === null) {
      const exited = new Promise((resolve) => agent!.once('exit', resolve));
      agent.kill('SIGTERM');
      await exited;
    }
    await front?.stop();
    await plane?.stop();
    await metadata?.stop();
    if (instanceId) await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  /** lib/agent/main.ts as the node's systemd unit runs it, with the EC2 identity, plus `env`. */
  function startAgent(env: Record<string, string>): ChildProcess {
    return spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'lib/agent/main.ts')], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: workDir,
        SKIFF_API_URL: front.httpUrl,
        SKIFF_AGENT_IDENTITY: 'ec2',
        SKIFF_AGENT_RUNTIME: 'process',
        SKIFF_AGENT_DATA_DIR: join(workDir, 'data'),
        AWS_EC2_METADATA_SERVICE_ENDPOINT: metadata.endpoint,
        AWS_ENDPOINT_URL_EC2: endpoint,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  it('registers its Node through the front, every request as the node role session named after the instance', async () => {
    agent = startAgent({});
    agent.stdout!.on('data', (chunk: Buffer) => (agentOutput += chunk.toString()));
    agent.stderr!.on('data', (chunk: Buffer) => (agentOutput += chunk.toString()));

    const api = new KubeClient({ server: plane.url });
    const exited = new Promise<never>((_, reject) =>
      agent!.once('exit', (code) => reject(new Error(`the agent exited (${code})`))),
    );
    const registered = eventually(
      () =>
        api.get<{ metadata: { name: string }; spec: { providerID: string } }>({
          apiVersion: 'v1',
          plural: 'nodes',
          name: 'default-t0k3n',
        }),
      30_000,
      100,
    );
    const node = await Promise.race([registered, exited]).catch((error: unknown) => {
      throw new Error(`no Node registered (${String(error)}); the agent said:\n${agentOutput}`);
    });
    expect(node.spec.providerID).toMatch(new RegExp(`/${instanceId}$`));
    // Printed once startAgent returns, just after the Node is written.
    await eventually(async () =>
      expect(agentOutput).toContain(`instance role tokens for cluster ${CLUSTER}`),
    );
    expect(front.identities.length).toBeGreaterThan(0);
    expect(new Set(front.identities.map((identity) => identity.arn))).toEqual(
      new Set([`arn:aws:sts::123456789012:assumed-role/skiff-node/${instanceId}`]),
    );
    expect(new Set(front.identities.map((identity) => identity.sessionName))).toEqual(new Set([instanceId]));
    // One token serves the agent's start-up requests: signed once, not per request.
    expect(new Set(front.tokens).size).toBe(1);
  }, 60_000);

  it('renews its Lease through its own heartbeat item and follows its pods by their change marker when told the table, as the launch template tells it', async () => {
    // The earlier agent is stopped first: one agent per instance.
    if (agent?.exitCode === null) {
      const exited = new Promise((resolve) => agent!.once('exit', resolve));
      agent.kill('SIGTERM');
      await exited;
    }
    const tableName = uniqueTableName('agent-heartbeats');
    const dynamo = dynamoClient(endpoint!);
    await createObjectTable(dynamo, tableName);
    const heartbeats = new TableNodeHeartbeats({ client: dynamo, tableName });
    const requestsBefore = front.requests.length;
    const identity = instanceArn({ region: 'us-east-1', accountId: '123456789012', instanceId });
    agent = startAgent({
      SKIFF_TABLE_NAME: tableName,
      AWS_ENDPOINT_URL_DYNAMODB: endpoint!,
      SKIFF_AGENT_DATA_DIR: join(workDir, 'direct'),
    });
    let output = '';
    agent.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    agent.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const renewed = await eventually(async () => {
      const at = await heartbeats.lastRenewal(identity);
      expect(at).toBeDefined();
      return at!;
    }, 30_000).catch((error: unknown) => {
      throw new Error(`no heartbeat renewed (${String(error)}); the agent said:\n${output}`);
    });
    expect(Math.abs(renewed.getTime() - Date.now())).toBeLessThan(60_000);
    // The Lease names the item the lifecycle controller reads instead of its renewTime.
    const lease = await new KubeClient({ server: plane.url }).get<{
      metadata: { annotations?: Record<string, string> };
    }>({
      apiVersion: 'coordination.k8s.io/v1',
      plural: 'leases',
      namespace: 'kube-node-lease',
      name: 'default-t0k3n',
    });
    expect(lease.metadata.annotations?.[HEARTBEAT_ANNOTATION]).toBe(identity);
    await eventually(async () => expect(output).toContain(`heartbeats to ${identity} in ${tableName}`));

    // Its pods are followed through the node's change marker, not a watch: a pod bound to it is
    // listed and started once the marker moves, as the reconcile function moves it on AWS.
    const api = new KubeClient({ server: plane.url });
    const podRef = { apiVersion: 'v1', plural: 'pods', namespace: 'default' } as const;
    await api.create(podRef, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'marked', namespace: 'default' },
      spec: {
        nodeName: 'default-t0k3n',
        containers: [{ name: 'main', image: 'busybox', command: ['sleep', '300'] }],
      },
    });
    await new TableNodePodMarkers({ client: dynamo, tableName }).bump(new Map([['default-t0k3n', 1]]));
    await eventually(async () => {
      const pod = await api.get<{ status?: { phase?: string } }>({ ...podRef, name: 'marked' });
      expect(pod.status?.phase).toBe('Running');
    }, 30_000).catch((error: unknown) => {
      throw new Error(`the marked pod did not start (${String(error)}); the agent said:\n${output}`);
    });
    const podRequests = front.requests
      .slice(requestsBefore)
      .filter((request) => /\/api\/v1\/pods\?/.test(request));
    expect(podRequests.filter((request) => request.includes('watch=true'))).toEqual([]);
    expect(podRequests.filter((request) => request.startsWith('GET')).length).toBeGreaterThanOrEqual(2);
    await api.delete({ ...podRef, name: 'marked' }, { gracePeriodSeconds: 0 });
    const exited = new Promise((resolve) => agent!.once('exit', resolve));
    agent.kill('SIGTERM');
    await exited;
    dynamo.destroy();
  }, 60_000);

  it('is refused, and exits, when SKIFF_CLUSTER_NAME names another cluster than the API verifies for', async () => {
    const before = front.identities.length;
    const refused = startAgent({
      SKIFF_CLUSTER_NAME: 'another-cluster',
      SKIFF_AGENT_DATA_DIR: join(workDir, 'other'),
    });
    let output = '';
    refused.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    refused.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => refused.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toMatch(/Unauthorized/);
    expect(front.identities.length).toBe(before);
  }, 60_000);
});
