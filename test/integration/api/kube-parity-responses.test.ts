import { aConfigMap, aDeployment, aJob, aPod } from '../../support/builders';
import { apiHarness } from '../../support/api-harness';

const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';
const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const JOBS = '/apis/batch/v1/namespaces/default/jobs';
const PODS = '/api/v1/namespaces/default/pods';

/**
 * Answers that differed from kube-apiserver's when the same requests went to both (issue 10),
 * each asserted as kube 1.32 gives it.
 */
describe("kube-apiserver's answers", () => {
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness();
  });
  afterAll(() => api.close());

  it('refuses an unknown fieldValidation with 422 Invalid naming the options kind', async () => {
    const answer = await api.call('POST', CONFIGMAPS, {
      body: aConfigMap(),
      query: { fieldValidation: 'Loose' },
    });
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loose": supported values: "", "Ignore", "Strict", "Warn"',
      reason: 'Invalid',
      details: {
        group: 'meta.k8s.io',
        kind: 'CreateOptions',
        causes: [
          {
            reason: 'FieldValueNotSupported',
            message: 'Unsupported value: "Loose": supported values: "", "Ignore", "Strict", "Warn"',
            field: 'fieldValidation',
          },
        ],
      },
      code: 422,
    });
    await api.call('POST', CONFIGMAPS, { body: aConfigMap({ name: 'updated' }) });
    const update = await api.call('PUT', `${CONFIGMAPS}/updated`, {
      body: aConfigMap({ name: 'updated' }),
      query: { fieldValidation: 'Loose' },
    });
    expect(update.body.details.kind).toBe('UpdateOptions');
  });

  it('refuses an unknown propagationPolicy, or one beside orphanDependents, with 422 Invalid', async () => {
    await api.call('POST', CONFIGMAPS, { body: aConfigMap({ name: 'kept' }) });
    const unknown = await api.call('DELETE', `${CONFIGMAPS}/kept`, { body: { propagationPolicy: 'Later' } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toBe(
      'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Later": supported values: "Foreground", "Background", "Orphan", "nil"',
    );
    expect(unknown.body.details).toEqual({
      group: 'meta.k8s.io',
      kind: 'DeleteOptions',
      causes: [
        {
          reason: 'FieldValueNotSupported',
          message:
            'Unsupported value: "Later": supported values: "Foreground", "Background", "Orphan", "nil"',
          field: 'propagationPolicy',
        },
      ],
    });
    const both = await api.call('DELETE', `${CONFIGMAPS}/kept`, {
      body: { propagationPolicy: 'Orphan', orphanDependents: true },
    });
    expect(both.status).toBe(422);
    expect(both.body.details.causes[0].message).toBe(
      'Invalid value: "Orphan": orphanDependents and deletionPropagation cannot be both set',
    );
    expect((await api.call('GET', `${CONFIGMAPS}/kept`)).status).toBe(200);
  });

  it('answers a deletion that removed the object with a Success Status naming it', async () => {
    const created = await api.call('POST', CONFIGMAPS, { body: aConfigMap({ name: 'gone' }) });
    const answer = await api.call('DELETE', `${CONFIGMAPS}/gone`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'gone', kind: 'configmaps', uid: created.body.metadata.uid },
    });
    await api.call('POST', DEPLOYMENTS, { body: aDeployment({ name: 'web' }) });
    expect((await api.call('DELETE', `${DEPLOYMENTS}/web`)).body.details).toMatchObject({
      name: 'web',
      group: 'apps',
      kind: 'deployments',
    });
  });

  it('answers a deletion that finalizers hold, and any Pod deletion, with the object', async () => {
    await api.call('POST', CONFIGMAPS, {
      body: { ...aConfigMap({ name: 'held' }), metadata: { name: 'held', finalizers: ['example.com/hold'] } },
    });
    const held = await api.call('DELETE', `${CONFIGMAPS}/held`);
    expect(held.body).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'held' } });
    expect(held.body.metadata.deletionTimestamp).toBeDefined();
    // kube's pod storage returns the deleted object (ReturnDeletedObject), removed or not.
    await api.call('POST', PODS, { body: aPod({ name: 'unbound' }) });
    const pod = await api.call('DELETE', `${PODS}/unbound`);
    expect(pod.body).toMatchObject({ kind: 'Pod', metadata: { name: 'unbound' } });
    expect((await api.call('GET', `${PODS}/unbound`)).status).toBe(404);
  });

  it('refuses an Event about no object outside the default namespace', async () => {
    await api.call('POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
    });
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'orphan' },
      reason: 'Tested',
      message: 'x',
    };
    const answer = await api.call('POST', '/api/v1/namespaces/team-a/events', { body: event });
    expect(answer.status).toBe(422);
    expect(answer.body.message).toBe(
      'Event "orphan" is invalid: involvedObject.namespace: Invalid value: "": does not match event.namespace',
    );
    expect((await api.call('POST', '/api/v1/namespaces/default/events', { body: event })).status).toBe(201);
    const newStyle = await api.call('POST', '/api/v1/namespaces/default/events', {
      body: { ...event, metadata: { name: 'new-style' }, eventTime: '2026-01-01T00:00:00.000000Z' },
    });
    expect(newStyle.body.details.causes.map((c: { field: string }) => c.field)).toEqual([
      'reportingComponent',
      'reportingComponent',
      'reportingInstance',
      'action',
    ]);
  });

  it('adds the template-labels cause to a Deployment without a selector', async () => {
    const manifest = aDeployment({ name: 'unselected' });
    delete (manifest.spec as { selector?: unknown }).selector;
    const answer = await api.call('POST', DEPLOYMENTS, { body: manifest });
    expect(answer.body.message).toBe(
      'Deployment.apps "unselected" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"unselected"}: `selector` does not match template `labels`]',
    );
  });

  it('refuses a resourceVersion that is not a number as etcd does, without causes', async () => {
    const queries: Record<string, string>[] = [
      { resourceVersion: 'abc' },
      { resourceVersion: 'abc', limit: '500' },
    ];
    for (const query of queries) {
      const answer = await api.call('GET', CONFIGMAPS, { query });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax',
        reason: 'BadRequest',
        code: 400,
      });
    }
  });

  it("answers a body of another kind with kube's decoding error and no causes", async () => {
    const answer = await api.call('POST', DEPLOYMENTS, { body: { ...aDeployment(), kind: 'ReplicaSet' } });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(
      'ReplicaSet in version "v1" cannot be handled as a Deployment: converting (v1.ReplicaSet) to (apps.Deployment): unknown conversion',
    );
    expect(answer.body.details).toBeUndefined();
  });

  describe("a value a built-in kind's Go type cannot hold (helm's quoted `replicas`)", () => {
    const decodeError =
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32';
    const quoted = (name: string) => {
      const body = aDeployment({ name });
      return { ...body, spec: { ...body.spec, replicas: '3' } };
    };

    it("refuses a create or a replace with kube's decoder's 400 and stores nothing", async () => {
      const created = await api.call('POST', DEPLOYMENTS, { body: quoted('typed') });
      expect(created.status).toBe(400);
      expect(created.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `Deployment in version "v1" cannot be handled as a Deployment: ${decodeError}`,
        reason: 'BadRequest',
        code: 400,
      });
      expect((await api.call('GET', `${DEPLOYMENTS}/typed`)).status).toBe(404);

      await api.call('POST', DEPLOYMENTS, { body: aDeployment({ name: 'typed' }) });
      const replaced = await api.call('PUT', `${DEPLOYMENTS}/typed`, { body: quoted('typed') });
      expect(replaced.status).toBe(400);
      expect(replaced.body.message).toBe(
        `Deployment in version "v1" cannot be handled as a Deployment: ${decodeError}`,
      );
      expect((await api.call('GET', `${DEPLOYMENTS}/typed`)).body.spec.replicas).toBe(1);
    });

    it('answers it before unknown fields and invalid values, as the decoder comes first', async () => {
      const body = quoted('both');
      const answer = await api.call('POST', DEPLOYMENTS, {
        body: { ...body, metadata: { name: 'Not_Valid' }, spec: { ...body.spec, bogus: 1 } },
        query: { fieldValidation: 'Strict' },
      });
      expect(answer.status).toBe(400);
      expect(answer.body.message).toContain(decodeError);
    });

    it("refuses a merge patch's result with the patcher's 422 on `patch`", async () => {
      await api.call('POST', DEPLOYMENTS, { body: aDeployment({ name: 'patched' }) });
      const answer = await api.call('PATCH', `${DEPLOYMENTS}/patched`, {
        body: { spec: { replicas: '3' } },
        contentType: 'application/merge-patch+json',
      });
      expect(answer.status).toBe(422);
      expect(answer.body.reason).toBe('Invalid');
      expect(answer.body.message).toMatch(
        /^ "" is invalid: patch: Invalid value: "\{.*\}": json: cannot unmarshal/,
      );
      expect(answer.body.details.causes).toEqual([
        { reason: 'FieldValueInvalid', field: 'patch', message: expect.stringContaining(decodeError) },
      ]);
      expect((await api.call('GET', `${DEPLOYMENTS}/patched`)).body.spec.replicas).toBe(1);
    });

    it("refuses a strategic merge patch's result with the converter's 422, the patch printed as Go prints it", async () => {
      await api.call('POST', DEPLOYMENTS, { body: aDeployment({ name: 'merged' }) });
      const answer = await api.call('PATCH', `${DEPLOYMENTS}/merged`, {
        body: { spec: { replicas: '3' } },
        contentType: 'application/strategic-merge-patch+json',
      });
      const cause = 'Invalid value: "map[spec:map[replicas:3]]": unrecognized type: int32';
      expect(answer.status).toBe(422);
      expect(answer.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: ` "" is invalid: patch: ${cause}`,
        reason: 'Invalid',
        details: { causes: [{ reason: 'FieldValueInvalid', message: cause, field: 'patch' }] },
        code: 422,
      });
      expect((await api.call('GET', `${DEPLOYMENTS}/merged`)).body.spec.replicas).toBe(1);
    });
  });
});

