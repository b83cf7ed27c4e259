import { endpointsCell } from '../../../lib/api/table/endpoints-cell';
import { EndpointsKind, type Endpoints } from '../../../lib/kinds/endpoints';
import type { KubeObject } from '../../../lib/kinds/meta';
import { decoded, invalidLines } from './decode-helpers';

const someEndpoints = (subsets: unknown[]) => ({
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'web', namespace: 'default' },
  subsets,
});

describe('Endpoints', () => {
  it('defaults a port to TCP', () => {
    const endpoints = decoded<Endpoints>(
      EndpointsKind,
      someEndpoints([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 53 }] }]),
    );
    expect(endpoints.subsets?.[0].ports).toEqual([{ port: 53, protocol: 'TCP' }]);
  });

  it("answers kube-apiserver's messages for bad subsets", () => {
    expect(
      invalidLines(
        EndpointsKind,
        someEndpoints([
          { ports: [{ port: 80 }] },
          {
            addresses: [{ ip: 'not-an-ip' }, { ip: '127.0.0.1' }, { ip: '169.254.1.1', hostname: 'Web_1' }],
            notReadyAddresses: [{ ip: '0.0.0.0', nodeName: 'Node_A' }, { ip: 'ff02::1' }],
            ports: [{ port: 80 }, { name: 'metrics', port: 70000, protocol: 'HTTP' }],
          },
        ]),
      ),
    ).toEqual([
      'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`',
      'subsets[1].addresses[0].ip: Invalid value: "not-an-ip": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      'subsets[1].addresses[0].ip: Invalid value: "not-an-ip": must be a valid IP address',
      'subsets[1].addresses[1].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'subsets[1].addresses[2].ip: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
      expect.stringMatching(
        /^subsets\[1\]\.addresses\[2\]\.hostname: Invalid value: "Web_1": a lowercase RFC 1123 label/,
      ),
      'subsets[1].notReadyAddresses[0].ip: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)',
      expect.stringMatching(
        /^subsets\[1\]\.notReadyAddresses\[0\]\.nodeName: Invalid value: "Node_A": a lowercase RFC 1123 subdomain/,
      ),
      'subsets[1].notReadyAddresses[1].ip: Invalid value: "ff02::1": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
      'subsets[1].ports[0].name: Required value',
      'subsets[1].ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'subsets[1].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    ]);
  });

  it("prints kubectl's ENDPOINTS cell: ready addresses with each port, at most three, then how many more", () => {
    const cell = (subsets: unknown[]) => endpointsCell(someEndpoints(subsets) as unknown as KubeObject);
    const ips = (...values: string[]) => values.map((ip) => ({ ip }));

    expect(cell([])).toBe('<none>');
    expect(cell([{ addresses: ips('10.0.0.1', 'fd00::1'), ports: [{ port: 80 }] }])).toBe(
      '10.0.0.1:80,[fd00::1]:80',
    );
    expect(cell([{ addresses: ips('10.0.0.1', '10.0.0.2'), ports: [{ port: 80 }, { port: 443 }] }])).toBe(
      '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...',
    );
    expect(cell([{ addresses: ips('10.0.0.1') }])).toBe('10.0.0.1');
    expect(cell([{ notReadyAddresses: ips('10.0.0.1'), ports: [{ port: 80 }] }])).toBe('');
  });
});
