import { accessReviewStatus } from '../../../lib/authz/access-review';
import { unionAuthorizer } from '../../../lib/authz/authorizer';
import type { UserInfo } from '../../../lib/authz/decision';
import { nodeAuthorizer } from '../../../lib/authz/node-authorizer';
import { rbacAuthorizer } from '../../../lib/authz/rbac-authorizer';
import { inMemoryPolicy } from './in-memory-policy';

const authorizer = unionAuthorizer(
  nodeAuthorizer({ podsBoundTo: () => Promise.resolve([]) }),
  rbacAuthorizer(inMemoryPolicy({})),
);
const admin: UserInfo = { name: 'root', groups: ['system:masters', 'system:authenticated'] };
const jane: UserInfo = { name: 'jane', groups: ['system:authenticated'] };
const nodeA: UserInfo = { name: 'system:node:node-a', groups: ['system:nodes', 'system:authenticated'] };

describe('SelfSubjectAccessReview answered by the authorizers', () => {
  it('allows cluster-admin with the RBAC reason', async () => {
    const status = await accessReviewStatus(authorizer, admin, {
      resourceAttributes: { verb: 'delete', resource: 'nodes', name: 'n1' },
    });
    expect(status).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"',
    });
  });

  it('does not allow (and does not deny) what no rule grants', async () => {
    const status = await accessReviewStatus(authorizer, jane, {
      resourceAttributes: { verb: 'list', resource: 'pods', namespace: 'default' },
    });
    expect(status).toEqual({ allowed: false });
  });

  it('answers non-resource URLs', async () => {
    expect(
      (
        await accessReviewStatus(authorizer, jane, {
          nonResourceAttributes: { verb: 'get', path: '/healthz' },
        })
      ).allowed,
    ).toBe(true);
    expect(
      (
        await accessReviewStatus(authorizer, jane, {
          nonResourceAttributes: { verb: 'get', path: '/metrics' },
        })
      ).allowed,
    ).toBe(false);
  });

  it("reports a node's denial as denied", async () => {
    const status = await accessReviewStatus(authorizer, nodeA, {
      resourceAttributes: { verb: 'update', resource: 'nodes', name: 'node-b' },
    });
    expect(status).toEqual({
      allowed: false,
      denied: true,
      reason: 'node "node-a" is not allowed to modify node "node-b"',
    });
  });
});
