import type { AwsCredentialIdentity } from '@smithy/types';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createAuthenticatedApi } from '../../../functions/api/authenticated-api';
import { requestAuthorizer, UNAUTHORIZED } from '../../../functions/authorizer/request-authorizer';
import type { ApiRequest } from '../../../lib/api/http';
import { fromAuthorizerContext } from '../../../lib/auth/authorizer-context';
import { eksTokenAuthenticator } from '../../../lib/auth/token-authenticator';
import { AccessEntryKind } from '../../../lib/kinds/access-entry';
import { decodeObject } from '../../../lib/kinds/decode';
import { NodeClaimKind } from '../../../lib/kinds/node-claim';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { dynamoClient, dynamoEngines, uniqueTableName } from '../../support/dynamo-engines';
import { mintEksToken, tokenOfUrl, urlOfToken } from '../../support/eks-token';
import { engineEndpoint } from '../../support/engines/test-engines';
import { motoAssumeRole, motoStsFetch } from '../../support/moto-sts';

const moto = engineEndpoint('moto');
const describeOnMoto = moto === undefined ? describe.skip : describe;

const CLUSTER = 'skiff-auth-test';
const ACCOUNT = '123456789012';
const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/Deployer`;
const DEV_ROLE = `arn:aws:iam::${ACCOUNT}:role/Developers`;
const NODE_ROLE = `arn:aws:iam::${ACCOUNT}:role/skiff-node`;
const STRANGER_ROLE = `arn:aws:iam::${ACCOUNT}:role/Stranger`;
const INSTANCE = 'i-0123456789abcdef0';
const METHOD_ARN = `arn:aws:execute-api:us-east-1:${ACCOUNT}:abc123/prod/GET/api/v1/namespaces`;

/** The event API Gateway hands a REQUEST authorizer whose identity source is the Authorization header. */
const authorizerEvent = (authorization: string): APIGatewayRequestAuthorizerEvent =>
  ({
    type: 'REQUEST',
    methodArn: METHOD_ARN,
    resource: '/{proxy+}',
    path: '/api/v1/namespaces',
    httpMethod: 'GET',
    headers: { Authorization: authorization },
    multiValueHeaders: { Authorization: [authorization] },
    pathParameters: { proxy: 'api/v1/namespaces' },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {} as APIGatewayRequestAuthorizerEvent['requestContext'],
  }) as APIGatewayRequestAuthorizerEvent;

describeOnMoto('the API Gateway authorizer and the API function, with tokens verified by moto STS', () => {
  const engine = dynamoEngines()[0];
  const client = dynamoClient(engine.endpoint);
  const credentials = new Map<string, AwsCredentialIdentity>();
  let admin: AwsCredentialIdentity, dev: AwsCredentialIdentity, node: AwsCredentialIdentity;
  let stranger: AwsCredentialIdentity;
  let authorize: ReturnType<typeof requestAuthorizer>;
  let api: ReturnType<typeof createAuthenticatedApi>;
  let calls: string[];

  /** A token as `aws eks get-token --cluster-name` mints it for these credentials. */
  const tokenOf = (keys: AwsCredentialIdentity, options: { clusterName?: string; signingDate?: Date } = {}) =>
    mintEksToken({ clusterName: CLUSTER, credentials: keys, ...options });

  /** The authorizer's refusal: API Gateway's 401 needs exactly this error. */
  const refusal = async (authorization: string) => {
    try {
      await authorize(authorizerEvent(authorization));
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('the authorizer allowed the request');
  };

  beforeAll(async () => {
    const tableName = uniqueTableName('authorizer');
    await createObjectTable(client, tableName);
    const store = new DynamoObjectStore({ client, tableName });
    [admin, dev, node, stranger] = await Promise.all([
      motoAssumeRole(moto!, ADMIN_ROLE, 'ci'),
      motoAssumeRole(moto!, DEV_ROLE, 'alice@example.com'),
      motoAssumeRole(moto!, NODE_ROLE, INSTANCE),
      motoAssumeRole(moto!, STRANGER_ROLE, 'eve'),
    ]);
    for (const keys of [admin, dev, node, stranger]) credentials.set(keys.accessKeyId, keys);
    const entry = decodeObject(AccessEntryKind, {
      apiVersion: 'skiff.dev/v1alpha1',
      kind: 'AccessEntry',
      metadata: { name: 'developers' },
      spec: { principalArn: DEV_ROLE, username: 'dev:{{SessionName}}', groups: ['developers'] },
    }).object;
    await store.create(AccessEntryKind, entry);
    const claim = await store.create(
      NodeClaimKind,
      decodeObject(NodeClaimKind, {
        apiVersion: 'skiff.dev/v1alpha1',
        kind: 'NodeClaim',
        metadata: { name: 'default-x1' },
        spec: { instanceType: 't4g.small' },
      }).object,
    );
    await store.updateStatus(NodeClaimKind, { ...claim, status: { instanceId: INSTANCE } });

    const sts = motoStsFetch(moto!, credentials, 'sts.us-east-1.amazonaws.com');
    calls = sts.calls;
    const config = {
      clusterName: CLUSTER,
      stsEndpointOverride: moto!,
      adminPrincipalArn: ADMIN_ROLE,
      nodeRoleArn: NODE_ROLE,
    };
    authorize = requestAuthorizer(eksTokenAuthenticator(store, config, { fetch: sts.fetch, cacheMs: 0 }));
    api = createAuthenticatedApi({
      store,
      logError: () => undefined,
      authenticate: eksTokenAuthenticator(store, config, { fetch: sts.fetch, cacheMs: 0 }),
    });
  });
  afterAll(() => client.destroy());

  it('allows a mapped caller for the whole stage, with the user in the context', async () => {
    const answer = await authorize(authorizerEvent(`Bearer ${await tokenOf(dev)}`));
    expect(answer).toEqual({
      principalId: 'dev:alice-example.com',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'execute-api:Invoke',
            Resource: `arn:aws:execute-api:us-east-1:${ACCOUNT}:abc123/prod/*`,
          },
        ],
      },
      context: {
        username: 'dev:alice-example.com',
        uid: expect.stringMatching(new RegExp(`^aws-iam-authenticator:${ACCOUNT}:AROA`)),
        groups: '["developers","system:authenticated"]',
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Developers/alice@example.com`,
      },
    });
    // What the API function reads back from the context API Gateway passes on.
    expect(fromAuthorizerContext(answer.context)).toMatchObject({
      name: 'dev:alice-example.com',
      groups: ['developers', 'system:authenticated'],
    });
  });

  it('maps the deploying principal to system:masters and the node role to its node', async () => {
    const adminAnswer = await authorize(authorizerEvent(`Bearer ${await tokenOf(admin)}`));
    expect(JSON.parse(String(adminAnswer.context?.groups))).toEqual([
      'system:masters',
      'system:authenticated',
    ]);
    const nodeAnswer = await authorize(authorizerEvent(`Bearer ${await tokenOf(node)}`));
    expect(nodeAnswer.context).toMatchObject({
      username: 'system:node:default-x1',
      groups: '["system:nodes","system:authenticated"]',
    });
  });

  it('refuses with 401 a token signed more than 15 minutes ago, without calling STS', async () => {
    const before = calls.length;
    const expired = await tokenOf(dev, { signingDate: new Date(Date.now() - 16 * 60 * 1000) });
    expect(await refusal(`Bearer ${expired}`)).toBe(UNAUTHORIZED);
    expect(calls.length).toBe(before);
  });

  it('refuses with 401 a token minted for another cluster', async () => {
    expect(await refusal(`Bearer ${await tokenOf(dev, { clusterName: 'other-cluster' })}`)).toBe(
      UNAUTHORIZED,
    );
  });

  it('refuses with 401 a tampered token (its signature changed)', async () => {
    const url = urlOfToken(await tokenOf(dev));
    const signature = url.searchParams.get('X-Amz-Signature')!;
    url.searchParams.set(
      'X-Amz-Signature',
      signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
    );
    expect(await refusal(`Bearer ${tokenOfUrl(url)}`)).toBe(UNAUTHORIZED);
  });

  it('refuses with 401 a token presigned for a host that is not STS, without calling it', async () => {
    const before = calls.length;
    const token = await mintEksToken({ clusterName: CLUSTER, credentials: dev, host: 'sts.example.com' });
    expect(await refusal(`Bearer ${token}`)).toBe(UNAUTHORIZED);
    expect(calls.length).toBe(before);
  });

  it('refuses with 401 a valid token of a principal no access entry maps, and a header that is no bearer token', async () => {
    expect(await refusal(`Bearer ${await tokenOf(stranger)}`)).toBe(UNAUTHORIZED);
    expect(await refusal(`Basic ${await tokenOf(dev)}`)).toBe(UNAUTHORIZED);
  });

  describe('the API function, when no authorizer context arrives (LocalStack community)', () => {
    const request = (authorization?: string): ApiRequest => ({
      method: 'GET',
      path: '/api/v1/namespaces',
      query: {},
      headers: authorization === undefined ? {} : { authorization },
    });
    const unauthorized = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    };

    it('answers 401 with kube Unauthorized Status without a token, or with a refused one', async () => {
      for (const authorization of [
        undefined,
        `Bearer ${await tokenOf(dev, { clusterName: 'other-cluster' })}`,
        `Bearer ${await tokenOf(stranger)}`,
      ]) {
        const response = await api(request(authorization), null);
        expect(response.statusCode).toBe(401);
        expect(JSON.parse(response.body)).toEqual(unauthorized);
      }
    });

    it('verifies the token itself, then RBAC decides: the admin lists, the developer is forbidden', async () => {
      expect((await api(request(`Bearer ${await tokenOf(admin)}`), null)).statusCode).toBe(200);
      const forbidden = await api(request(`Bearer ${await tokenOf(dev)}`), null);
      expect(forbidden.statusCode).toBe(403);
      expect(JSON.parse(forbidden.body).message).toBe(
        'namespaces is forbidden: User "dev:alice-example.com" cannot list resource "namespaces" in API group "" at the cluster scope',
      );
    });

    it('trusts a complete authorizer context over the header, and no partial one', async () => {
      const context = {
        username: 'ops',
        groups: '["system:masters","system:authenticated"]',
        uid: '',
        arn: '',
      };
      expect((await api(request(), context)).statusCode).toBe(200);
      expect((await api(request(), { username: 'ops' })).statusCode).toBe(401);
    });
  });
});
