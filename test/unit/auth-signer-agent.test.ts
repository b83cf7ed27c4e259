import { agentApiToken } from '../../lib/agent/ec2/node-api-token';
import { loadAgentConfig } from '../../lib/agent/agent-config';
import { ConfigError } from '../../lib/config/parse-env';
import { mintEksToken, urlOfToken } from '../support/eks-token';

/** How the node agent decides whether and as whom it authenticates to the API (lib/agent/main.ts). */

const ROLE_KEYS = {
  accessKeyId: 'ASIANODEROLE0000001',
  secretAccessKey: 'node-role-secret',
  sessionToken: 'node-role-session-token',
  expiration: new Date(Date.now() + 6 * 3600_000),
};
const instance = (clusterName: string | undefined) => ({
  clusterName,
  region: 'eu-central-1',
  credentials: async () => ROLE_KEYS,
});

/** The token re-signed for `clusterName` with the role's keys at the token's own time: equal iff it was signed for that cluster. */
async function signedFor(token: string, clusterName: string): Promise<boolean> {
  const url = urlOfToken(token);
  const date = url.searchParams.get('X-Amz-Date')!;
  const signingDate = new Date(
    date.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'),
  );
  const expected = await mintEksToken({
    clusterName,
    credentials: ROLE_KEYS,
    region: 'eu-central-1',
    signingDate,
  });
  return expected === token;
}

describe("the node agent's API token", () => {
  it('reads SKIFF_CLUSTER_NAME as optional', () => {
    const base = { SKIFF_API_URL: 'http://127.0.0.1:8080' };
    expect(loadAgentConfig(base).clusterName).toBeUndefined();
    expect(loadAgentConfig({ ...base, SKIFF_CLUSTER_NAME: 'prod' }).clusterName).toBe('prod');
  });

  it('sends none with the host identity and no cluster name: the local server, unchanged', () => {
    expect(agentApiToken({ clusterName: undefined }, undefined)).toBeUndefined();
  });

  it("on EC2, signs with the instance role for the instance's cluster tag, naming its region's STS", async () => {
    const token = agentApiToken({ clusterName: undefined }, instance('skiff-prod'))!;
    expect(token.describe).toBe('instance role tokens for cluster skiff-prod');
    const value = (await token.provider.token())!;
    const url = urlOfToken(value);
    expect(url.host).toBe('sts.eu-central-1.amazonaws.com');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(
      /^ASIANODEROLE0000001\/\d{8}\/eu-central-1\/sts\//,
    );
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('node-role-session-token');
    expect(await signedFor(value, 'skiff-prod')).toBe(true);
  });

  it('on EC2, SKIFF_CLUSTER_NAME wins over the tag', async () => {
    const token = agentApiToken({ clusterName: 'renamed' }, instance('skiff-prod'))!;
    const value = (await token.provider.token())!;
    expect(await signedFor(value, 'renamed')).toBe(true);
    expect(await signedFor(value, 'skiff-prod')).toBe(false);
  });

  it('on EC2 without either, refuses to start, naming both', () => {
    expect(() => agentApiToken({ clusterName: undefined }, instance(undefined))).toThrow(ConfigError);
    expect(() => agentApiToken({ clusterName: undefined }, instance(undefined))).toThrow(
      /SKIFF_CLUSTER_NAME is unset and the instance has no skiff.dev\/cluster tag/,
    );
  });

  it('signs once for many requests, and again after renew() (a 401)', async () => {
    let signings = 0;
    const counted = {
      ...instance('skiff-prod'),
      credentials: async () => {
        signings += 1;
        return ROLE_KEYS;
      },
    };
    const { provider } = agentApiToken({ clusterName: undefined }, counted)!;
    const first = await provider.token();
    expect(await provider.token()).toBe(first);
    expect(signings).toBe(1);
    provider.renew();
    expect(await signedFor((await provider.token())!, 'skiff-prod')).toBe(true);
    expect(signings).toBe(2);
  });
});
