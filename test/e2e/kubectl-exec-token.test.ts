import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AwsCredentialIdentity } from '@smithy/types';
import { EksTokenVerifier } from '../../lib/auth/eks-token';
import { EksTokenSigner, CachedEksToken } from '../../lib/auth/eks-token-signer';
import { KubeClient } from '../../lib/client/kube-client';
import { KubeApiError } from '../../lib/client/api-error';
import { startLocalControlPlane, type LocalControlPlane } from '../../lib/local/local-control-plane';
import { PROJECT_ROOT } from '../support/engines/project-root';
import { engineEndpoint } from '../support/engines/test-engines';
import { motoAssumeRole, motoStsFetch } from '../support/moto-sts';
import { loopbackCertificate, startAuthFront, type AuthFront } from './kubectl-exec-token-front';

/**
 * kubectl with the kubeconfig `skiff kubeconfig --exec skiff` prints, against a Skiff API behind a
 * front that authenticates as the deployed API's authorizer does: EksTokenVerifier on the bearer
 * token (moto's STS behind the signature-checking proxy), kube's 401 Status without a valid one.
 * The front is test-only; the API behind it is the local control plane, in this process. It
 * serves HTTPS to kubectl (with a certificate made here, its CA in the kubeconfig): kubectl sends
 * no credential, exec or --token, to a plain-http server. KubeClient's tests use its HTTP side.
 */

const endpoint = engineEndpoint('moto');
const describeOnMoto = endpoint === undefined ? describe.skip : describe;

const CLUSTER = 'skiff-e2e';
const REGION = 'us-east-1';
const ROLE = 'arn:aws:iam::123456789012:role/kube-admins';
const SKIFF = join(PROJECT_ROOT, 'bin/skiff');
const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);

