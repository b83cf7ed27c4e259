import { spawnLocalServer, type LocalServerProcess } from '../support/spawn-local-server';

/**
 * The differential test of issue 12: one CRD and 30 objects, valid and invalid, sent to `npm start`
 * over HTTP, each answered with the status code, reason and field causes kube-apiserver 1.32 gives
 * for it (its OpenAPI schema validation's messages, `apiextensions-apiserver/pkg/apiserver/validation`
 * and `k8s.io/kube-openapi/pkg/validation`, and the API machinery's codes).
 */
const GROUP = 'diff.skiff.dev';
const PATH = `/apis/${GROUP}/v1/namespaces/default/widgets`;

const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `widgets.${GROUP}` },
  spec: {
    group: GROUP,
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            required: ['spec'],
            properties: {
              spec: {
                type: 'object',
                required: ['size'],
                properties: {
                  size: { type: 'integer', minimum: 1, maximum: 100 },
                  name: { type: 'string', minLength: 2, maxLength: 8 },
                  tier: { type: 'string', enum: ['free', 'pro'] },
                  ratio: { type: 'number', multipleOf: 0.5 },
                  tags: {
                    type: 'array',
                    maxItems: 3,
                    'x-kubernetes-list-type': 'set',
                    items: { type: 'string' },
                  },
                  port: { 'x-kubernetes-int-or-string': true },
                  when: { type: 'string', format: 'date-time' },
                  labels: { type: 'object', additionalProperties: { type: 'string' } },
                  nested: { type: 'object', required: ['key'], properties: { key: { type: 'string' } } },
                  mode: { type: 'string', default: 'auto' },
                  note: { type: 'string', nullable: true },
                  extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
              status: { type: 'object', properties: { phase: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
};

interface Cause {
  reason: string;
  field: string;
  message: string;
}

interface Case {
  name: string;
  spec?: unknown;
  /** Replaces the whole body (for cases about the envelope). */
  body?: Record<string, unknown>;
  query?: string;
  code: number;
  reason?: string;
  causes?: Cause[];
  /** What the stored spec must hold (201). */
  stored?: Record<string, unknown>;
  message?: string;
  warning?: string;
}

const invalid = (field: string, message: string): Cause => ({ reason: 'FieldValueInvalid', field, message });
/** kube-openapi's type errors (and formats, checked as types) are field.TypeInvalid. */
const typeInvalid = (field: string, message: string): Cause => ({
  reason: 'FieldValueTypeInvalid',
  field,
  message,
});

const CASES: Case[] = [
  { name: 'ok-minimal', spec: { size: 1 }, code: 201, stored: { size: 1, mode: 'auto' } },
  {
    name: 'ok-everything',
    spec: {
      size: 100,
      name: 'ab',
      tier: 'pro',
      ratio: 1.5,
      tags: ['a', 'b', 'c'],
      when: '2026-12-01T10:00:00Z',
      labels: { a: 'b' },
      nested: { key: 'k' },
      mode: 'manual',
    },
    code: 201,
    stored: { size: 100, tier: 'pro', ratio: 1.5, mode: 'manual' },
  },
  { name: 'ok-port-number', spec: { size: 1, port: 80 }, code: 201, stored: { port: 80 } },
  { name: 'ok-port-name', spec: { size: 1, port: 'http' }, code: 201, stored: { port: 'http' } },
  { name: 'ok-nullable-null', spec: { size: 1, note: null }, code: 201, stored: { note: null } },
  {
    name: 'ok-preserved',
    spec: { size: 1, extra: { any: { thing: [1, 'two'] } } },
    code: 201,
    stored: { extra: { any: { thing: [1, 'two'] } } },
  },
  { name: 'ok-int-as-float', spec: { size: 3.0 }, code: 201, stored: { size: 3 } },
  {
    name: 'ok-unknown-warned',
    spec: { size: 1, colour: 'blue' },
    query: 'fieldValidation=Warn',
    code: 201,
    stored: { size: 1 },
    warning: '299 - "unknown field \\"spec.colour\\""',
  },
  {
    name: 'bad-missing-size',
    spec: {},
    code: 422,
    causes: [{ reason: 'FieldValueRequired', field: 'spec.size', message: 'Required value' }],
  },
  {
    name: 'bad-size-string',
    spec: { size: 'ten' },
    code: 422,
    causes: [
      typeInvalid(
        'spec.size',
        'Invalid value: "string": spec.size in body must be of type integer: "string"',
      ),
    ],
  },
  {
    name: 'bad-size-zero',
    spec: { size: 0 },
    code: 422,
    causes: [
      invalid('spec.size', 'Invalid value: 0: spec.size in body should be greater than or equal to 1'),
    ],
  },
  {
    name: 'bad-size-big',
    spec: { size: 101 },
    code: 422,
    causes: [
      invalid('spec.size', 'Invalid value: 101: spec.size in body should be less than or equal to 100'),
    ],
  },
  {
    name: 'bad-size-fraction',
    spec: { size: 1.5 },
    code: 422,
    causes: [
      typeInvalid(
        'spec.size',
        'Invalid value: "number": spec.size in body must be of type integer: "number"',
      ),
    ],
  },
  {
    name: 'bad-name-short',
    spec: { size: 1, name: 'a' },
    code: 422,
    causes: [invalid('spec.name', 'Invalid value: "a": spec.name in body should be at least 2 chars long')],
  },
  {
    name: 'bad-name-long',
    spec: { size: 1, name: 'abcdefghi' },
    code: 422,
    causes: [
      { reason: 'FieldValueTooLong', field: 'spec.name', message: 'Too long: may not be more than 8 bytes' },
    ],
  },
  {
    name: 'bad-tier',
    spec: { size: 1, tier: 'gold' },
    code: 422,
    causes: [
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.tier',
        message: 'Unsupported value: "gold": supported values: "free", "pro"',
      },
    ],
  },
  {
    name: 'bad-ratio',
    spec: { size: 1, ratio: 0.3 },
    code: 422,
    causes: [invalid('spec.ratio', 'Invalid value: 0.3: spec.ratio in body should be a multiple of 0.5')],
  },
  {
    name: 'bad-tags-many',
    spec: { size: 1, tags: ['a', 'b', 'c', 'd'] },
    code: 422,
    causes: [
      { reason: 'FieldValueTooMany', field: 'spec.tags', message: 'Too many: 4: must have at most 3 items' },
    ],
  },
  {
    name: 'bad-tags-duplicate',
    spec: { size: 1, tags: ['a', 'a'] },
    code: 422,
    causes: [{ reason: 'FieldValueDuplicate', field: 'spec.tags[1]', message: 'Duplicate value: "a"' }],
  },
  {
    name: 'bad-when',
    spec: { size: 1, when: 'yesterday' },
    code: 422,
    causes: [
      typeInvalid(
        'spec.when',
        'Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"',
      ),
    ],
  },
  {
    name: 'bad-label-value',
    spec: { size: 1, labels: { a: 1 } },
    code: 422,
    causes: [
      typeInvalid(
        'spec.labels.a',
        'Invalid value: "integer": spec.labels.a in body must be of type string: "integer"',
      ),
    ],
  },
  {
    name: 'bad-nested-key',
    spec: { size: 1, nested: {} },
    code: 422,
    causes: [{ reason: 'FieldValueRequired', field: 'spec.nested.key', message: 'Required value' }],
  },
  {
    name: 'bad-two-fields',
    spec: { size: 0, tier: 'gold' },
    code: 422,
    causes: [
      invalid('spec.size', 'Invalid value: 0: spec.size in body should be greater than or equal to 1'),
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.tier',
        message: 'Unsupported value: "gold": supported values: "free", "pro"',
      },
    ],
  },
  {
    name: 'bad-spec-type',
    spec: 'big',
    code: 422,
    causes: [typeInvalid('spec', 'Invalid value: "string": spec in body must be of type object: "string"')],
  },
  {
    name: 'bad-null-size',
    spec: { size: null },
    code: 422,
    causes: [{ reason: 'FieldValueRequired', field: 'spec.size', message: 'Required value' }],
  },
  {
    name: 'bad-unknown-strict',
    spec: { size: 1, colour: 'blue' },
    query: 'fieldValidation=Strict',
    code: 400,
    reason: 'BadRequest',
    message: 'strict decoding error: unknown field "spec.colour"',
  },
  {
    name: 'bad-namespace',
    body: {
      apiVersion: `${GROUP}/v1`,
      kind: 'Widget',
      metadata: { name: 'bad-namespace', namespace: 'other' },
      spec: { size: 1 },
    },
    code: 400,
    reason: 'BadRequest',
    message: 'the namespace of the provided object does not match the namespace sent on the request',
  },
  {
    name: 'ok-minimal',
    spec: { size: 1 },
    code: 409,
    reason: 'AlreadyExists',
    message: `widgets.${GROUP} "ok-minimal" already exists`,
  },
  {
    name: 'bad-status-only',
    body: {
      apiVersion: `${GROUP}/v1`,
      kind: 'Widget',
      metadata: { name: 'bad-status-only' },
      status: { phase: 'Up' },
    },
    code: 422,
    causes: [{ reason: 'FieldValueRequired', field: 'spec', message: 'Required value' }],
  },
  {
    name: 'ok-status-dropped',
    body: {
      apiVersion: `${GROUP}/v1`,
      kind: 'Widget',
      metadata: { name: 'ok-status-dropped' },
      spec: { size: 2 },
      status: { phase: 'Up' },
    },
    code: 201,
    stored: { size: 2 },
  },
];

describe('custom resources against kube-apiserver’s documented answers (differential)', () => {
  let server: LocalServerProcess;
  beforeAll(async () => {
    server = await spawnLocalServer();
    const created = await send('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', CRD);
    expect(created.status).toBe(201);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });

  async function send(method: string, path: string, body: unknown) {
    return fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
  }

  it('has 30 cases', () => expect(CASES).toHaveLength(30));

  it.each(CASES.map((c, index) => [`${index + 1} ${c.name}`, c] as const))('%s', async (_label, c) => {
    const body = c.body ?? {
      apiVersion: `${GROUP}/v1`,
      kind: 'Widget',
      metadata: { name: c.name },
      spec: c.spec,
    };
    const response = await send('POST', `${PATH}${c.query ? `?${c.query}` : ''}`, body);
    const answer = (await response.json()) as {
      kind: string;
      reason?: string;
      message?: string;
      details?: { causes?: Cause[] };
      spec?: Record<string, unknown>;
      status?: unknown;
    };
    expect({ name: c.name, code: response.status }).toEqual({ name: c.name, code: c.code });
    if (c.code === 201) {
      expect(answer.spec).toMatchObject(c.stored ?? {});
      expect(answer.status).toBeUndefined();
      if (c.warning) expect(response.headers.get('warning')).toBe(c.warning);
      return;
    }
    expect(answer.kind).toBe('Status');
    if (c.causes) {
      expect(answer.reason).toBe('Invalid');
      expect(answer.details?.causes).toEqual(c.causes);
      const listed = c.causes.map((cause) => `${cause.field}: ${cause.message}`);
      expect(answer.message).toBe(
        `Widget.${GROUP} "${c.name}" is invalid: ${listed.length === 1 ? listed[0] : `[${listed.join(', ')}]`}`,
      );
    } else {
      expect(answer.reason).toBe(c.reason);
      expect(answer.message).toBe(c.message);
    }
    if (c.code !== 409) {
      const stored = await fetch(`${server.url}${PATH}/${c.name}`);
      expect(stored.status).toBe(404);
    }
  });
});
