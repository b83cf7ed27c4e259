import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AwsCredentialIdentity } from '@smithy/types';
import { EksTokenVerifier } from '../../lib/auth/eks-token';
import { EksTokenSigner } from '../../lib/auth/eks-token-signer';
import { urlOfToken } from '../support/eks-token';
import { PROJECT_ROOT } from '../support/engines/project-root';
import { engineEndpoint } from '../support/engines/test-engines';
import { motoAssumeRole, motoStsFetch, tokenRefusal } from '../support/moto-sts';

/**
 * Tokens made on Skiff's client side — by the signer, by `skiff token`, and by AWS CLI v1's own
 * `aws eks get-token` (what a kubeconfig's aws exec entry runs) — verified by the API's
 * EksTokenVerifier against moto's STS behind the signature-checking proxy (test/support/moto-sts.ts).
 */

const endpoint = engineEndpoint('moto');
const describeOnMoto = endpoint === undefined ? describe.skip : describe;

const CLUSTER = 'skiff-test';
const REGION = 'eu-west-1';
const ROLE = 'arn:aws:iam::123456789012:role/kube-admins';
const SKIFF = join(PROJECT_ROOT, 'bin/skiff');
const AWS_CLI = join(PROJECT_ROOT, '.venv/awscli/bin/aws');

/** The environment an AWS tool finds `keys` in, and nothing of this machine's own AWS setup. */
function awsEnv(keys: AwsCredentialIdentity, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: '/nonexistent',
    AWS_CONFIG_FILE: '/nonexistent/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    ...(keys.sessionToken ? { AWS_SESSION_TOKEN: keys.sessionToken } : {}),
    ...extra,
  };
}

