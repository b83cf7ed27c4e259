import type { AwsIdentity } from '../../../lib/auth/eks-token';
import { identityMapper, matchKey, type MapIdentity } from '../../../lib/auth/identity-mapper';
import { decodeObject } from '../../../lib/kinds/decode';
import { AccessEntryKind } from '../../../lib/kinds/access-entry';
import type { KindInfo } from '../../../lib/kinds/kind-info';
import { NodeClaimKind } from '../../../lib/kinds/node-claim';
import { NodeKind } from '../../../lib/kinds/node';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { dynamoClient, dynamoEngines, uniqueTableName } from '../../support/dynamo-engines';

const ACCOUNT = '111122223333';
const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/Deployer`;
const NODE_ROLE = `arn:aws:iam::${ACCOUNT}:role/skiff-node-role`;

/** A verified identity as EksTokenVerifier answers it for a session of `role`. */
const aSession = (role: string, session: string): AwsIdentity => ({
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
  canonicalArn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
  accountId: ACCOUNT,
  userId: 'AROAEXAMPLEID',
  sessionName: session,
  accessKeyId: 'ASIAEXAMPLE',
});
const aUser = (name: string): AwsIdentity => ({
  arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
  canonicalArn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
  accountId: ACCOUNT,
  userId: 'AIDAEXAMPLEID',
  sessionName: '',
  accessKeyId: 'AKIAEXAMPLE',
});

describe('identity mapping through access entries', () => {
  const engine = dynamoEngines()[0];
  const client = dynamoClient(engine.endpoint);
  let store: DynamoObjectStore;
  let map: MapIdentity;
  const create = (kind: KindInfo, manifest: object) =>
    store.create(kind, decodeObject(kind, manifest).object);

  beforeAll(async () => {
    const tableName = uniqueTableName('identity');
    await createObjectTable(client, tableName);
    store = new DynamoObjectStore({ client, tableName });
    const entry = (name: string, spec: object) => ({
      apiVersion: 'skiff.dev/v1alpha1',
      kind: 'AccessEntry',
      metadata: { name },
      spec,
    });
    await create(
      AccessEntryKind,
      entry('developers', {
        principalArn: `arn:aws:iam::${ACCOUNT}:role/teams/Developers`,
        username: 'dev:{{SessionName}}@{{AccountID}}',
        groups: ['developers'],
      }),
    );
    await create(
      AccessEntryKind,
      entry('raw', { principalArn: `arn:aws:iam::${ACCOUNT}:role/Raw`, username: '{{SessionNameRaw}}' }),
    );
    await create(
      AccessEntryKind,
      entry('bob', { principalArn: `arn:aws:iam::${ACCOUNT}:user/bob`, groups: ['ops'] }),
    );
    await create(
      AccessEntryKind,
      entry('needs-session', {
        principalArn: `arn:aws:iam::${ACCOUNT}:user/carol`,
        username: 'u-{{SessionName}}',
      }),
    );
    await create(
      AccessEntryKind,
      entry('byo-nodes', { principalArn: `arn:aws:iam::${ACCOUNT}:role/Byo`, type: 'EC2' }),
    );
    await create(NodeClaimKind, {
      apiVersion: 'skiff.dev/v1alpha1',
      kind: 'NodeClaim',
      metadata: { name: 'default-abc12' },
      spec: { instanceType: 't4g.small' },
    });
    const claim = await store.get(NodeClaimKind, undefined, 'default-abc12');
    await store.updateStatus(NodeClaimKind, {
      ...claim,
      status: { instanceId: 'i-0123456789abcdef0', providerID: 'aws:///us-east-1a/i-0123456789abcdef0' },
    });
    await create(NodeKind, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'hand-made' },
      spec: { providerID: 'aws:///us-east-1b/i-0fedcba9876543210' },
    });
    map = identityMapper({ store, adminPrincipalArn: ADMIN_ROLE, nodeRoleArn: NODE_ROLE, cacheMs: 0 });
  });
  afterAll(() => client.destroy());

  it('makes the deploying principal a cluster admin (system:masters), with EKS uid and extra', async () => {
    expect(await map(aSession('Deployer', 'ci-run-7'))).toEqual({
      name: `arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/ci-run-7`,
      uid: `aws-iam-authenticator:${ACCOUNT}:AROAEXAMPLEID`,
      groups: ['system:masters', 'system:authenticated'],
      extra: {
        arn: [`arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/ci-run-7`],
        canonicalArn: [ADMIN_ROLE],
        sessionName: ['ci-run-7'],
        accessKeyId: ['ASIAEXAMPLE'],
        principalId: ['AROAEXAMPLEID'],
      },
    });
  });

  it('takes the admin as `aws sts get-caller-identity` prints it: an assumed-role ARN means its role', async () => {
    const fromSession = identityMapper({
      store,
      adminPrincipalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/laptop`,
      cacheMs: 0,
    });
    expect((await fromSession(aSession('Deployer', 'other-session')))?.groups).toContain('system:masters');
  });

  it('expands the username templates, matching a role entry with a path to its sessions', async () => {
    const user = await map(aSession('Developers', 'alice@example.com'));
    expect(user?.name).toBe(`dev:alice-example.com@${ACCOUNT}`);
    expect(user?.groups).toEqual(['developers', 'system:authenticated']);
    expect((await map(aSession('Raw', 'alice@example.com')))?.name).toBe('alice@example.com');
  });

  it('names an IAM user by its ARN when the entry sets no username', async () => {
    expect(await map(aUser('bob'))).toMatchObject({
      name: `arn:aws:iam::${ACCOUNT}:user/bob`,
      groups: ['ops', 'system:authenticated'],
    });
  });

  it('maps nothing for an unknown principal, or a session template without a session', async () => {
    expect(await map(aSession('Stranger', 'x'))).toBeUndefined();
    expect(await map(aUser('mallory'))).toBeUndefined();
    expect(await map(aUser('carol'))).toBeUndefined();
  });

  it('maps a node role session to the node whose instance it names', async () => {
    expect(await map(aSession('skiff-node-role', 'i-0123456789abcdef0'))).toMatchObject({
      name: 'system:node:default-abc12',
      groups: ['system:nodes', 'system:authenticated'],
    });
    // A Node registered outside a claim is found by its providerID; an EC2 entry of the user's too.
    expect((await map(aSession('Byo', 'i-0fedcba9876543210')))?.name).toBe('system:node:hand-made');
  });

  it('maps no node for an instance Skiff does not know, or a session that is not an instance id', async () => {
    expect(await map(aSession('skiff-node-role', 'i-0aaaaaaaaaaaaaaaa'))).toBeUndefined();
    expect(await map(aSession('skiff-node-role', 'default-abc12'))).toBeUndefined();
  });

  it('sees a new access entry once its cache time has passed', async () => {
    let now = 1_000_000;
    const cached = identityMapper({ store, cacheMs: 5_000, now: () => now });
    const late = aSession('Latecomer', 's');
    expect(await cached(late)).toBeUndefined();
    await create(AccessEntryKind, {
      apiVersion: 'skiff.dev/v1alpha1',
      kind: 'AccessEntry',
      metadata: { name: 'latecomer' },
      spec: { principalArn: `arn:aws:iam::${ACCOUNT}:role/Latecomer`, groups: ['late'] },
    });
    expect(await cached(late)).toBeUndefined();
    now += 5_000;
    expect((await cached(late))?.groups).toEqual(['late', 'system:authenticated']);
  });

  it('compares roles without their IAM path, users with it', () => {
    expect(matchKey(`arn:aws:iam::${ACCOUNT}:role/a/b/Dev`)).toBe(`arn:aws:iam::${ACCOUNT}:role/Dev`);
    expect(matchKey(`arn:aws:iam::${ACCOUNT}:user/a/bob`)).toBe(`arn:aws:iam::${ACCOUNT}:user/a/bob`);
  });
});
