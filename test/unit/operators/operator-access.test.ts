import { requestAttributes } from '../../../lib/authz/request-attributes';
import { builtInEntries } from '../../../lib/auth/identity-mapper';
import {
  OPERATORS_GROUP,
  operatorAuthorizer,
  type OperatorGrant,
} from '../../../lib/operators/operator-access';

const grant: OperatorGrant = {
  name: 'static-site',
  roleArn: 'arn:aws:iam::123456789012:role/StaticSites',
  parent: { group: 'web.skiff.dev', plural: 'staticsites' },
  children: [
    { group: '', plural: 'configmaps' },
    { group: 'apps', plural: 'deployments' },
  ],
};
const operator = { name: 'skiff:operator:static-site', groups: [OPERATORS_GROUP, 'system:authenticated'] };
const authorize = operatorAuthorizer([grant]);
const decide = async (user: typeof operator, method: string, path: string) =>
  (await authorize({ ...user, uid: 'u', extra: {} }, requestAttributes({ method, path, query: {} })))
    .decision;

describe('an operator is allowed its grant and nothing else', () => {
  test.each([
    ['GET', '/apis/web.skiff.dev/v1alpha1/namespaces/web/staticsites/site'],
    ['PUT', '/apis/web.skiff.dev/v1alpha1/namespaces/web/staticsites/site'],
    ['PUT', '/apis/web.skiff.dev/v1alpha1/namespaces/web/staticsites/site/status'],
    ['GET', '/api/v1/namespaces/web/configmaps'],
    ['POST', '/apis/apps/v1/namespaces/web/deployments'],
    ['DELETE', '/apis/apps/v1/namespaces/web/deployments/site'],
    ['POST', '/api/v1/namespaces/web/events'],
  ])('%s %s is allowed', async (method, path) => {
    expect(await decide(operator, method, path)).toBe('allow');
  });

  test.each([
    ['DELETE', '/apis/web.skiff.dev/v1alpha1/namespaces/web/staticsites/site'],
    ['GET', '/api/v1/namespaces/web/secrets'],
    ['POST', '/api/v1/namespaces/web/pods'],
    ['GET', '/apis/apps/v1/namespaces/web/replicasets'],
    ['PUT', '/apis/apps/v1/namespaces/web/deployments/site/scale'],
    ['DELETE', '/api/v1/namespaces/web/events/e'],
  ])('%s %s gets no opinion (RBAC decides, and grants it nothing)', async (method, path) => {
    expect(await decide(operator, method, path)).toBe('no-opinion');
  });

  test('another user with the same name but not in the operators group gets no opinion', async () => {
    expect(
      await decide(
        { name: operator.name, groups: ['system:authenticated'] },
        'GET',
        '/api/v1/namespaces/web/configmaps',
      ),
    ).toBe('no-opinion');
  });

  test("the operator's role is a built-in access entry for its user", () => {
    expect(builtInEntries({ operators: [grant] })).toEqual([
      {
        source: 'built-in operator static-site',
        spec: {
          principalArn: grant.roleArn,
          username: operator.name,
          groups: [OPERATORS_GROUP],
          type: 'STANDARD',
        },
      },
    ]);
  });
});
