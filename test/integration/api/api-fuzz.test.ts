import fc from 'fast-check';
import { aConfigMap, aDeployment, aPod } from '../../support/builders';
import { apiHarness } from '../../support/api-harness';
import { mutate } from '../../support/http-fuzz/body-arbitrary';

/**
 * Throws random and mutated bodies at every write verb. Whatever arrives, the API must answer with
 * a Status (never a 5xx), and a refused write must leave the stored object exactly as it was.
 */
const TARGETS = [
  { collection: '/apis/apps/v1/namespaces/default/deployments', seed: aDeployment({ name: 'fuzzed' }) },
  { collection: '/api/v1/namespaces/default/pods', seed: aPod({ name: 'fuzzed' }) },
  { collection: '/api/v1/namespaces/default/configmaps', seed: aConfigMap({ name: 'fuzzed' }) },
];
const PATCH_TYPES = [
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/strategic-merge-patch+json',
];

const jsonValue = fc.jsonValue({ maxDepth: 4 });

const body = fc.oneof(
  jsonValue.map((v) => JSON.stringify(v)),
  fc.string(),
  fc
    .record({
      target: fc.integer({ min: 0, max: TARGETS.length - 1 }),
      path: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
      replacement: jsonValue,
      remove: fc.boolean(),
    })
    .map(({ target, path, replacement, remove }) =>
      JSON.stringify(mutate(TARGETS[target].seed, path, replacement, remove)),
    ),
);

const request = fc.record({
  target: fc.integer({ min: 0, max: TARGETS.length - 1 }),
  verb: fc.constantFrom('POST', 'PUT', 'PATCH', 'PUT-status'),
  patchType: fc.constantFrom(...PATCH_TYPES),
  body,
});

describe('API fuzzing', () => {
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness();
    for (const { collection, seed } of TARGETS)
      expect((await api.call('POST', collection, { body: seed })).status).toBe(201);
  });
  afterAll(() => api.close());

  it('answers 1,000 random and mutated bodies without a 5xx, and refused writes change nothing', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async ({ target, verb, patchType, body: text }) => {
        const { collection } = TARGETS[target];
        const objectPath = `${collection}/fuzzed`;
        const before = (await api.call('GET', objectPath)).body;
        const answer =
          verb === 'POST'
            ? await api.call('POST', collection, { body: text })
            : verb === 'PATCH'
              ? await api.call('PATCH', objectPath, { body: text, contentType: patchType })
              : await api.call('PUT', verb === 'PUT-status' ? `${objectPath}/status` : objectPath, {
                  body: text,
                });
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expect(answer.status).toBeLessThan(500);
        if (answer.status >= 400) {
          expect(answer.body.kind).toBe('Status');
          expect((await api.call('GET', objectPath)).body).toEqual(before);
        }
      }),
      { numRuns: 1000, seed: 20261120 },
    );
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
  }, 180_000);
});
