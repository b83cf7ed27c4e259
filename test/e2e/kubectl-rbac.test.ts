import { execFileSync, spawnSync } from 'node:child_process';
import { eventually } from '../support/eventually';
import { KUBECTL, kubectlUnavailable } from './watch-clients/watch-client-tools';
import { aKubeconfigServer } from './real-tools/kubeconfig-server';

const unavailable = kubectlUnavailable();
const describeWithKubectl = unavailable ? describe.skip : describe;
if (unavailable) console.warn(`kubectl RBAC tests skipped: ${unavailable}`);

/**
 * kubectl 1.32 against `npm start` for RBAC: `auth can-i` answers through SelfSubjectAccessReview,
 * `create role|clusterrolebinding` and `apply` store RBAC objects, and the default roles are there.
 */
describeWithKubectl('kubectl and RBAC', () => {
  // With the controllers (no nodes): the clusterrole-aggregation controller is one of them.
  const { kubectlArgs: args } = aKubeconfigServer('skiff-kubectl-rbac-', ['--in-memory', '--nodes', '0']);
  const kubectl = (...rest: string[]) =>
    execFileSync(KUBECTL, args(rest), { encoding: 'utf8', timeout: 30_000 });

  it('auth can-i create deployments prints yes and exits 0', () => {
    const run = spawnSync(KUBECTL, args(['auth', 'can-i', 'create', 'deployments']), {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stdout).toBe('yes\n');
    expect(run.status).toBe(0);
    expect(kubectl('auth', 'can-i', '--list').split('\n')[1].split(/\s+/).slice(0, 4)).toEqual([
      '*.*',
      '[]',
      '[]',
      '[*]',
    ]);
  });

  it('creates a role and a cluster role binding, and applies the example', () => {
    expect(kubectl('create', 'role', 'r', '--verb=get', '--resource=pods')).toBe(
      'role.rbac.authorization.k8s.io/r created\n',
    );
    const roles = kubectl('get', 'role', 'r').trim().split('\n');
    expect(roles[0].split(/\s{2,}/)).toEqual(['NAME', 'CREATED AT']);
    expect(roles[1]).toMatch(/^r\s+\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(kubectl('get', 'role', 'r', '-o', 'jsonpath={.rules}')).toBe(
      '[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]',
    );
    expect(kubectl('create', 'clusterrolebinding', 'ops', '--clusterrole=view', '--group=ops')).toBe(
      'clusterrolebinding.rbac.authorization.k8s.io/ops created\n',
    );
    const bindings = kubectl('get', 'clusterrolebinding', 'ops', '-o', 'wide').trim().split('\n');
    expect(bindings[0].split(/\s+/)).toEqual(['NAME', 'ROLE', 'AGE', 'USERS', 'GROUPS', 'SERVICEACCOUNTS']);
    expect(bindings[1].split(/\s+/).filter((cell) => !/^\d+s$/.test(cell))).toEqual([
      'ops',
      'ClusterRole/view',
      'ops',
    ]);
    expect(kubectl('apply', '-f', 'examples/rbac.yaml')).toBe(
      [
        'role.rbac.authorization.k8s.io/pod-reader created',
        'rolebinding.rbac.authorization.k8s.io/jane-reads-pods created',
        'clusterrole.rbac.authorization.k8s.io/deployment-reader created',
        'clusterrolebinding.rbac.authorization.k8s.io/auditors-read-deployments created',
        '',
      ].join('\n'),
    );
  });

  it("aggregates a role labelled aggregate-to-view into view, as kube's controller does", async () => {
    // examples/rbac.yaml's deployment-reader carries the label (applied above).
    await eventually(async () => {
      const view = JSON.parse(kubectl('get', 'clusterroles', 'view', '-o', 'json'));
      expect(view.rules).toContainEqual({
        apiGroups: ['apps'],
        resources: ['deployments'],
        verbs: ['get', 'list', 'watch'],
      });
    });
  });

  it('shows the default view role with its aggregation rule and rules', () => {
    const yaml = kubectl('get', 'clusterroles', 'view', '-o', 'yaml');
    expect(yaml).toContain('rbac.authorization.k8s.io/aggregate-to-view: "true"');
    expect(yaml).toContain('kubernetes.io/bootstrapping: rbac-defaults');
    const view = JSON.parse(kubectl('get', 'clusterroles', 'view', '-o', 'json'));
    expect(view.rules).toContainEqual({
      apiGroups: [''],
      resources: ['namespaces'],
      verbs: ['get', 'list', 'watch'],
    });
  });
});
