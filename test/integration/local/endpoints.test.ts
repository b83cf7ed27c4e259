import { KubeClient } from '../../../lib/client/kube-client';
import type { Endpoints } from '../../../lib/kinds/endpoints';
import { startLocalControlPlane, type LocalControlPlane } from '../../../lib/local/local-control-plane';
import { eventually } from '../../support/eventually';

const SERVICES = { apiVersion: 'v1', plural: 'services', namespace: 'default' } as const;
const ENDPOINTS = { apiVersion: 'v1', plural: 'endpoints', namespace: 'default' } as const;

/**
 * The endpoints controller's lifecycle of an Endpoints object, on the local control plane (no
 * nodes: its subsets are empty, desired-endpoints.test.ts covers them): made for a Service with a
 * selector, with the Service's labels; put back when someone edits it; gone with its Service; and
 * never made, nor touched, for a Service without a selector.
 */
describe('local Endpoints of Services', () => {
  let plane: LocalControlPlane;
  let client: KubeClient;

  beforeAll(async () => {
    plane = await startLocalControlPlane({ port: 0 });
    client = new KubeClient({ server: plane.url });
  });
  afterAll(() => plane?.stop());

  const service = (name: string, selector?: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: { team: 'a' } },
    spec: { ...(selector ? { selector } : {}), ports: [{ name: 'http', port: 80 }] },
  });
  const endpointsOf = async (name: string) =>
    (await client.list<Endpoints>(ENDPOINTS, { fieldSelector: `metadata.name=${name}` })).items[0];

  it("makes a selected Service's Endpoints, with its labels, and puts them back when edited", async () => {
    await client.create(SERVICES, service('web', { app: 'web' }));

    const made = await eventually(async () => {
      const endpoints = await endpointsOf('web');
      expect(endpoints?.metadata.labels).toEqual({ team: 'a' });
      return endpoints;
    });
    expect(made.subsets).toBeUndefined();
    expect(made.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']).toMatch(
      /^\d{4}-/,
    );

    await client.patch({ ...ENDPOINTS, name: 'web' }, { metadata: { labels: { team: 'b' } } });
    await eventually(async () => expect((await endpointsOf('web'))?.metadata.labels).toEqual({ team: 'a' }));
  });

  it('removes the Endpoints with their Service', async () => {
    await client.create(SERVICES, service('gone', { app: 'gone' }));
    await eventually(async () => expect(await endpointsOf('gone')).toBeDefined());

    await client.delete({ ...SERVICES, name: 'gone' });

    await eventually(async () => expect(await endpointsOf('gone')).toBeUndefined());
  });

  it('leaves a Service without a selector to the Endpoints its user writes', async () => {
    await client.create(SERVICES, service('external'));
    const written = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'external' },
      subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ name: 'http', port: 8080 }] }],
    };
    await client.create(ENDPOINTS, written);
    // A selected Service made after it has had its Endpoints written: the controller has run since.
    await client.create(SERVICES, service('marker', { app: 'marker' }));
    await eventually(async () => expect(await endpointsOf('marker')).toBeDefined());

    const kept = await endpointsOf('external');
    expect({ subsets: kept?.subsets, labels: kept?.metadata.labels }).toEqual({
      subsets: [
        { addresses: [{ ip: '192.0.2.10' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
      ],
      labels: undefined,
    });
  });
});
