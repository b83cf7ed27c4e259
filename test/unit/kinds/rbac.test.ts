import { ClusterRoleBindingKind, type ClusterRoleBinding } from '../../../lib/kinds/cluster-role-binding';
import { ClusterRoleKind } from '../../../lib/kinds/cluster-role';
import { RoleBindingKind, type RoleBinding } from '../../../lib/kinds/role-binding';
import { RoleKind, type Role } from '../../../lib/kinds/role';
import { decoded, invalidLines } from './decode-helpers';

const GROUP = 'rbac.authorization.k8s.io';
const aRole = (rules: unknown[], name = 'pod-reader') => ({
  apiVersion: `${GROUP}/v1`,
  kind: 'Role',
  metadata: { name, namespace: 'default' },
  rules,
});
const aRoleBinding = (fields: Record<string, unknown>) => ({
  apiVersion: `${GROUP}/v1`,
  kind: 'RoleBinding',
  metadata: { name: 'read-pods', namespace: 'default' },
  roleRef: { kind: 'Role', name: 'pod-reader' },
  ...fields,
});

describe('Role and ClusterRole', () => {
  it('keeps rules that name verbs on resources of groups', () => {
    const role = decoded<Role>(RoleKind, aRole([{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]));
    expect(role.rules).toEqual([{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]);
  });

  it("takes names kube's ValidateRBACName takes: any path segment, colons included", () => {
    expect(decoded<Role>(RoleKind, aRole([], 'system:Reader_1')).metadata.name).toBe('system:Reader_1');
    expect(invalidLines(RoleKind, aRole([], 'a/b'))).toEqual([
      `metadata.name: Invalid value: "a/b": may not contain '/'`,
    ]);
    expect(invalidLines(RoleKind, aRole([], '..'))).toEqual([
      `metadata.name: Invalid value: "..": may not be '..'`,
    ]);
  });

  it("refuses a rule without verbs, groups or resources with kube's messages", () => {
    expect(invalidLines(RoleKind, aRole([{}]))).toEqual([
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[0].resources: Required value: resource rules must supply at least one resource',
    ]);
  });

  it('drops empty optional lists, as Go omits them', () => {
    const role = decoded<Role>(
      RoleKind,
      aRole([{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: [] }]),
    );
    expect(role.rules).toEqual([{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]);
  });

  it('allows non-resource URLs only in ClusterRoles, and never beside resources', () => {
    const urlRule = { verbs: ['get'], nonResourceURLs: ['/healthz'] };
    expect(invalidLines(RoleKind, aRole([urlRule]))).toEqual([
      'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs',
    ]);
    const clusterRole = { apiVersion: `${GROUP}/v1`, kind: 'ClusterRole', metadata: { name: 'health' } };
    expect(decoded<Role>(ClusterRoleKind, { ...clusterRole, rules: [urlRule] }).rules).toEqual([urlRule]);
    expect(
      invalidLines(ClusterRoleKind, { ...clusterRole, rules: [{ ...urlRule, resources: ['pods'] }] }),
    ).toEqual([
      'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: rules cannot apply to both regular resources and non-resource URLs',
    ]);
  });

  it('requires a selector in an aggregationRule', () => {
    const clusterRole = { apiVersion: `${GROUP}/v1`, kind: 'ClusterRole', metadata: { name: 'agg' } };
    expect(invalidLines(ClusterRoleKind, { ...clusterRole, aggregationRule: {} })).toEqual([
      'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
    ]);
    expect(
      decoded<Role>(ClusterRoleKind, {
        ...clusterRole,
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate': 'true' } }] },
      }),
    ).toMatchObject({
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate': 'true' } }] },
    });
  });
});

describe('RoleBinding and ClusterRoleBinding', () => {
  it("default roleRef's and subjects' apiGroup as SetDefaults_RoleBinding and SetDefaults_Subject do", () => {
    const binding = decoded<RoleBinding>(
      RoleBindingKind,
      aRoleBinding({
        subjects: [
          { kind: 'User', name: 'jane' },
          { kind: 'Group', name: 'devs' },
          { kind: 'ServiceAccount', name: 'builder' },
        ],
      }),
    );
    expect(binding.roleRef).toEqual({ apiGroup: GROUP, kind: 'Role', name: 'pod-reader' });
    expect(binding.subjects).toEqual([
      { kind: 'User', apiGroup: GROUP, name: 'jane' },
      { kind: 'Group', apiGroup: GROUP, name: 'devs' },
      // Go omits the empty apiGroup (omitempty).
      { kind: 'ServiceAccount', name: 'builder' },
    ]);
  });

  it("refuses bad roleRefs and subjects with kube's messages, roleRef first", () => {
    expect(
      invalidLines(
        RoleBindingKind,
        aRoleBinding({
          roleRef: { apiGroup: 'example.com', kind: 'Policy' },
          subjects: [
            { kind: 'Robot', name: 'r2' },
            { kind: 'ServiceAccount', name: 'Not_A_Name', apiGroup: GROUP },
            { kind: 'User', apiGroup: 'example.com' },
          ],
        }),
      ),
    ).toEqual([
      `roleRef.apiGroup: Unsupported value: "example.com": supported values: "${GROUP}"`,
      'roleRef.kind: Unsupported value: "Policy": supported values: "Role", "ClusterRole"',
      'roleRef.name: Required value',
      'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
      `subjects[1].name: Invalid value: "Not_A_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      `subjects[1].apiGroup: Unsupported value: "${GROUP}": supported values: ""`,
      'subjects[2].name: Required value',
      `subjects[2].apiGroup: Unsupported value: "example.com": supported values: "${GROUP}"`,
    ]);
  });

  it('binds only ClusterRoles cluster-wide, and a service account there names its namespace', () => {
    const binding = {
      apiVersion: `${GROUP}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'builders' },
      roleRef: { kind: 'Role', name: 'x' },
      subjects: [{ kind: 'ServiceAccount', name: 'builder' }],
    };
    expect(invalidLines(ClusterRoleBindingKind, binding)).toEqual([
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'subjects[0].namespace: Required value',
    ]);
    const fixed = {
      ...binding,
      roleRef: { kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'builder', namespace: 'ci' }],
    };
    expect(decoded<ClusterRoleBinding>(ClusterRoleBindingKind, fixed).roleRef.apiGroup).toBe(GROUP);
  });

  it("refuses an update that changes roleRef, with kube's message", () => {
    const before = decoded<RoleBinding>(RoleBindingKind, aRoleBinding({}));
    const after = decoded<RoleBinding>(
      RoleBindingKind,
      aRoleBinding({ roleRef: { kind: 'ClusterRole', name: 'view' } }),
    );
    expect(RoleBindingKind.validateUpdate?.(after, before)).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'roleRef',
        message: `Invalid value: rbac.RoleRef{APIGroup:"${GROUP}", Kind:"ClusterRole", Name:"view"}: cannot change roleRef`,
      },
    ]);
    const subjectsChanged = decoded<RoleBinding>(
      RoleBindingKind,
      aRoleBinding({ subjects: [{ kind: 'User', name: 'jane' }] }),
    );
    expect(RoleBindingKind.validateUpdate?.(subjectsChanged, before)).toEqual([]);
  });
});
