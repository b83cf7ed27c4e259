import type { AwsCredentialIdentity } from '@smithy/types';
import { EksTokenVerifier } from '../../../lib/auth/eks-token';
import { mintEksToken, tokenOfUrl, urlOfToken } from '../../support/eks-token';
import { engineEndpoint } from '../../support/engines/test-engines';
import { motoAssumeRole, motoStsFetch, tokenRefusal } from '../../support/moto-sts';

const endpoint = engineEndpoint('moto');
const describeOnMoto = endpoint === undefined ? describe.skip : describe;

const CLUSTER = 'skiff-test';
const STS_HOST = 'sts.us-east-1.amazonaws.com';
const ROLE = 'arn:aws:iam::123456789012:role/kube-admins';

describeOnMoto('EKS token verification against moto STS', () => {
  let alice: AwsCredentialIdentity;
  let sts: ReturnType<typeof motoStsFetch>;
  let verifier: EksTokenVerifier;

  beforeAll(async () => {
    alice = await motoAssumeRole(endpoint!, ROLE, 'alice');
  });

  beforeEach(() => {
    sts = motoStsFetch(endpoint!, new Map([[alice.accessKeyId, alice]]), STS_HOST);
    verifier = new EksTokenVerifier({
      clusterName: CLUSTER,
      stsEndpointOverride: endpoint,
      fetch: sts.fetch,
    });
  });

  it('answers the identity STS answers for a token minted for this cluster, the session mapped to its role', async () => {
    const token = await mintEksToken({ clusterName: CLUSTER, credentials: alice });
    const identity = await verifier.verify(token);
    expect(identity).toEqual({
      arn: 'arn:aws:sts::123456789012:assumed-role/kube-admins/alice',
      canonicalArn: ROLE,
      accountId: '123456789012',
      userId: expect.stringMatching(/^AROA/),
      sessionName: 'alice',
      accessKeyId: alice.accessKeyId,
    });
    expect(sts.calls).toHaveLength(1);
  });

  it('remembers a verified token: the second request with it makes no STS call', async () => {
    const token = await mintEksToken({ clusterName: CLUSTER, credentials: alice });
    const first = await verifier.verify(token);
    expect(await verifier.verify(token)).toEqual(first);
    expect(sts.calls).toHaveLength(1);
  });

  it('makes one STS call for concurrent requests with one token', async () => {
    const token = await mintEksToken({ clusterName: CLUSTER, credentials: alice });
    const identities = await Promise.all([
      verifier.verify(token),
      verifier.verify(token),
      verifier.verify(token),
    ]);
    expect(new Set(identities.map((i) => i.canonicalArn))).toEqual(new Set([ROLE]));
    expect(sts.calls).toHaveLength(1);
  });

  it("refuses a valid signature by an identity Skiff maps no ARN for (moto's default user)", async () => {
    const moto = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'test' };
    const withMotoUser = motoStsFetch(endpoint!, new Map([[moto.accessKeyId, moto]]), STS_HOST);
    const strict = new EksTokenVerifier({
      clusterName: CLUSTER,
      stsEndpointOverride: endpoint,
      fetch: withMotoUser.fetch,
    });
    const token = await mintEksToken({ clusterName: CLUSTER, credentials: moto });
    expect((await tokenRefusal(strict.verify(token))).message).toMatch(
      /unsupported ARN "arn:aws:sts::123456789012:user\/moto"/,
    );
  });

  it('refuses a token signed more than 15 minutes ago without calling STS', async () => {
    const token = await mintEksToken({
      clusterName: CLUSTER,
      credentials: alice,
      signingDate: new Date(Date.now() - 16 * 60 * 1000),
    });
    const error = await tokenRefusal(verifier.verify(token));
    expect(error.kind).toBe('format');
    expect(error.message).toMatch(/X-Amz-Date parameter is expired/);
    expect(sts.calls).toHaveLength(0);
  });

  it('refuses a cached token once its presigned URL has expired', async () => {
    let now = Date.now();
    const clocked = new EksTokenVerifier({
      clusterName: CLUSTER,
      stsEndpointOverride: endpoint,
      fetch: sts.fetch,
      now: () => now,
    });
    const token = await mintEksToken({ clusterName: CLUSTER, credentials: alice });
    await clocked.verify(token);
    now += 16 * 60 * 1000;
    expect((await tokenRefusal(clocked.verify(token))).message).toMatch(/expired/);
    expect(sts.calls).toHaveLength(1);
  });

  it('refuses a token minted for another cluster: STS finds the signature does not match', async () => {
    const token = await mintEksToken({ clusterName: 'another-cluster', credentials: alice });
    const error = await tokenRefusal(verifier.verify(token));
    expect(error.kind).toBe('sts');
    expect(error.message).toMatch(/expected 200, got 403.*SignatureDoesNotMatch/);
  });

  it('refuses a token whose signature was changed', async () => {
    const url = urlOfToken(await mintEksToken({ clusterName: CLUSTER, credentials: alice }));
    const signature = url.searchParams.get('X-Amz-Signature')!;
    url.searchParams.set('X-Amz-Signature', (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1));
    expect((await tokenRefusal(verifier.verify(tokenOfUrl(url)))).message).toMatch(/SignatureDoesNotMatch/);
  });

  it('refuses a token whose signed query was changed (its date moved to extend it)', async () => {
    const url = urlOfToken(
      await mintEksToken({
        clusterName: CLUSTER,
        credentials: alice,
        signingDate: new Date(Date.now() - 10 * 60 * 1000),
      }),
    );
    const later = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    url.searchParams.set('X-Amz-Date', later);
    expect((await tokenRefusal(verifier.verify(tokenOfUrl(url)))).message).toMatch(/SignatureDoesNotMatch/);
  });

  it('refuses a token that adds a query parameter, before any call', async () => {
    const url = urlOfToken(await mintEksToken({ clusterName: CLUSTER, credentials: alice }));
    url.searchParams.set('RoleArn', ROLE);
    expect((await tokenRefusal(verifier.verify(tokenOfUrl(url)))).message).toMatch(
      /non-whitelisted query parameter "RoleArn"/,
    );
    expect(sts.calls).toHaveLength(0);
  });

  it.each([
    'sts.example.com',
    'sts.us-east-1.amazonaws.com.evil.example',
    '127.0.0.1',
    'sts.us-east-1.amazonaws.com:444',
  ])('refuses a token presigned for host %s without any call, the override notwithstanding', async (host) => {
    const token = await mintEksToken({ clusterName: CLUSTER, credentials: alice, host });
    const error = await tokenRefusal(verifier.verify(token));
    expect(error.kind).toBe('format');
    expect(error.message).toMatch(/unexpected hostname/);
    expect(sts.calls).toHaveLength(0);
  });
});
