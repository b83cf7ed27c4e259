import {
  CreateTagsCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CLUSTER_TAG, NODECLAIM_TAG, NODEPOOL_TAG } from '../../../lib/cloud/node-provider';
import { InstanceIdentityError, readInstanceIdentity } from '../../../lib/agent/ec2/instance-identity';
import { InstanceMetadataClient, InstanceMetadataError } from '../../../lib/agent/ec2/instance-metadata';
import { instanceRoleCredentials } from '../../../lib/agent/ec2/instance-role-credentials';
import {
  startEc2MetadataMock,
  type MetadataMockInstance,
  type RunningMetadataMock,
} from '../../support/ec2-metadata-mock';
import { freePort } from '../../support/engines/free-port';
import { engineEndpoint } from '../../support/engines/test-engines';
import { motoEc2Client, motoLaunchTemplate } from '../../support/moto-ec2';

/** An instance as the emulator describes it; ids and addresses are made up but well-formed. */
function anInstance(overrides: Partial<MetadataMockInstance> = {}): MetadataMockInstance {
  return {
    instanceId: 'i-0a1b2c3d4e5f60718',
    instanceType: 'm7g.large',
    zone: 'us-east-1b',
    region: 'us-east-1',
    localIpv4: '10.0.17.42',
    localHostname: 'ip-10-0-17-42.ec2.internal',
    lifecycle: 'on-demand',
    credentials: {
      accessKeyId: 'ASIANODEROLE0000001',
      secretAccessKey: 'node-role-secret',
      token: 'node-role-session-token',
      expiration: new Date(Date.now() + 6 * 3600_000),
    },
    ...overrides,
  };
}

describe('Instance metadata over IMDSv2 (amazon-ec2-metadata-mock, tokens required)', () => {
  const instance = anInstance({ lifecycle: 'spot' });
  let mock: RunningMetadataMock;

  beforeAll(async () => {
    mock = await startEc2MetadataMock(instance);
  }, 120_000);
  afterAll(() => mock?.stop());

  it('reads the instance items with a session token (the emulator refuses calls without one)', async () => {
    const tokenless = await fetch(`${mock.endpoint}/latest/meta-data/instance-id`);
    expect(tokenless.status).toBe(401);

    const metadata = new InstanceMetadataClient({ endpoint: mock.endpoint });
    await expect(metadata.get('meta-data/instance-id')).resolves.toBe(instance.instanceId);
    await expect(metadata.get('meta-data/placement/availability-zone')).resolves.toBe(instance.zone);
    await expect(metadata.get('meta-data/instance-life-cycle')).resolves.toBe('spot');
  });

  it('takes its endpoint from AWS_EC2_METADATA_SERVICE_ENDPOINT, as the AWS SDKs do', async () => {
    const metadata = new InstanceMetadataClient({
      env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: `${mock.endpoint}/` },
    });
    expect(metadata.endpoint).toBe(mock.endpoint);
    await expect(metadata.get('meta-data/local-ipv4')).resolves.toBe(instance.localIpv4);
  });

  it('names the path of an item the instance does not have, and answers undefined for it when asked if present', async () => {
    const metadata = new InstanceMetadataClient({ endpoint: mock.endpoint });
    const missing = metadata.get('meta-data/no-such-item');
    await expect(missing).rejects.toBeInstanceOf(InstanceMetadataError);
    await expect(missing).rejects.toThrow('instance metadata meta-data/no-such-item: not found (404)');
    await expect(metadata.getIfPresent('meta-data/no-such-item')).resolves.toBeUndefined();
  });

  it('names the endpoint it could not reach', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const metadata = new InstanceMetadataClient({ endpoint: nowhere });
    await expect(metadata.get('meta-data/instance-id')).rejects.toThrow(
      `instance metadata api/token: ${nowhere}/latest/api/token could not be reached`,
    );
  });

  it("hands SDK clients the instance role's credentials", async () => {
    const credentials = await instanceRoleCredentials(
      new InstanceMetadataClient({ endpoint: mock.endpoint }),
    )();
    expect(credentials).toEqual({
      accessKeyId: instance.credentials.accessKeyId,
      secretAccessKey: instance.credentials.secretAccessKey,
      sessionToken: instance.credentials.token,
      expiration: new Date(instance.credentials.expiration.toISOString()),
    });
  });
});

