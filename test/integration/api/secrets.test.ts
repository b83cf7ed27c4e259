import { createApiHandler } from '../../../lib/api/api-handler';
import { SecretKind } from '../../../lib/kinds/secret';
import type { ObjectStore } from '../../../lib/store/object-store';
import { apiHarness } from '../../support/api-harness';

const SECRETS = '/api/v1/namespaces/default/secrets';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const b64 = (text: string) => Buffer.from(text).toString('base64');
const aSecret = (name: string, fields: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name },
  ...fields,
});

describe('Secrets through the API, as kube-apiserver serves them', () => {
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness();
  });
  afterAll(() => api.close());

  it('stores stringData as base64 data, defaults the type, and never returns stringData', async () => {
    const created = await api.call('POST', SECRETS, {
      body: aSecret('app', { stringData: { password: 's3cret' } }),
      query: { fieldValidation: 'Strict' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type: 'Opaque', data: { password: b64('s3cret') } });
    expect(created.body).not.toHaveProperty('stringData');
    const read = await api.call('GET', `${SECRETS}/app`);
    expect(read.body.data).toEqual({ password: b64('s3cret') });
    expect(read.body).not.toHaveProperty('stringData');
  });

  it('merges a patch of stringData into the stored data', async () => {
    await api.call('POST', SECRETS, { body: aSecret('patched', { data: { a: b64('1'), b: b64('2') } }) });
    const patched = await api.call('PATCH', `${SECRETS}/patched`, {
      contentType: 'application/merge-patch+json',
      body: { stringData: { b: 'two', c: 'three' } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toEqual({ a: b64('1'), b: b64('two'), c: b64('three') });
  });

  it("answers kube's 400 for data that is not base64 and 422 for a TLS Secret without its keys", async () => {
    const notBase64 = await api.call('POST', SECRETS, { body: aSecret('bad', { data: { a: 'hunter2!' } }) });
    expect(notBase64.status).toBe(400);
    expect(notBase64.body.message).toBe(
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 7',
    );
    const tls = await api.call('POST', SECRETS, {
      body: aSecret('tls', { type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'cert' } }),
    });
    expect(tls.status).toBe(422);
    expect(tls.body.message).toBe('Secret "tls" is invalid: data[tls.key]: Required value');
    expect(tls.body.details.causes).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'data[tls.key]' },
    ]);
  });

  it('keeps the type, and the data of an immutable Secret, on update', async () => {
    await api.call('POST', SECRETS, { body: aSecret('fixed', { immutable: true, stringData: { a: 'x' } }) });
    const retype = await api.call('PATCH', `${SECRETS}/fixed`, {
      contentType: 'application/merge-patch+json',
      body: { type: 'example.com/other' },
    });
    expect(retype.status).toBe(422);
    expect(retype.body.message).toBe(
      'Secret "fixed" is invalid: type: Invalid value: "example.com/other": field is immutable',
    );
    const rewrite = await api.call('PATCH', `${SECRETS}/fixed`, {
      contentType: 'application/merge-patch+json',
      body: { stringData: { a: 'y' } },
    });
    expect(rewrite.status).toBe(422);
    expect(rewrite.body.message).toBe(
      'Secret "fixed" is invalid: data: Forbidden: field is immutable when `immutable` is set',
    );
    const labelled = await api.call('PATCH', `${SECRETS}/fixed`, {
      contentType: 'application/merge-patch+json',
      body: { metadata: { labels: { tier: 'db' } } },
    });
    expect(labelled.status).toBe(200);
  });

  it("lists as kubectl's table: NAME TYPE DATA AGE", async () => {
    await api.call('POST', SECRETS, {
      body: aSecret('registry', {
        type: 'kubernetes.io/dockerconfigjson',
        stringData: { '.dockerconfigjson': '{"auths":{}}' },
      }),
    });
    const table = await api.call('GET', `${SECRETS}/registry`, { accept: TABLE });
    expect(table.body.columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
      'Name',
      'Type',
      'Data',
      'Age',
    ]);
    expect(table.body.rows[0].cells.slice(0, 3)).toEqual(['registry', 'kubernetes.io/dockerconfigjson', 1]);
  });

  it('selects by type with a field selector', async () => {
    const listed = await api.call('GET', SECRETS, {
      query: { fieldSelector: 'type=kubernetes.io/dockerconfigjson' },
    });
    expect(listed.body.items.map((s: { metadata: { name: string } }) => s.metadata.name)).toEqual([
      'registry',
    ]);
  });
});

