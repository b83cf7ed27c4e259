import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseToken } from '../../lib/auth/eks-token';
import {
  CachedEksToken,
  EksTokenSigner,
  execCredentialOf,
  resolveRegion,
  stsHostOf,
  type EksToken,
} from '../../lib/auth/eks-token-signer';
import { mintEksToken, urlOfToken } from '../support/eks-token';

const KEYS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEBYaD+/session=token',
};
const SIGNED_AT = Date.UTC(2026, 11, 1, 10, 0, 0);

function signer(options: { region?: string; stsEndpoint?: string; clusterName?: string } = {}) {
  return new EksTokenSigner({
    clusterName: options.clusterName ?? 'prod',
    region: options.region ?? 'eu-west-1',
    credentials: async () => KEYS,
    now: () => SIGNED_AT + 250,
    ...(options.stsEndpoint ? { stsEndpoint: options.stsEndpoint } : {}),
  });
}

describe('EKS token signer', () => {
  it('makes k8s-aws-v1. + unpadded base64url of a GetCallerIdentity URL presigned for 60 s with the cluster header signed', async () => {
    const { token } = await signer().sign();
    expect(token).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/);
    const url = urlOfToken(token);
    expect(url.origin).toBe('https://sts.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    const query = Object.fromEntries(url.searchParams);
    expect(query).toEqual({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLE/20261201/eu-west-1/sts/aws4_request',
      'X-Amz-Date': '20261201T100000Z',
      'X-Amz-Expires': '60',
      'X-Amz-Security-Token': KEYS.sessionToken,
      'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
      'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('signs exactly what the SDK presigner signs for the same keys, time and region (the signature included)', async () => {
    const { token } = await signer().sign();
    const reference = await mintEksToken({
      clusterName: 'prod',
      credentials: KEYS,
      region: 'eu-west-1',
      signingDate: new Date(SIGNED_AT),
    });
    expect(token).toBe(reference);
  });

  it('binds the token to its cluster: another name gives another signature', async () => {
    const prod = urlOfToken((await signer().sign()).token).searchParams.get('X-Amz-Signature');
    const dev = urlOfToken((await signer({ clusterName: 'dev' }).sign()).token).searchParams.get(
      'X-Amz-Signature',
    );
    expect(dev).not.toBe(prod);
  });

  it("passes every check Skiff's verifier makes before calling STS, until 15 minutes after signing", async () => {
    const { token } = await signer().sign();
    expect(parseToken(token, SIGNED_AT + 14 * 60 * 1000).expiresAt).toBe(SIGNED_AT + 15 * 60 * 1000);
    expect(() => parseToken(token, SIGNED_AT + 15 * 60 * 1000 + 1)).toThrow(/expired/);
  });

  it('reports expiry 14 minutes after signing, as aws-cli does, in an ExecCredential', async () => {
    const token = await signer().sign();
    expect(token.signedAt.toISOString()).toBe('2026-12-01T10:00:00.000Z');
    expect(execCredentialOf(token)).toEqual({
      kind: 'ExecCredential',
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      spec: {},
      status: { expirationTimestamp: '2026-12-01T10:14:00Z', token: token.token },
    });
    expect(execCredentialOf(token, 'client.authentication.k8s.io/v1').apiVersion).toBe(
      'client.authentication.k8s.io/v1',
    );
  });

  it('names an endpoint override (LocalStack, moto) as the URL, scheme and port included', async () => {
    const url = urlOfToken((await signer({ stsEndpoint: 'http://127.0.0.1:4566' }).sign()).token);
    expect(url.origin).toBe('http://127.0.0.1:4566');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/\/eu-west-1\/sts\/aws4_request$/);
  });

  it.each([
    ['us-east-1', 'sts.us-east-1.amazonaws.com'],
    ['us-gov-west-1', 'sts.us-gov-west-1.amazonaws.com'],
    ['cn-north-1', 'sts.cn-north-1.amazonaws.com.cn'],
    ['aws-global', 'sts.amazonaws.com'],
  ])('names the STS host of region %s: %s', (region, host) => {
    expect(stsHostOf(region)).toBe(host);
  });

  it('signs the global endpoint for us-east-1, as STS requires', async () => {
    const url = urlOfToken((await signer({ region: 'aws-global' }).sign()).token);
    expect(url.host).toBe('sts.amazonaws.com');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/\/us-east-1\/sts\//);
  });

  it('refuses a region that is not a region name rather than naming a host of its making', () => {
    expect(() => stsHostOf('evil.example.com/')).toThrow(/not an AWS region/);
  });
});

describe('region resolution', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('takes the flag, then AWS_REGION, then AWS_DEFAULT_REGION', async () => {
    expect(await resolveRegion('ap-south-1', { AWS_REGION: 'eu-west-1' })).toBe('ap-south-1');
    expect(await resolveRegion(undefined, { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-west-2' })).toBe(
      'eu-west-1',
    );
    expect(await resolveRegion(undefined, { AWS_DEFAULT_REGION: 'us-west-2' })).toBe('us-west-2');
  });

  it("then the profile's region in the AWS config file, else us-east-1", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-aws-config-'));
    writeFileSync(
      join(dir, 'config'),
      '[default]\nregion = eu-central-1\n[profile other]\nregion = sa-east-1\n',
    );
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    process.env.AWS_PROFILE = 'other';
    expect(await resolveRegion(undefined, {})).toBe('sa-east-1');
    process.env.AWS_CONFIG_FILE = join(dir, 'none');
    expect(await resolveRegion(undefined, {})).toBe('us-east-1');
  });
});

describe('cached token for a long-running client', () => {
  function countingSigner() {
    let clock = SIGNED_AT;
    const signed: EksToken[] = [];
    const source = {
      async sign(): Promise<EksToken> {
        const token = {
          token: `k8s-aws-v1.t${signed.length}`,
          signedAt: new Date(clock),
          expiresAt: new Date(clock + 14 * 60 * 1000),
        };
        signed.push(token);
        return token;
      },
    };
    return { source, signed, advance: (ms: number) => (clock += ms), now: () => clock };
  }

  it('reuses one token for 10 minutes, then signs a new one', async () => {
    const s = countingSigner();
    const cached = new CachedEksToken(s.source, { now: s.now });
    expect(await cached.token()).toBe('k8s-aws-v1.t0');
    s.advance(9 * 60 * 1000 + 59_000);
    expect(await cached.token()).toBe('k8s-aws-v1.t0');
    s.advance(1000);
    expect(await cached.token()).toBe('k8s-aws-v1.t1');
    expect(s.signed).toHaveLength(2);
  });

  it('signs once for concurrent requests', async () => {
    const s = countingSigner();
    const cached = new CachedEksToken(s.source, { now: s.now });
    expect(new Set(await Promise.all([cached.token(), cached.token(), cached.token()]))).toEqual(
      new Set(['k8s-aws-v1.t0']),
    );
    expect(s.signed).toHaveLength(1);
  });

  it('signs anew after renew() (a 401)', async () => {
    const s = countingSigner();
    const cached = new CachedEksToken(s.source, { now: s.now });
    await cached.token();
    cached.renew();
    expect(await cached.token()).toBe('k8s-aws-v1.t1');
  });
});
