import { apiHarness } from '../../support/api-harness';

const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const ROLES = `${RBAC}/namespaces/default/roles`;
const BINDINGS = `${RBAC}/namespaces/default/rolebindings`;

const aRole = (name: string) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata: { name },
  rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
});
const aBinding = (name: string, role: string) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role },
  subjects: [{ kind: 'User', name: 'jane' }],
});

describe('RBAC kinds through the API', () => {
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness();
  });
  afterAll(() => api.close());

  it("creates kube's default cluster roles and the cluster-admin binding at startup", async () => {
    const roles = await api.call('GET', `${RBAC}/clusterroles`);
    const names = roles.body.items.map((r: { metadata: { name: string } }) => r.metadata.name);
    expect(names).toEqual(
      expect.arrayContaining(['cluster-admin', 'admin', 'edit', 'view', 'system:basic-user']),
    );
    const view = await api.call('GET', `${RBAC}/clusterroles/view`);
    expect(view.body.aggregationRule).toEqual({
      clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }],
    });
    expect(view.body.rules).toContainEqual({
      verbs: ['get', 'list', 'watch'],
      apiGroups: [''],
      resources: ['namespaces'],
    });
    const binding = await api.call('GET', `${RBAC}/clusterrolebindings/cluster-admin`);
    expect(binding.body.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' },
    ]);
  });

  it('stores a Role and a RoleBinding, and refuses to change the roleRef with 422', async () => {
    expect((await api.call('POST', ROLES, { body: aRole('pod-reader') })).status).toBe(201);
    const created = await api.call('POST', BINDINGS, { body: aBinding('read-pods', 'pod-reader') });
    expect(created.status).toBe(201);
    expect(created.body.subjects[0].apiGroup).toBe('rbac.authorization.k8s.io');
    const changed = await api.call('PUT', `${BINDINGS}/read-pods`, {
      body: { ...created.body, roleRef: { ...created.body.roleRef, name: 'other' } },
    });
    expect(changed.status).toBe(422);
    expect(changed.body).toMatchObject({
      reason: 'Invalid',
      message:
        'RoleBinding.rbac.authorization.k8s.io "read-pods" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"other"}: cannot change roleRef',
      details: { name: 'read-pods', group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
    });
    const subjects = await api.call('PUT', `${BINDINGS}/read-pods`, {
      body: { ...created.body, subjects: [{ kind: 'Group', name: 'devs' }] },
    });
    expect(subjects.status).toBe(200);
  });

  it('refuses an invalid RoleBinding with 422 and its causes', async () => {
    const answer = await api.call('POST', BINDINGS, {
      body: { ...aBinding('bad', ''), subjects: [{ kind: 'Robot', name: 'r2' }] },
    });
    expect(answer.status).toBe(422);
    expect(answer.body.details.causes).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'roleRef.name' },
      {
        reason: 'FieldValueNotSupported',
        message: 'Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
        field: 'subjects[0].kind',
      },
    ]);
  });
});

describe('SelfSubjectAccessReview', () => {
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness();
  });
  afterAll(() => api.close());
  const REVIEWS = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
  const review = {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    metadata: { creationTimestamp: null },
    spec: {
      resourceAttributes: { namespace: 'default', verb: 'create', group: 'apps', resource: 'deployments' },
    },
  };

  it('allows everything, saying why, and stores nothing', async () => {
    const answer = await api.call('POST', REVIEWS, { body: review });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: {},
      spec: review.spec,
      status: { allowed: true, reason: 'the local server is open on 127.0.0.1' },
    });
    expect((await api.call('GET', REVIEWS)).status).toBe(405);
  });

  it("refuses a review that asks nothing, with kube's message", async () => {
    const answer = await api.call('POST', REVIEWS, { body: { ...review, spec: {} } });
    expect(answer.status).toBe(422);
    expect(answer.body.message).toBe(
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
  });

  it('answers the rules review with every rule, for kubectl auth can-i --list', async () => {
    const answer = await api.call('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectRulesReview',
        spec: { namespace: 'default' },
      },
    });
    expect(answer.status).toBe(201);
    expect(answer.body.status).toEqual({
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    });
  });

  it('is listed in discovery as kube lists it: create only', async () => {
    const list = await api.call('GET', '/apis/authorization.k8s.io/v1');
    expect(list.body.resources).toEqual([
      expect.objectContaining({
        name: 'selfsubjectaccessreviews',
        namespaced: false,
        kind: 'SelfSubjectAccessReview',
        verbs: ['create'],
      }),
      expect.objectContaining({
        name: 'selfsubjectrulesreviews',
        namespaced: false,
        kind: 'SelfSubjectRulesReview',
        verbs: ['create'],
      }),
    ]);
  });
});
