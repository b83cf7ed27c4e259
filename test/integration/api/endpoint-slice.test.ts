import { apiHarness } from '../../support/api-harness';

const SLICES = '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

describe('EndpointSlices through the API', () => {
  let h: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    h = await apiHarness();
  });
  afterAll(() => h.close());

  const aSlice = (name: string, addresses: string[], ports: number[]) => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name },
    addressType: 'IPv4',
    endpoints: addresses.map((address) => ({ addresses: [address] })),
    ports: ports.map((port, i) => ({ name: `p${i}`, port })),
  });

  it("prints kube's columns, three values at most", async () => {
    await h.call('POST', SLICES, { body: aSlice('few', ['10.0.0.1', '10.0.0.2'], [80]) });
    await h.call('POST', SLICES, {
      body: aSlice('many', ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'], [80, 81, 82, 83]),
    });
    await h.call('POST', SLICES, { body: aSlice('empty', [], []) });
    const table = await h.call('GET', SLICES, { accept: TABLE });
    expect(table.body.columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
      'Name',
      'AddressType',
      'Ports',
      'Endpoints',
      'Age',
    ]);
    const rows = Object.fromEntries(
      table.body.rows.map((row: { cells: string[] }) => [row.cells[0], row.cells.slice(1, 4)]),
    );
    expect(rows).toEqual({
      few: ['IPv4', '80', '10.0.0.1,10.0.0.2'],
      many: ['IPv4', '80,81,82 + 1 more...', '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...'],
      empty: ['IPv4', '<unset>', '<unset>'],
    });
  });

  it('refuses changing the address type', async () => {
    const changed = await h.call('PATCH', `${SLICES}/few`, {
      contentType: 'application/merge-patch+json',
      body: { addressType: 'IPv6', endpoints: [{ addresses: ['fe80::1'] }] },
    });
    expect(changed.status).toBe(422);
    expect(changed.body.message).toBe(
      'EndpointSlice.discovery.k8s.io "few" is invalid: addressType: Invalid value: "IPv6": field is immutable',
    );
  });
});
