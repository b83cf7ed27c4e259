import fc from 'fast-check';
import { aConfigMap, aDeployment, aPod } from '../../support/builders';
import { apiHarness } from '../../support/api-harness';
import { mutate } from '../../support/http-fuzz/body-arbitrary';

/**
 * Random and mutated server-side apply configurations, from a few managers, with and without
 * force, to objects that exist and objects that do not: the API answers every one without a 5xx,
 * and an apply it refuses leaves the stored object exactly as it was.
 */
const TARGETS = [
  { collection: '/apis/apps/v1/namespaces/default/deployments', seed: aDeployment({ name: 'fuzzed' }) },
  { collection: '/api/v1/namespaces/default/pods', seed: aPod({ name: 'fuzzed' }) },
  { collection: '/api/v1/namespaces/default/configmaps', seed: aConfigMap({ name: 'fuzzed' }) },
];

const jsonValue = fc.jsonValue({ maxDepth: 4 });

const request = fc.record({
  target: fc.integer({ min: 0, max: TARGETS.length - 1 }),
  name: fc.constantFrom('fuzzed', 'fuzz-created'),
  manager: fc.constantFrom('a', 'b', 'kubectl'),
  force: fc.boolean(),
  status: fc.boolean(),
  path: fc.array(fc.nat(), { minLength: 1, maxLength: 7 }),
  replacement: fc.oneof(
    jsonValue,
    fc.constantFrom(null, '', -1, [], {}, [{}], [{ name: 'x' }, { name: 'x' }]),
  ),
  remove: fc.boolean(),
});

describe('Server-side apply fuzzing', () => {
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness();
    for (const { collection, seed } of TARGETS)
      expect((await api.call('POST', collection, { body: seed, query: { fieldManager: 'a' } })).status).toBe(
        201,
      );
  });
  afterAll(() => api.close());

  it('answers 400 random and mutated configurations without a 5xx, and refused applies change nothing', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        request,
        async ({ target, name, manager, force, status, path, replacement, remove }) => {
          const { collection, seed } = TARGETS[target];
          const objectPath = `${collection}/${name}`;
          const config = mutate({ ...seed, metadata: { name } }, path, replacement, remove);
          const before = await api.call('GET', objectPath);
          const answer = await api.call('PATCH', status ? `${objectPath}/status` : objectPath, {
            body: config,
            contentType: 'application/apply-patch+yaml',
            query: { fieldManager: manager, ...(force ? { force: 'true' } : {}) },
          });
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          expect(answer.status).toBeLessThan(500);
          if (answer.status >= 400) {
            expect(answer.body.kind).toBe('Status');
            expect(await api.call('GET', objectPath)).toEqual(before);
          }
        },
      ),
      { numRuns: 400, seed: 20261201 },
    );
    expect([...statuses.keys()].some((code) => code < 300)).toBe(true);
    expect([...statuses.keys()].some((code) => code >= 400)).toBe(true);
  }, 180_000);
});
