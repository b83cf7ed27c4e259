import { apiHarness, type Answer, type CallOptions } from '../../support/api-harness';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const GAUGES = '/apis/status.skiff.dev/v1/namespaces/default/gauges';
const MERGE = 'application/merge-patch+json';
const DONE_STAYS_DONE = 'a Done gauge stays Done';

/** A CRD with a status subresource, a transition rule on status, and limits a test can tighten. */
function gaugeDefinition(limits: { maxSize: number; maxCount: number }, resourceVersion?: string) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'gauges.status.skiff.dev', ...(resourceVersion ? { resourceVersion } : {}) },
    spec: {
      group: 'status.skiff.dev',
      scope: 'Namespaced',
      names: { plural: 'gauges', singular: 'gauge', kind: 'Gauge', listKind: 'GaugeList' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: { size: { type: 'integer', maximum: limits.maxSize } },
                },
                status: {
                  type: 'object',
                  properties: {
                    phase: { type: 'string', enum: ['Pending', 'Running', 'Done'] },
                    count: { type: 'integer', maximum: limits.maxCount },
                  },
                  'x-kubernetes-validations': [
                    {
                      rule: "!has(oldSelf.phase) || oldSelf.phase != 'Done' || self.phase == 'Done'",
                      message: DONE_STAYS_DONE,
                    },
                  ],
                },
              },
            },
          },
        },
      ],
    },
  };
}

/**
 * Writes to a custom resource's `/status` are validated as kube's status strategy validates them:
 * the status part of the schema, ratcheted against the stored object, and the CEL rules over the
 * whole object with transition rules (oldSelf); the rest of the object is the stored one and is
 * not checked again.
 */
describe('validation of writes to a custom resource’s /status', () => {
  let h: Awaited<ReturnType<typeof apiHarness>>;
  const call = (method: string, path: string, body?: unknown, options: Omit<CallOptions, 'body'> = {}) =>
    h.call(method, path, { ...options, body });
  const causesOf = (answer: Answer) => answer.body.details?.causes ?? [];
  const createGauge = async (name: string, size: number) =>
    expect(
      (
        await call('POST', GAUGES, {
          apiVersion: 'status.skiff.dev/v1',
          kind: 'Gauge',
          metadata: { name },
          spec: { size },
        })
      ).status,
    ).toBe(201);
  const setStatus = async (name: string, status: object) => {
    const current = (await call('GET', `${GAUGES}/${name}`)).body;
    return call('PUT', `${GAUGES}/${name}/status`, { ...current, status });
  };
  const tighten = async (limits: { maxSize: number; maxCount: number }) => {
    const crd = (await call('GET', `${CRDS}/gauges.status.skiff.dev`)).body;
    const answer = await call(
      'PUT',
      `${CRDS}/gauges.status.skiff.dev`,
      gaugeDefinition(limits, crd.metadata.resourceVersion),
    );
    expect(answer.status).toBe(200);
  };

  beforeAll(async () => {
    h = await apiHarness({ customKinds: true });
    expect((await call('POST', CRDS, gaugeDefinition({ maxSize: 10, maxCount: 10 }))).status).toBe(201);
  });
  afterAll(() => h.close());

  it.each([
    ['a PUT', (name: string) => setStatus(name, { phase: 'Running' })],
    [
      'a merge patch',
      (name: string) =>
        call('PATCH', `${GAUGES}/${name}/status`, { status: { phase: 'Running' } }, { contentType: MERGE }),
    ],
    [
      'a dry-run merge patch',
      (name: string) =>
        call(
          'PATCH',
          `${GAUGES}/${name}/status`,
          { status: { phase: 'Running' } },
          { contentType: MERGE, query: { dryRun: 'All' } },
        ),
    ],
  ])('refuses %s of /status that a transition rule forbids, and stores nothing', async (_, write) => {
    const name = `done-${Math.random().toString(36).slice(2, 8)}`;
    await createGauge(name, 1);
    expect((await setStatus(name, { phase: 'Done', count: 1 })).status).toBe(200);
    const before = (await call('GET', `${GAUGES}/${name}`)).body;

    const answer = await write(name);

    expect(answer.status).toBe(422);
    expect(answer.body.reason).toBe('Invalid');
    expect(causesOf(answer)).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'status',
        message: `Invalid value: ${DONE_STAYS_DONE}`,
      },
    ]);
    expect((await call('GET', `${GAUGES}/${name}`)).body).toEqual(before);
    // A status write that keeps the phase passes the same rule.
    expect((await setStatus(name, { phase: 'Done', count: 2 })).status).toBe(200);
  });

  it('ratchets /status writes against the stored object, and checks only status once the CRD tightens', async () => {
    await tighten({ maxSize: 10, maxCount: 10 });
    const name = 'tightened';
    await createGauge(name, 7);
    expect((await setStatus(name, { phase: 'Running', count: 7 })).status).toBe(200);
    await tighten({ maxSize: 3, maxCount: 5 });

    // spec.size 7 and status.count 7 no longer pass; a status write changing neither is accepted.
    const phaseOnly = await setStatus(name, { phase: 'Done', count: 7 });
    expect(phaseOnly.status).toBe(200);
    expect(phaseOnly.body.status).toEqual({ phase: 'Done', count: 7 });

    const countChanged = await setStatus(name, { phase: 'Done', count: 8 });
    expect(countChanged.status).toBe(422);
    expect(causesOf(countChanged)).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'status.count',
        message: 'Invalid value: 8: status.count in body should be less than or equal to 5',
      },
    ]);
    // An invalid value the write leaves as stored elsewhere in status is forgiven, a new one is not.
    const valid = await setStatus(name, { phase: 'Done', count: 4 });
    expect(valid.status).toBe(200);
    await tighten({ maxSize: 10, maxCount: 10 });
  });
});