describe('Secret values in logs', () => {
  const SECRET_VALUE = 'do-not-log-me-0xC0FFEE';
  let api: Awaited<ReturnType<typeof apiHarness>>;
  const logged: string[] = [];
  const capture = (...parts: unknown[]) => {
    for (const part of parts)
      logged.push(part instanceof Error ? `${part.message}\n${part.stack}` : (JSON.stringify(part) ?? ''));
  };
  const spies: jest.SpyInstance[] = [];
  beforeAll(async () => {
    api = await apiHarness();
    for (const method of ['log', 'error', 'warn', 'info', 'debug'] as const)
      spies.push(jest.spyOn(console, method).mockImplementation(capture));
  });
  afterAll(() => {
    for (const spy of spies) spy.mockRestore();
    return api.close();
  });

  it('never carries a value, whatever the failure: decoding, validation, immutability or the store', async () => {
    // A handler whose store fails every write with the object it was given, as a careless
    // adapter might: the API logs the 5xx, and the log must still hold no value.
    const store = api.store;
    const failingStore: ObjectStore = {
      get: (...args) => store.get(...args),
      list: (...args) => store.list(...args),
      update: (...args) => store.update(...args),
      updateStatus: (...args) => store.updateStatus(...args),
      delete: (...args) => store.delete(...args),
      create: async (kind, object) => {
        if (kind !== SecretKind) return store.create(kind, object);
        throw new Error('the table refused the write');
      },
    };
    const failing = createApiHandler({ store: failingStore, logError: capture });
    const answers: string[] = [];
    const send = async (method: string, path: string, body: unknown, contentType = 'application/json') => {
      const request = {
        method,
        path,
        query: {},
        headers: { 'content-type': contentType },
        body: JSON.stringify(body),
      };
      answers.push(JSON.stringify(await failing(request)));
    };
    const encoded = b64(SECRET_VALUE);
    await send('POST', SECRETS, aSecret('x', { data: { a: `${encoded}!` } }));
    await send(
      'POST',
      SECRETS,
      aSecret('x', { type: 'kubernetes.io/tls', stringData: { 'tls.crt': SECRET_VALUE } }),
    );
    await send(
      'POST',
      SECRETS,
      aSecret('x', { type: 'kubernetes.io/dockercfg', stringData: { '.dockercfg': SECRET_VALUE } }),
    );
    await send(
      'POST',
      SECRETS,
      aSecret('x', { stringData: { [`${SECRET_VALUE} key`]: 'x', a: SECRET_VALUE } }),
    );
    await send('POST', SECRETS, aSecret('stored', { stringData: { a: SECRET_VALUE } }));
    await api.call('POST', SECRETS, { body: aSecret('fixed', { immutable: true, stringData: { a: 'x' } }) });
    await send(
      'PATCH',
      `${SECRETS}/fixed`,
      { stringData: { a: SECRET_VALUE } },
      'application/merge-patch+json',
    );
    await send('PUT', `${SECRETS}/fixed`, aSecret('fixed', { type: 'x', data: { a: encoded } }));

    expect(answers.filter((a) => a.includes('"statusCode":500'))).toHaveLength(1);
    expect(logged.length).toBeGreaterThan(0);
    for (const line of logged) {
      expect(line).not.toContain(SECRET_VALUE);
      expect(line).not.toContain(encoded.slice(0, 16));
    }
    for (const answer of answers) expect(answer).not.toContain(encoded.slice(0, 16));
  });
});
