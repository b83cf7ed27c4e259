import { loadAuthConfig } from '../../../lib/auth/auth-config';
import { fromAuthorizerContext, toAuthorizerContext } from '../../../lib/auth/authorizer-context';

describe('authentication configuration', () => {
  it('requires the cluster name tokens are minted for', () => {
    expect(() => loadAuthConfig({})).toThrow(/SKIFF_CLUSTER_NAME/);
  });

  it('sends STS calls to SKIFF_STS_ENDPOINT, else AWS_ENDPOINT_URL_STS, else AWS_ENDPOINT_URL, else the token', () => {
    const base = { SKIFF_CLUSTER_NAME: 'c' };
    expect(loadAuthConfig(base)).toEqual({ clusterName: 'c' });
    expect(loadAuthConfig({ ...base, AWS_ENDPOINT_URL: 'http://ls:4566' }).stsEndpointOverride).toBe(
      'http://ls:4566',
    );
    expect(
      loadAuthConfig({ ...base, AWS_ENDPOINT_URL: 'http://ls:4566', AWS_ENDPOINT_URL_STS: 'http://sts:1' })
        .stsEndpointOverride,
    ).toBe('http://sts:1');
    expect(
      loadAuthConfig({ ...base, AWS_ENDPOINT_URL_STS: 'http://sts:1', SKIFF_STS_ENDPOINT: 'http://moto:2' })
        .stsEndpointOverride,
    ).toBe('http://moto:2');
  });

  it('reads the built-in admin and node role, an empty value meaning none', () => {
    expect(
      loadAuthConfig({
        SKIFF_CLUSTER_NAME: 'c',
        SKIFF_ADMIN_PRINCIPAL_ARN: ' arn:aws:iam::123456789012:role/Admin ',
        SKIFF_NODE_ROLE_ARN: '',
      }),
    ).toEqual({ clusterName: 'c', adminPrincipalArn: 'arn:aws:iam::123456789012:role/Admin' });
  });
});

describe('the authorizer context', () => {
  const user = {
    name: 'dev:alice',
    uid: 'aws-iam-authenticator:123456789012:AROAX',
    groups: ['developers', 'system:authenticated'],
    extra: { arn: ['arn:aws:sts::123456789012:assumed-role/Dev/alice'], sessionName: ['alice'] },
  };

  it('carries the user through API Gateway as strings, groups as JSON', () => {
    const context = toAuthorizerContext(user);
    expect(Object.values(context).every((value) => typeof value === 'string')).toBe(true);
    expect(fromAuthorizerContext({ principalId: 'dev:alice', integrationLatency: 3, ...context })).toEqual({
      name: user.name,
      uid: user.uid,
      groups: user.groups,
      extra: { arn: user.extra.arn },
    });
  });

  it.each([
    ['no context', null],
    ['only a principal id', { principalId: 'x' }],
    ['no groups', { username: 'x' }],
    ['groups that are not JSON', { username: 'x', groups: 'a,b' }],
    ['groups that are not strings', { username: 'x', groups: '[1]' }],
    ['an empty username', { username: '', groups: '[]' }],
  ])('finds no user in %s', (_label, context) => {
    expect(fromAuthorizerContext(context)).toBeUndefined();
  });

  it('reads the operators the stack deploys from SKIFF_OPERATORS, and refuses a value that is not a list of grants', () => {
    const grant = {
      name: 'static-site',
      roleArn: 'arn:aws:iam::123456789012:role/Sites',
      parent: { group: 'web.skiff.dev', plural: 'staticsites' },
      children: [{ group: 'apps', plural: 'deployments' }],
    };
    expect(
      loadAuthConfig({ SKIFF_CLUSTER_NAME: 'c', SKIFF_OPERATORS: JSON.stringify([grant]) }).operators,
    ).toEqual([grant]);
    expect(() => loadAuthConfig({ SKIFF_CLUSTER_NAME: 'c', SKIFF_OPERATORS: '[{"name":"x"}]' })).toThrow(
      /SKIFF_OPERATORS.*is not a list of operator grants/s,
    );
  });
});