describe("Job selectors and immutable specs, as kube's strategies make them", () => {
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness();
  });
  afterAll(() => api.close());

  it('generates the selector and pod labels from the uid unless manualSelector', async () => {
    const job = aJob({ name: 'batch' });
    delete (job.spec as { selector?: unknown }).selector;
    const answer = await api.call('POST', JOBS, { body: job });
    expect(answer.status).toBe(201);
    const uid = answer.body.metadata.uid;
    expect(answer.body.spec.manualSelector).toBe(false);
    expect(answer.body.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    expect(answer.body.spec.template.metadata.labels).toEqual({
      app: 'batch',
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': 'batch',
      'controller-uid': uid,
      'job-name': 'batch',
    });
  });

  it('refuses template labels that contradict the generated ones, and a manual Job without a selector', async () => {
    const job = aJob({ name: 'liar', podLabels: { app: 'liar', 'job-name': 'someone-else' } });
    delete (job.spec as { selector?: unknown }).selector;
    const answer = await api.call('POST', JOBS, { body: job });
    expect(answer.status).toBe(422);
    expect(answer.body.details.causes).toEqual([
      expect.objectContaining({
        field: 'spec.template.metadata.labels[job-name]',
        message: expect.stringContaining(`must be 'liar'`),
      }),
    ]);
    const manual = aJob({ name: 'manual' });
    delete (manual.spec as { selector?: unknown }).selector;
    const refused = await api.call('POST', JOBS, {
      body: { ...manual, spec: { ...manual.spec, manualSelector: true } },
    });
    expect(refused.body.details.causes).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' },
    ]);
  });

  it("refuses a change of a Job's template, with kube's field is immutable", async () => {
    const job = aJob({ name: 'fixed' });
    delete (job.spec as { selector?: unknown }).selector;
    const created = (await api.call('POST', JOBS, { body: job })).body;
    const changed = structuredClone(created);
    changed.spec.template.spec.containers[0].image = 'busybox:2';
    const answer = await api.call('PUT', `${JOBS}/fixed`, { body: changed });
    expect(answer.status).toBe(422);
    expect(answer.body.details.causes).toEqual([
      expect.objectContaining({
        field: 'spec.template',
        message: expect.stringMatching(/: field is immutable$/),
      }),
    ]);
    // A dry run is checked as the write would be.
    const dryRun = await api.call('PUT', `${JOBS}/fixed`, { body: changed, query: { dryRun: 'All' } });
    expect(dryRun.status).toBe(422);
    const parallel = await api.call('PATCH', `${JOBS}/fixed`, {
      body: { spec: { parallelism: 3 } },
      contentType: 'application/merge-patch+json',
    });
    expect(parallel.status).toBe(200);
  });

  it('lets a pod update change only images, a shorter deadline and added tolerations', async () => {
    const created = (await api.call('POST', PODS, { body: aPod({ name: 'fixed' }) })).body;
    const image = structuredClone(created);
    image.spec.containers[0].image = 'nginx:2';
    image.spec.tolerations = [
      ...(image.spec.tolerations ?? []),
      { key: 'example.com/x', operator: 'Exists' },
    ];
    const updated = await api.call('PUT', `${PODS}/fixed`, { body: image });
    expect(updated.status).toBe(200);
    const restart = structuredClone(updated.body);
    restart.spec.restartPolicy = 'Never';
    const answer = await api.call('PUT', `${PODS}/fixed`, { body: restart });
    expect(answer.status).toBe(422);
    expect(answer.body.details.causes).toEqual([
      {
        reason: 'FieldValueForbidden',
        field: 'spec',
        message: [
          'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
          '- spec.restartPolicy: "Always"',
          '+ spec.restartPolicy: "Never"',
        ].join('\n'),
      },
    ]);
    const fewer = structuredClone(updated.body);
    fewer.spec.containers = [];
    expect((await api.call('PUT', `${PODS}/fixed`, { body: fewer })).status).toBe(422);
  });
});
