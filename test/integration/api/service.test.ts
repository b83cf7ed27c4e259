import { IPAddressKind, NodePortAllocationKind } from '../../../lib/api/service-network/allocation-kinds';
import { claimAnyValue } from '../../../lib/api/service-network/range-allocator';
import { parseServiceCidr } from '../../../lib/api/service-network/service-cidr';
import { serviceNetwork } from '../../../lib/api/service-network/service-network';
import { serviceAllocationController } from '../../../lib/controllers/service-allocation/service-allocation-controller';
import type { ReconcileContext } from '../../../lib/controllers/controller';
import { ServiceKind } from '../../../lib/kinds/service';
import { apiHarness } from '../../support/api-harness';

const SERVICES = '/api/v1/namespaces/default/services';
const DEFAULT_RANGE = parseServiceCidr('10.96.0.0/12');

const aService = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }], ...spec },
});

describe('Services through the API', () => {
  let h: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    h = await apiHarness();
  });
  afterAll(() => h.close());

  /** The release controller as the control loop runs it, with the real clock moved on by `later` seconds. */
  const release = (name: string, later = 0) => {
    const context = {
      store: h.store,
      events: { record: async () => undefined },
      now: () => new Date(Date.now() + later * 1000),
    } as ReconcileContext;
    return serviceAllocationController.reconcile({ kind: ServiceKind, namespace: 'default', name }, context);
  };

  it('allocates a ClusterIP from the service range and defaults the IP families', async () => {
    const created = await h.call('POST', SERVICES, { body: aService('alpha') });
    expect(created.status).toBe(201);
    const { spec } = created.body;
    expect(DEFAULT_RANGE.offsetOf(spec.clusterIP)).toBeDefined();
    expect(spec.clusterIPs).toEqual([spec.clusterIP]);
    expect(spec).toMatchObject({ ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', type: 'ClusterIP' });
    expect(await h.store.get(IPAddressKind, undefined, spec.clusterIP)).toBeDefined();
  });

  it('never hands out one ClusterIP twice, even to concurrent creates', async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => h.call('POST', SERVICES, { body: aService(`many-${i}`) })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(201));
    const ips = answers.map((a) => a.body.spec.clusterIP);
    expect(new Set(ips).size).toBe(12);
  });

  it('fills a small range exactly once, with concurrent claims, and then reports it full', async () => {
    const { ips } = serviceNetwork('172.30.0.0/28');
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        claimAnyValue(h.store, ips, { namespace: 'default', name: `c${i}` }),
      ),
    );
    const given = claims.filter((ip): ip is string => ip !== undefined);
    expect(given).toHaveLength(14);
    expect(new Set(given).size).toBe(14);
    expect(given.every((ip) => /^172\.30\.0\.([1-9]|1[0-4])$/.test(ip))).toBe(true);
  });

  it('gives a requested ClusterIP once, and refuses it to the next Service as kube does', async () => {
    const first = await h.call('POST', SERVICES, { body: aService('fixed-a', { clusterIP: '10.96.0.10' }) });
    expect(first.body.spec.clusterIP).toBe('10.96.0.10');
    const second = await h.call('POST', SERVICES, { body: aService('fixed-b', { clusterIP: '10.96.0.10' }) });
    expect(second.status).toBe(422);
    expect(second.body.message).toBe(
      'Service "fixed-b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    );
    const outside = await h.call('POST', SERVICES, {
      body: aService('fixed-c', { clusterIP: '192.168.0.1' }),
    });
    expect(outside.body.message).toContain(
      'failed to allocate IP 192.168.0.1: the provided IP (192.168.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
  });

  it('keeps the ClusterIP when an update leaves it out, and refuses changing it', async () => {
    const { body: created } = await h.call('POST', SERVICES, { body: aService('keep') });
    const replaced = await h.call('PUT', `${SERVICES}/keep`, {
      body: aService('keep', { ports: [{ name: 'http', port: 81 }] }),
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.spec.clusterIP).toBe(created.spec.clusterIP);
    const changed = await h.call('PATCH', `${SERVICES}/keep`, {
      contentType: 'application/merge-patch+json',
      body: { spec: { clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'] } },
    });
    expect(changed.status).toBe(422);
    expect(changed.body.message).toBe(
      'Service "keep" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set',
    );
  });

  it('gives headless and ExternalName Services no ClusterIP', async () => {
    const headless = await h.call('POST', SERVICES, { body: aService('headless', { clusterIP: 'None' }) });
    expect(headless.body.spec).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'] });
    const external = await h.call('POST', SERVICES, {
      body: aService('external', {
        type: 'ExternalName',
        externalName: 'db.example.com',
        selector: undefined,
      }),
    });
    expect(external.status).toBe(201);
    expect(external.body.spec.clusterIP).toBeUndefined();
    expect(external.body.spec.ipFamilies).toBeUndefined();
  });

  it('allocates node ports in 30000-32767 and refuses a taken or out-of-range one', async () => {
    const created = await h.call('POST', SERVICES, { body: aService('nodeport', { type: 'NodePort' }) });
    const nodePort = created.body.spec.ports[0].nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    expect(nodePort).toBeLessThanOrEqual(32767);
    const taken = await h.call('POST', SERVICES, {
      body: aService('nodeport-b', { type: 'NodePort', ports: [{ port: 80, nodePort }] }),
    });
    expect(taken.body.message).toBe(
      `Service "nodeport-b" is invalid: spec.ports[0].nodePort: Invalid value: ${nodePort}: provided port is already allocated`,
    );
    const low = await h.call('POST', SERVICES, {
      body: aService('nodeport-c', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }),
    });
    expect(low.body.message).toBe(
      'Service "nodeport-c" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    // The refused create gave back the ClusterIP it had claimed: none is left held for it.
    const { items } = await h.store.list(IPAddressKind, {
      labelSelector: [{ key: 'skiff.dev/service-name', operator: 'In', values: ['nodeport-c'] }],
    });
    expect(items).toEqual([]);
  });

  it('drops node ports when a NodePort Service becomes ClusterIP, and releases them', async () => {
    const created = await h.call('POST', SERVICES, { body: aService('downgrade', { type: 'NodePort' }) });
    const nodePort = String(created.body.spec.ports[0].nodePort);
    const patched = await h.call('PATCH', `${SERVICES}/downgrade`, {
      contentType: 'application/merge-patch+json',
      body: { spec: { type: 'ClusterIP' } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.spec.ports[0].nodePort).toBeUndefined();
    await release('downgrade', 60);
    await expect(h.store.get(NodePortAllocationKind, undefined, nodePort)).rejects.toThrow();
    expect(await h.store.get(IPAddressKind, undefined, created.body.spec.clusterIP)).toBeDefined();
  });

  it("releases a deleted Service's ClusterIP and node ports, after the grace a write under way needs", async () => {
    const created = await h.call('POST', SERVICES, { body: aService('gone', { type: 'NodePort' }) });
    const ip = created.body.spec.clusterIP;
    expect((await h.call('DELETE', `${SERVICES}/gone`)).status).toBe(200);
    expect(await release('gone')).toEqual({ requeueAfterSeconds: expect.any(Number) });
    expect(await h.store.get(IPAddressKind, undefined, ip)).toBeDefined();
    expect(await release('gone', 60)).toEqual({});
    await expect(h.store.get(IPAddressKind, undefined, ip)).rejects.toThrow();
    const again = await h.call('POST', SERVICES, { body: aService('again', { clusterIP: ip }) });
    expect(again.status).toBe(201);
  });

  it("prints kube's service columns", async () => {
    const table = await h.call('GET', SERVICES, {
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      query: { fieldSelector: 'metadata.name=nodeport' },
    });
    expect(table.body.columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
      'Name',
      'Type',
      'Cluster-IP',
      'External-IP',
      'Port(s)',
      'Age',
      'Selector',
    ]);
    const [row] = table.body.rows;
    expect(row.cells.slice(1, 5)).toEqual([
      'NodePort',
      expect.stringMatching(/^10\./),
      '<none>',
      expect.stringMatching(/^80:3\d{4}\/TCP$/),
    ]);
  });
  it('accepts a LoadBalancer, gives it node ports and leaves its external IP pending', async () => {
    const created = await h.call('POST', SERVICES, { body: aService('balanced', { type: 'LoadBalancer' }) });
    expect(created.status).toBe(201);
    expect(created.body.spec).toMatchObject({
      allocateLoadBalancerNodePorts: true,
      externalTrafficPolicy: 'Cluster',
    });
    expect(created.body.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    const table = await h.call('GET', SERVICES, {
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      query: { fieldSelector: 'metadata.name=balanced' },
    });
    expect(table.body.rows[0].cells[3]).toBe('<pending>');
  });

  it('selects Services by spec.type and spec.clusterIP, as kube-apiserver does since 1.31', async () => {
    const headless = await h.call('POST', SERVICES, {
      body: aService('selected-none', { clusterIP: 'None' }),
    });
    expect(headless.status).toBe(201);
    const byType = await h.call('GET', SERVICES, { query: { fieldSelector: 'spec.type=LoadBalancer' } });
    expect(byType.body.items.map((s: { metadata: { name: string } }) => s.metadata.name)).toEqual([
      'balanced',
    ]);
    const byIP = await h.call('GET', SERVICES, { query: { fieldSelector: 'spec.clusterIP=None' } });
    expect(byIP.body.items.map((s: { metadata: { name: string } }) => s.metadata.name)).toContain(
      'selected-none',
    );
    expect(byIP.body.items.every((s: { spec: { clusterIP: string } }) => s.spec.clusterIP === 'None')).toBe(
      true,
    );
  });

  it('makes a headless Service without a selector require dual stack, as kube does', async () => {
    const created = await h.call('POST', SERVICES, {
      body: aService('bare', { clusterIP: 'None', selector: undefined }),
    });
    expect(created.body.spec).toMatchObject({ ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4'] });
  });
  it('frees a value asked for that a lost write left held, once its grace has passed', async () => {
    // A claim whose Service was never written (the API stopped between the two).
    await claimAnyValue(h.store, serviceNetwork('10.96.0.20/30').ips, {
      namespace: 'default',
      name: 'never-written',
    });
    const { items } = await h.store.list(IPAddressKind, {
      labelSelector: [{ key: 'skiff.dev/service-name', operator: 'In', values: ['never-written'] }],
    });
    const ip = items[0].metadata.name ?? '';
    const young = await h.call('POST', SERVICES, { body: aService('takes-young', { clusterIP: ip }) });
    expect(young.status).toBe(422);
    jest.useFakeTimers({
      now: Date.now() + 60_000,
      doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'queueMicrotask'],
    });
    try {
      const old = await h.call('POST', SERVICES, { body: aService('takes-old', { clusterIP: ip }) });
      expect(old.status).toBe(201);
      expect(old.body.spec.clusterIP).toBe(ip);
    } finally {
      jest.useRealTimers();
    }
  });
});