describeOnMoto('client-side EKS tokens, verified against moto STS', () => {
  let alice: AwsCredentialIdentity;
  let sts: ReturnType<typeof motoStsFetch>;
  let verifier: EksTokenVerifier;

  beforeAll(async () => {
    alice = await motoAssumeRole(endpoint!, ROLE, 'alice');
  });

  beforeEach(() => {
    sts = motoStsFetch(endpoint!, new Map([[alice.accessKeyId, alice]]), `sts.${REGION}.amazonaws.com`);
    verifier = new EksTokenVerifier({
      clusterName: CLUSTER,
      stsEndpointOverride: endpoint,
      fetch: sts.fetch,
    });
  });

  it("verifies a signer's token as the signing role's session", async () => {
    const { token } = await new EksTokenSigner({
      clusterName: CLUSTER,
      region: REGION,
      credentials: async () => alice,
    }).sign();
    expect(await verifier.verify(token)).toMatchObject({
      arn: 'arn:aws:sts::123456789012:assumed-role/kube-admins/alice',
      canonicalArn: ROLE,
      sessionName: 'alice',
      accessKeyId: alice.accessKeyId,
    });
    expect(sts.calls).toHaveLength(1);
  });

  it("refuses a signer's token made for another cluster name (STS: SignatureDoesNotMatch)", async () => {
    const { token } = await new EksTokenSigner({
      clusterName: 'another-cluster',
      region: REGION,
      credentials: async () => alice,
    }).sign();
    const error = await tokenRefusal(verifier.verify(token));
    expect(error.kind).toBe('sts');
    expect(error.message).toMatch(/got 403.*SignatureDoesNotMatch/);
  });

  it('signs with the default credential chain: keys from the environment', async () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, awsEnv(alice));
      const { token } = await new EksTokenSigner({ clusterName: CLUSTER, region: REGION }).sign();
      expect((await verifier.verify(token)).canonicalArn).toBe(ROLE);
    } finally {
      process.env = saved;
    }
  });

  it('`skiff token` prints an ExecCredential whose token verifies, in the version KUBERNETES_EXEC_INFO asks for', async () => {
    const run = await promisify(execFile)(SKIFF, ['token', '--cluster-name', CLUSTER, '--region', REGION], {
      env: awsEnv(alice, {
        KUBERNETES_EXEC_INFO: JSON.stringify({
          kind: 'ExecCredential',
          apiVersion: 'client.authentication.k8s.io/v1',
          spec: { interactive: false },
        }),
      }),
    });
    const credential = JSON.parse(run.stdout) as {
      kind: string;
      apiVersion: string;
      spec: object;
      status: { token: string; expirationTimestamp: string };
    };
    expect(credential).toEqual({
      kind: 'ExecCredential',
      apiVersion: 'client.authentication.k8s.io/v1',
      spec: {},
      status: {
        token: expect.stringMatching(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/),
        expirationTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      },
    });
    const signedAt = urlOfToken(credential.status.token).searchParams.get('X-Amz-Date')!;
    const signedAtMs = Date.parse(
      signedAt.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'),
    );
    expect(Date.parse(credential.status.expirationTimestamp) - signedAtMs).toBe(14 * 60 * 1000);
    expect((await verifier.verify(credential.status.token)).canonicalArn).toBe(ROLE);
  });

  it('`skiff token --token-only` prints the bare token, for a context tokenCommand', async () => {
    const run = await promisify(execFile)(
      SKIFF,
      ['token', '--cluster-name', CLUSTER, '--region', REGION, '--token-only'],
      { env: awsEnv(alice) },
    );
    expect(run.stdout).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+\n$/);
    expect((await verifier.verify(run.stdout.trim())).canonicalArn).toBe(ROLE);
  });

  it("`skiff token` without credentials fails with the chain's message and prints no token", async () => {
    const run = spawnSync(SKIFF, ['token', '--cluster-name', CLUSTER], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: '/nonexistent',
        AWS_CONFIG_FILE: '/nonexistent/config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: .*credentials/i);
  });

  describe('AWS CLI v1: `aws eks get-token`, as a kubeconfig aws exec entry runs it', () => {
    // Installed (a no-op once there) only when these tests run: a skipped describe still collects.
    const install =
      endpoint === undefined
        ? undefined
        : spawnSync('bash', [join(PROJECT_ROOT, 'scripts/engines/fetch-awscli.sh')], {
            encoding: 'utf8',
            timeout: 300_000,
          });
    const available = install?.status === 0 && existsSync(AWS_CLI);
    if (install !== undefined && !available) process.stderr.write(`awscli unavailable: ${install.stderr}\n`);
    // In CI the AWS CLI is a required engine: its absence fails rather than skips.
    const itWithAwsCli = available || process.env.CI === 'true' ? it : it.skip;

    async function awsGetToken(clusterName: string): Promise<{ status: { token: string } }> {
      const run = await promisify(execFile)(
        AWS_CLI,
        ['eks', 'get-token', '--cluster-name', clusterName, '--output', 'json'],
        { env: awsEnv(alice, { AWS_DEFAULT_REGION: REGION, AWS_STS_REGIONAL_ENDPOINTS: 'regional' }) },
      );
      return JSON.parse(run.stdout) as { status: { token: string } };
    }

    itWithAwsCli("verifies aws-cli's token for this cluster as the caller's role", async () => {
      const credential = await awsGetToken(CLUSTER);
      expect(urlOfToken(credential.status.token).host).toBe(`sts.${REGION}.amazonaws.com`);
      expect(await verifier.verify(credential.status.token)).toMatchObject({
        canonicalArn: ROLE,
        sessionName: 'alice',
      });
    });

    itWithAwsCli("refuses aws-cli's token for another cluster", async () => {
      const credential = await awsGetToken('another-cluster');
      expect((await tokenRefusal(verifier.verify(credential.status.token))).message).toMatch(
        /SignatureDoesNotMatch/,
      );
    });

    itWithAwsCli('prints what skiff token prints, field for field', async () => {
      const aws = (await awsGetToken(CLUSTER)) as unknown as Record<string, unknown>;
      const skiff = JSON.parse(
        (
          await promisify(execFile)(SKIFF, ['token', '--cluster-name', CLUSTER, '--region', REGION], {
            env: awsEnv(alice),
          })
        ).stdout,
      ) as Record<string, unknown>;
      const shape = (credential: Record<string, unknown>) => ({
        ...credential,
        status: Object.keys(credential.status as object).sort(),
      });
      expect(shape(skiff)).toEqual(shape(aws));
      const query = (credential: Record<string, unknown>) =>
        [...urlOfToken((credential.status as { token: string }).token).searchParams.keys()].sort();
      expect(query(skiff)).toEqual(query(aws));
    });
  });
});