describeOnMoto('kubectl with an EKS-style exec credential, through a token-verifying front', () => {
  let alice: AwsCredentialIdentity;
  let plane: LocalControlPlane;
  let front: AuthFront;
  let workDir: string;
  let caFile: string;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'skiff-exec-token-'));
    const certificate = loopbackCertificate(workDir);
    caFile = certificate.caFile;
    alice = await motoAssumeRole(endpoint!, ROLE, 'alice');
    const sts = motoStsFetch(endpoint!, new Map([[alice.accessKeyId, alice]]), `sts.${REGION}.amazonaws.com`);
    plane = await startLocalControlPlane({ port: 0, controllers: [] });
    front = await startAuthFront(
      plane.url,
      new EksTokenVerifier({ clusterName: CLUSTER, stsEndpointOverride: endpoint, fetch: sts.fetch }),
      certificate,
    );
  }, 60_000);
  afterAll(async () => {
    await front?.stop();
    await plane?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  /** The environment kubectl (and so its exec plugin) runs in: alice's keys, nothing of this machine's. */
  function awsEnv(keys: AwsCredentialIdentity | undefined): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: workDir,
      AWS_CONFIG_FILE: join(workDir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      ...(keys
        ? {
            AWS_ACCESS_KEY_ID: keys.accessKeyId,
            AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
            ...(keys.sessionToken ? { AWS_SESSION_TOKEN: keys.sessionToken } : {}),
          }
        : {}),
    };
  }

  /** `skiff kubeconfig` for the front, written to a file of its own. */
  async function kubeconfig(name: string, clusterName = CLUSTER): Promise<string> {
    const printed = await run(
      SKIFF,
      [
        'kubeconfig',
        '--cluster-name',
        clusterName,
        '--server',
        front.url,
        '--exec',
        'skiff',
        '--exec-command',
        SKIFF,
        '--region',
        REGION,
        '--certificate-authority',
        caFile,
      ],
      { env: awsEnv(undefined) },
    );
    const path = join(workDir, name);
    writeFileSync(path, printed.stdout);
    return path;
  }

  /** kubectl with no terminal: its stdin closed, so it never waits to prompt for a username. */
  function kubectl(
    config: string,
    args: string[],
    keys: AwsCredentialIdentity | undefined,
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = execFile(
        KUBECTL,
        ['--kubeconfig', config, '--cache-dir', join(workDir, 'cache'), ...args],
        { env: awsEnv(keys), timeout: 20_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      child.stdin?.end();
    });
  }

  it('kubectl accepts the printed kubeconfig, its user an exec entry running skiff token', async () => {
    const config = await kubeconfig('view.yaml');
    const view = JSON.parse((await kubectl(config, ['config', 'view', '-o', 'json'], undefined)).stdout);
    expect(view['current-context']).toBe(CLUSTER);
    expect(view.clusters).toEqual([
      { name: CLUSTER, cluster: { server: front.url, 'certificate-authority-data': 'DATA+OMITTED' } },
    ]);
    expect(view.users[0].user.exec).toMatchObject({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: SKIFF,
      args: ['token', '--cluster-name', CLUSTER, '--region', REGION],
    });
  });

  it('kubectl get namespaces succeeds with the token the exec entry makes, as the signing role', async () => {
    const config = await kubeconfig('alice.yaml');
    const before = front.identities.length;
    const answer = await kubectl(config, ['get', 'namespaces', '-o', 'name'], alice);
    expect(answer.stderr).toBe('');
    expect(answer.code).toBe(0);
    expect(answer.stdout.split('\n')).toContain('namespace/default');
    const seen = front.identities.slice(before);
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen.map((identity) => identity.canonicalArn))).toEqual(new Set([ROLE]));
  });

  it('kubectl without AWS credentials gets no token and no namespaces', async () => {
    const config = await kubeconfig('nobody.yaml');
    const answer = await kubectl(config, ['get', 'namespaces'], undefined);
    expect(answer.code).not.toBe(0);
    expect(answer.stdout).toBe('');
    expect(answer.stderr).toMatch(/getting credentials: exec: executable .*skiff failed/);
  });

  it('kubectl is answered 401 Unauthorized for a token minted for another cluster', async () => {
    const config = await kubeconfig('other.yaml', 'another-cluster');
    const answer = await kubectl(config, ['get', 'namespaces'], alice);
    expect(answer.code).not.toBe(0);
    expect(answer.stderr).toMatch(/You must be logged in to the server \(Unauthorized\)/);
    expect(front.tokens.at(-1)).toMatch(/^k8s-aws-v1\./);
  });

  it("answers a request without a bearer token with kube's 401 Unauthorized Status", async () => {
    // kubectl itself, given no credential, prompts for a username instead of sending the request.
    const answer = await fetch(`${front.httpUrl}/api/v1/namespaces`);
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Unauthorized',
      code: 401,
    });
  });

  describe("KubeClient with a renewing token provider (the node agent's)", () => {
    it('renews its token once after a 401 and succeeds with the new one', async () => {
      const signer = new EksTokenSigner({
        clusterName: CLUSTER,
        region: REGION,
        credentials: async () => alice,
      });
      // The first token is for another cluster: the front refuses it as it would an expired one.
      let first = true;
      const tokens = new CachedEksToken({
        sign: async () => {
          if (!first) return signer.sign();
          first = false;
          return new EksTokenSigner({
            clusterName: 'another-cluster',
            region: REGION,
            credentials: async () => alice,
          }).sign();
        },
      });
      const client = new KubeClient({ server: front.httpUrl, token: tokens });
      const shown = front.tokens.length;
      const namespaces = await client.list<{ metadata: { name: string } }>({
        apiVersion: 'v1',
        plural: 'namespaces',
      });
      expect(namespaces.items.map((item) => item.metadata.name)).toContain('default');
      const sent = front.tokens.slice(shown);
      expect(sent).toHaveLength(2);
      expect(sent[0]).not.toBe(sent[1]);
      // The renewed token is kept: the next request makes no new one.
      await client.list({ apiVersion: 'v1', plural: 'namespaces' });
      expect(front.tokens.slice(shown)).toEqual([sent[0], sent[1], sent[1]]);
    });

    it('does not retry a 401 when its token cannot be renewed (a token function), and passes the Status on', async () => {
      const { token } = await new EksTokenSigner({
        clusterName: 'another-cluster',
        region: REGION,
        credentials: async () => alice,
      }).sign();
      const client = new KubeClient({ server: front.httpUrl, token: async () => token });
      const shown = front.tokens.length;
      const failure = await client
        .list({ apiVersion: 'v1', plural: 'namespaces' })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(KubeApiError);
      expect((failure as KubeApiError).code).toBe(401);
      expect(front.tokens.length - shown).toBe(1);
    });

    it('gives up after one renewal: a second 401 is the answer', async () => {
      const bad = new CachedEksToken(
        new EksTokenSigner({
          clusterName: 'another-cluster',
          region: REGION,
          credentials: async () => alice,
        }),
      );
      const client = new KubeClient({ server: front.httpUrl, token: bad });
      const shown = front.tokens.length;
      const failure = await client
        .list({ apiVersion: 'v1', plural: 'namespaces' })
        .catch((error: unknown) => error);
      expect((failure as KubeApiError).code).toBe(401);
      expect(front.tokens.length - shown).toBe(2);
    });
  });
});
