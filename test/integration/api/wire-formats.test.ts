import fc from 'fast-check';
import { createApiHandler } from '../../../lib/api/api-handler';
import type { ApiResponse } from '../../../lib/api/http';
import { decodeObject, encodeObject, PROTOBUF } from '../../../lib/api/protobuf/envelope';
import { createObjectTable } from '../../../lib/store/create-object-table';
import { DynamoObjectStore } from '../../../lib/store/dynamo-object-store';
import { aPod } from '../../support/builders';
import { dynamoClient, dynamoEngines, uniqueTableName } from '../../support/dynamo-engines';

/**
 * Written by Go's protobuf serializer (k8s.io/apimachinery v0.37.2, client-go's scheme), as
 * client-go sends them: a ConfigMap with data, binaryData, a label and a creationTimestamp; a
 * Deployment scaled to zero with an int-or-string maxSurge ("25%") and maxUnavailable (1), a CPU
 * limit and an emptyDir volume (an inline VolumeSource).
 */
const GO_CONFIG_MAP =
  '6b3873000a0f0a0276311209436f6e6669674d617012440a2f0a06676f6c64656e12001a0764656661756c7422002a0032003800420808c0cab5d80610005a080a0361707012016712060a01611201621a090a0362696e120200ff1a002200';
const GO_DEPLOYMENT =
  '6b3873000a150a07617070732f7631120a4465706c6f796d656e7412ed010a130a0377656212001a0022002a0032003800420012c7010800120c0a0a0a0361707012037765621a8a010a1c0a0012001a0022002a003200380042005a0a0a036170701203776562126a0a0f0a0773637261746368120412020a00123b0a0377656212056e67696e782a00320a0a001000185022002a00420f0a0d0a0363707512060a043530306d6a007200800100880100900100a201001a00320042004a0052005800600068008201008a01009a0100c2010022240a0d526f6c6c696e6755706461746512130a06080010011a001209080110001a03323525280038001a0c0800100018002000280038001a002200';

const CONFIG_MAPS = '/api/v1/namespaces/default/configmaps';
const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const PODS = '/api/v1/namespaces/default/pods';

interface Call {
  body?: Uint8Array | string;
  contentType?: string;
  accept?: string;
  query?: Record<string, string>;
}

