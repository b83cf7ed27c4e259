import { MAX_JSON_DEPTH } from '../../../lib/api/json-text';
import { aConfigMap, aPod } from '../../support/builders';
import { apiHarness } from '../../support/api-harness';

const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';
const PATCH_TYPES = [
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/json-patch+json',
];

/** `{"x":{"x":...}}` nested `depth` objects deep (the outermost counted). */
function nested(depth: number): string {
  return '{"x":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
}

/**
 * Requests an attacker or a careless client sends: each gets a 4xx Status naming what is wrong,
 * and a refused write leaves the stored object exactly as it was.
 */
describe('hostile requests to the API', () => {
  let api: Awaited<ReturnType<typeof apiHarness>>;
  let stored: unknown;
  beforeAll(async () => {
    api = await apiHarness();
    const created = await api.call('POST', CONFIGMAPS, {
      body: aConfigMap({ name: 'target', data: { a: 'x'.repeat(1000) } }),
    });
    expect(created.status).toBe(201);
    stored = created.body;
  });
  afterAll(() => api.close());

  const unchanged = async () => expect((await api.call('GET', `${CONFIGMAPS}/target`)).body).toEqual(stored);

  it.each(['GET', 'PUT', 'PATCH', 'DELETE'])(
    'answers a bad percent-escape in a %s path with 400',
    async (method) => {
      const answer = await api.call(method, `${CONFIGMAPS}/%ZZ`, {
        body: method === 'PUT' || method === 'PATCH' ? {} : undefined,
        contentType: method === 'PATCH' ? 'application/merge-patch+json' : undefined,
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
      expect(answer.body.message).toContain('%ZZ');
    },
  );

  it('refuses a create nested deeper than the bound with 400, and serves one at the bound', async () => {
    const tooDeep = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"x":${nested(MAX_JSON_DEPTH)}}`;
    const refused = await api.call('POST', CONFIGMAPS, { body: tooDeep });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('exceeded max depth');
    const atBound = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"x":${nested(MAX_JSON_DEPTH - 1)}}`;
    const served = await api.call('POST', CONFIGMAPS, { body: atBound });
    expect(served.status).toBe(201); // the unknown field is dropped with a warning, as kube does
    expect(served.headers.warning).toContain('unknown field \\"x\\"');
    expect(served.body.x).toBeUndefined();
  });

  it('refuses a 10,000-deep body with 400 in every patch format and keeps the object', async () => {
    for (const contentType of PATCH_TYPES) {
      const body = contentType === 'application/json-patch+json' ? `[${nested(10_000)}]` : nested(10_000);
      const answer = await api.call('PATCH', `${CONFIGMAPS}/target`, { body, contentType });
      expect([contentType, answer.status, answer.body.reason]).toEqual([contentType, 400, 'BadRequest']);
    }
    await unchanged();
  });

  it('refuses a deep PUT with 400 and keeps the object', async () => {
    const answer = await api.call('PUT', `${CONFIGMAPS}/target`, { body: nested(10_000) });
    expect(answer.status).toBe(400);
    await unchanged();
  });

  it('stops a JSON patch whose copies would multiply the object, with 422, and keeps the object', async () => {
    const bomb = Array.from({ length: 18 }, (_, i) => ({ op: 'copy', from: '/data', path: `/data/c${i}` }));
    const answer = await api.call('PATCH', `${CONFIGMAPS}/target`, {
      body: bomb,
      contentType: 'application/json-patch+json',
    });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422 });
    // Unbounded, 18 doublings of 1 KB build 256 MB (and took 26.6 s, then a 500).
    await unchanged();
  });

  it('still applies copies that stay within the bound', async () => {
    const answer = await api.call('PATCH', `${CONFIGMAPS}/target`, {
      body: [{ op: 'copy', from: '/data/a', path: '/data/b' }],
      contentType: 'application/json-patch+json',
      query: { dryRun: 'All' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data.b).toBe('x'.repeat(1000));
  });

  it('answers a field named in any script with a warning, and stores the object', async () => {
    const answer = await api.call('POST', CONFIGMAPS, {
      body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"w"},"\u2603":1}',
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.warning).toBe('299 - "unknown field \\"\u2603\\""');
    expect((await api.call('GET', `${CONFIGMAPS}/w`)).status).toBe(200);
  });

  it('quotes a field name holding control characters, so it cannot split the header', async () => {
    const answer = await api.call('POST', CONFIGMAPS, {
      body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"w2"},"a\\r\\nSet-Cookie: x":1}',
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.warning).toBe('299 - "unknown field \\"a\\\\r\\\\nSet-Cookie: x\\""');
    expect(answer.headers.warning).not.toMatch(/[\r\n]/);
  });

  it('refuses a Pod whose body is a list, and one that is a string, with 400', async () => {
    for (const body of ['[]', '"pod"', 'null']) {
      const answer = await api.call('POST', '/api/v1/namespaces/default/pods', { body });
      expect(answer.status).toBe(400);
    }
    expect((await api.call('POST', '/api/v1/namespaces/default/pods', { body: aPod() })).status).toBe(201);
  });
});