const motoEndpoint = engineEndpoint('moto');
const describeOnMoto = motoEndpoint === undefined ? describe.skip : describe;

describeOnMoto('Node identity of an instance the scheduler launched (emulator + moto server)', () => {
  const moto = motoEc2Client(motoEndpoint ?? '');
  const launched: string[] = [];
  const mocks: RunningMetadataMock[] = [];

  /** An instance in moto with these tags, and the emulator answering as that instance. */
  async function anInstanceOnMoto(
    tags: Record<string, string>,
    lifecycle: 'on-demand' | 'spot',
  ): Promise<{ instanceId: string; zone: string; metadata: InstanceMetadataClient; ec2: EC2Client }> {
    const { imageId } = await motoLaunchTemplate(moto);
    const run = await moto.send(
      new RunInstancesCommand({ ImageId: imageId, InstanceType: 'm7g.large', MinCount: 1, MaxCount: 1 }),
    );
    const instanceId = run.Instances![0]!.InstanceId!;
    const zone = run.Instances![0]!.Placement!.AvailabilityZone!;
    launched.push(instanceId);
    const entries = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    if (entries.length > 0)
      await moto.send(new CreateTagsCommand({ Resources: [instanceId], Tags: entries }));
    const mock = await startEc2MetadataMock(anInstance({ instanceId, zone, lifecycle }));
    mocks.push(mock);
    const metadata = new InstanceMetadataClient({ endpoint: mock.endpoint });
    // The agent's own client, but at moto: signed with the role credentials the emulator serves.
    const ec2 = new EC2Client({
      endpoint: motoEndpoint,
      region: 'us-east-1',
      credentials: instanceRoleCredentials(metadata),
    });
    return { instanceId, zone, metadata, ec2 };
  }

  afterAll(async () => {
    await Promise.all(mocks.map((mock) => mock.stop()));
    if (launched.length > 0) await moto.send(new TerminateInstancesCommand({ InstanceIds: launched }));
  });

  it("registers as the NodeClaim named by the instance's Name tag, with the claim's providerID", async () => {
    const { instanceId, zone, metadata, ec2 } = await anInstanceOnMoto(
      {
        Name: 'default-x7k2p',
        [NODEPOOL_TAG]: 'default',
        [NODECLAIM_TAG]: '6f1c3a52-0d1e-4d55-9a57-1f0e8d1c2b3a',
        [CLUSTER_TAG]: 'skiff-test',
      },
      'spot',
    );

    await expect(readInstanceIdentity({ metadata, ec2, arch: 'arm64' })).resolves.toEqual({
      nodeName: 'default-x7k2p',
      providerID: `aws:///${zone}/${instanceId}`,
      zone,
      instanceType: 'm7g.large',
      capacityType: 'spot',
      nodePool: 'default',
      internalIP: '10.0.17.42',
      hostname: 'ip-10-0-17-42.ec2.internal',
      architecture: 'arm64',
    });
  });

  it('with nothing injected, as on a node: the endpoint from the environment, the region and credentials from IMDS', async () => {
    const { instanceId, zone, metadata } = await anInstanceOnMoto({ Name: 'default-q9w8e' }, 'on-demand');
    const saved = { ...process.env };
    process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = metadata.endpoint;
    process.env.AWS_ENDPOINT_URL_EC2 = motoEndpoint;
    try {
      const identity = await readInstanceIdentity();
      expect(identity).toMatchObject({
        nodeName: 'default-q9w8e',
        providerID: `aws:///${zone}/${instanceId}`,
      });
      expect(identity.capacityType).toBe('on-demand');
      expect(identity).not.toHaveProperty('nodePool');
    } finally {
      process.env = saved;
    }
  });

  it('refuses an instance without the Name tag, naming the instance and the tag', async () => {
    const { instanceId, metadata, ec2 } = await anInstanceOnMoto(
      { [CLUSTER_TAG]: 'skiff-test' },
      'on-demand',
    );

    const identity = readInstanceIdentity({ metadata, ec2, arch: 'x64' });
    await expect(identity).rejects.toBeInstanceOf(InstanceIdentityError);
    await expect(identity).rejects.toThrow(`instance ${instanceId} has no Name tag`);
  });
});