describe('Wire formats: protobuf and YAML as kube-apiserver speaks them', () => {
  let handle: ReturnType<typeof createApiHandler>;
  let close: () => void;
  const errors: unknown[] = [];
  beforeAll(async () => {
    const client = dynamoClient(dynamoEngines()[0].endpoint);
    const tableName = uniqueTableName('wire');
    await createObjectTable(client, tableName);
    const store = new DynamoObjectStore({ client, tableName });
    handle = createApiHandler({ store, logError: (_message, error) => errors.push(error) });
    close = () => client.destroy();
  });
  afterAll(() => close());
  afterEach(() => expect(errors).toEqual([]));

  const call = (method: string, path: string, options: Call = {}): Promise<ApiResponse> => {
    const { body } = options;
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    return handle({
      method,
      path,
      query: options.query ?? {},
      headers: {
        ...(body !== undefined ? { 'content-type': options.contentType ?? PROTOBUF } : {}),
        ...(options.accept ? { accept: options.accept } : {}),
      },
      body: bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8'),
      bodyBytes: bytes,
    });
  };
  const protobufOf = (response: ApiResponse) => {
    expect(response.headers['content-type']).toBe(PROTOBUF);
    return decodeObject(response.bodyBytes ?? new Uint8Array());
  };
  const jsonOf = (response: ApiResponse) => {
    expect(response.headers['content-type']).toBe('application/json');
    return JSON.parse(response.body) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const both = `${PROTOBUF}, application/json`;

  it('creates from a body Go wrote, and answers in protobuf when Accept asks', async () => {
    const created = await call('POST', CONFIG_MAPS, {
      body: Buffer.from(GO_CONFIG_MAP, 'hex'),
      accept: both,
    });
    expect(created.statusCode).toBe(201);
    const object = protobufOf(created);
    expect(object).toMatchObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'golden', namespace: 'default', labels: { app: 'g' } },
      data: { a: 'b' },
      binaryData: { bin: Buffer.from([0, 255]).toString('base64') },
    });
    const read = jsonOf(await call('GET', `${CONFIG_MAPS}/golden`));
    expect(withoutManagers(object)).toEqual(withoutManagers(read));
  });

  it('keeps what the Go types say: a pointer zero, int-or-string, quantities, inline volume sources', async () => {
    const created = await call('POST', DEPLOYMENTS, { body: Buffer.from(GO_DEPLOYMENT, 'hex') });
    expect(created.statusCode).toBe(201);
    const deployment = jsonOf(created);
    expect(deployment.spec.replicas).toBe(0);
    expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxSurge: '25%', maxUnavailable: 1 });
    const pod = deployment.spec.template.spec;
    expect(pod.containers[0]).toMatchObject({ image: 'nginx', ports: [{ containerPort: 80 }] });
    expect(pod.containers[0].resources).toEqual({ limits: { cpu: '500m' } });
    expect(pod.volumes).toEqual([{ name: 'scratch', emptyDir: {} }]);
    const asProtobuf = protobufOf(await call('GET', `${DEPLOYMENTS}/web`, { accept: PROTOBUF }));
    expect(withoutManagers(asProtobuf)).toEqual(
      withoutManagers(jsonOf(await call('GET', `${DEPLOYMENTS}/web`))),
    );
  });

  it('updates status and lists in protobuf', async () => {
    const current = jsonOf(await call('GET', `${DEPLOYMENTS}/web`));
    const status = { ...current, status: { observedGeneration: 1, replicas: 0, conditions: [] } };
    const updated = await call('PUT', `${DEPLOYMENTS}/web/status`, { body: encodeObject(status) });
    expect(updated.statusCode).toBe(200);
    expect(jsonOf(updated).status.observedGeneration).toBe(1);
    const list = protobufOf(await call('GET', DEPLOYMENTS, { accept: both }));
    expect(list).toMatchObject({
      kind: 'DeploymentList',
      apiVersion: 'apps/v1',
      items: [{ metadata: { name: 'web' } }],
    });
    expect((list.metadata as { resourceVersion: string }).resourceVersion).toMatch(/^\d+$/);
  });

  it('answers errors as a protobuf Status', async () => {
    const missing = await call('GET', `${CONFIG_MAPS}/nope`, { accept: PROTOBUF });
    expect(missing.statusCode).toBe(404);
    expect(protobufOf(missing)).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
      details: { name: 'nope', kind: 'configmaps' },
    });
  });

  it('reads DeleteOptions in protobuf on DELETE: preconditions and propagation', async () => {
    await call('POST', CONFIG_MAPS, { body: encodeObject(aConfigMap('doomed')) });
    const options = (preconditions: Record<string, string>) =>
      encodeObject({
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        preconditions,
        propagationPolicy: 'Background',
      });
    const stale = await call('DELETE', `${CONFIG_MAPS}/doomed`, { body: options({ uid: 'not-its-uid' }) });
    expect(stale.statusCode).toBe(409);
    const { uid } = jsonOf(await call('GET', `${CONFIG_MAPS}/doomed`)).metadata;
    expect((await call('DELETE', `${CONFIG_MAPS}/doomed`, { body: options({ uid }) })).statusCode).toBe(200);
    expect((await call('GET', `${CONFIG_MAPS}/doomed`)).statusCode).toBe(404);
  });

  it('takes Binding and Eviction bodies in protobuf', async () => {
    await call('POST', PODS, { body: encodeObject({ ...aPod({ name: 'bound' }) }) });
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'bound' },
      target: { kind: 'Node', name: 'node-a' },
    };
    expect((await call('POST', `${PODS}/bound/binding`, { body: encodeObject(binding) })).statusCode).toBe(
      201,
    );
    expect(jsonOf(await call('GET', `${PODS}/bound`)).spec.nodeName).toBe('node-a');
    const eviction = {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'bound' },
      deleteOptions: { gracePeriodSeconds: 0 },
    };
    const evicted = await call('POST', `${PODS}/bound/eviction`, {
      body: encodeObject(eviction),
      accept: PROTOBUF,
    });
    expect(evicted.statusCode).toBe(201);
    expect(protobufOf(evicted)).toMatchObject({ kind: 'Status', status: 'Success' });
    expect((await call('GET', `${PODS}/bound`)).statusCode).toBe(404);
  });

  it('is never strict with protobuf, as kube: fields Skiff does not model are dropped with a warning', async () => {
    const pod = aPod({ name: 'strict' });
    const withHostUsers = { ...pod, spec: { ...pod.spec, hostUsers: false } };
    const created = await call('POST', PODS, {
      body: encodeObject(withHostUsers),
      query: { fieldValidation: 'Strict' },
    });
    expect(created.statusCode).toBe(201);
    // Kept where Skiff models the field, else warned about; never a strict decoding 400.
    const kept = jsonOf(created).spec.hostUsers === false;
    expect(kept || (created.headers.warning ?? '').includes('spec.hostUsers')).toBe(true);
  });

  it('reads YAML bodies and writes YAML when Accept asks', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  answer: "42"\n';
    const created = await call('POST', CONFIG_MAPS, { body: yaml, contentType: 'application/yaml' });
    expect(created.statusCode).toBe(201);
    expect(jsonOf(created).data).toEqual({ answer: '42' });
    const read = await call('GET', `${CONFIG_MAPS}/from-yaml`, { accept: 'application/yaml' });
    expect(read.headers['content-type']).toBe('application/yaml');
    expect(read.body).toContain('name: from-yaml');
    expect(read.body).toContain('answer: "42"');
  });

  it('keeps JSON for custom resources: 415 for a protobuf body, JSON when Accept also allows it', async () => {
    const pools = '/apis/skiff.dev/v1alpha1/nodepools';
    const refused = await call('POST', pools, { body: Buffer.from(GO_CONFIG_MAP, 'hex') });
    expect(refused.statusCode).toBe(415);
    expect(jsonOf(refused).message).toContain('application/json, application/yaml');
    expect((await call('GET', pools, { accept: both })).headers['content-type']).toBe('application/json');
  });

  it('refuses undecodable protobuf with 400 and the reason', async () => {
    const cases: [string, Uint8Array][] = [
      ['no magic', Buffer.from('{"kind":"ConfigMap"}')],
      ['truncated', Buffer.from(GO_CONFIG_MAP, 'hex').subarray(0, 40)],
      ['an unknown kind', encodeEnvelope('v1', 'Gadget')],
      ['no kind', encodeEnvelope('v1', '')],
    ];
    for (const [what, body] of cases) {
      const answer = await call('POST', CONFIG_MAPS, { body });
      expect([what, answer.statusCode]).toEqual([what, 400]);
      expect(jsonOf(answer).message).toMatch(/^the body of the request could not be decoded/);
    }
    const wrongKind = await call('POST', DEPLOYMENTS, { body: Buffer.from(GO_CONFIG_MAP, 'hex') });
    expect(wrongKind.statusCode).toBe(400);
    expect(jsonOf(wrongKind).message).toContain('Deployment');
  });

  it('answers every damaged protobuf body with a 4xx Status, never a 5xx', async () => {
    const valid = [GO_CONFIG_MAP, GO_DEPLOYMENT].map((hex) => Buffer.from(hex, 'hex'));
    const damaged = fc.oneof(
      fc
        .record({ base: fc.constantFrom(...valid), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) })
        .map(({ base, at, byte }) => {
          const copy = Buffer.from(base);
          copy[at % copy.length] = byte;
          return copy;
        }),
      fc
        .record({ base: fc.constantFrom(...valid), cut: fc.nat() })
        .map(({ base, cut }) => base.subarray(0, cut % base.length)),
      fc.uint8Array({ maxLength: 200 }).map((tail) => Buffer.concat([Buffer.from('k8s\0'), tail])),
      fc.uint8Array({ maxLength: 200 }).map((tail) => Buffer.from(tail)),
    );
    await fc.assert(
      fc.asyncProperty(damaged, fc.constantFrom(CONFIG_MAPS, DEPLOYMENTS), async (body, path) => {
        const answer = await call('POST', path, { body, query: { dryRun: 'All' } });
        expect(answer.statusCode).toBeLessThan(500);
        if (answer.statusCode >= 400) expect(jsonOf(answer).kind).toBe('Status');
      }),
      { numRuns: 150 },
    );
  });
});

/**
 * The object without managedFields' manager names: a request without fieldManager records
 * `manager: ""`, which Go's omitempty (and so protobuf, read back as Go would) leaves out.
 */
function withoutManagers(object: Record<string, unknown>) {
  const copy = structuredClone(object) as { metadata?: { managedFields?: { manager?: string }[] } };
  for (const entry of copy.metadata?.managedFields ?? []) if (entry.manager === '') delete entry.manager;
  return copy;
}

function aConfigMap(name: string) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: 'b' } };
}

/** kube's envelope around an empty message, for kinds the schema may not have. */
function encodeEnvelope(apiVersion: string, kind: string): Uint8Array {
  const typeMeta = Buffer.concat([field(1, Buffer.from(apiVersion)), field(2, Buffer.from(kind))]);
  return Buffer.concat([Buffer.from('k8s\0'), field(1, typeMeta), field(2, Buffer.alloc(0))]);
}

/** A length-delimited protobuf field (wire type 2), for lengths under 128. */
function field(number: number, bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(number << 3) | 2, bytes.length]), bytes]);
}
