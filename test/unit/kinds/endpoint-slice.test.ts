import { EndpointSliceKind, type EndpointSlice } from '../../../lib/kinds/endpoint-slice';
import { decoded, invalidLines } from './decode-helpers';

const aSlice = (fields: Record<string, unknown> = {}) => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: 'web-abc12', namespace: 'default' },
  addressType: 'IPv4',
  endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true } }],
  ports: [{ name: 'http', port: 8080 }],
  ...fields,
});

describe('EndpointSlice', () => {
  it('defaults a port to TCP and an unnamed port to the empty name', () => {
    const slice = decoded<EndpointSlice>(EndpointSliceKind, aSlice({ ports: [{ port: 53 }] }));
    expect(slice.ports).toEqual([{ name: '', protocol: 'TCP', port: 53 }]);
  });

  it("answers kube-apiserver's messages for a bad slice", () => {
    expect(
      invalidLines(
        EndpointSliceKind,
        aSlice({
          endpoints: [{ addresses: [] }, { addresses: ['fe80::1'], nodeName: 'Node_A' }],
          ports: [
            { name: 'http', port: 80, protocol: 'HTTP' },
            { name: 'http', port: 81 },
          ],
        }),
      ),
    ).toEqual([
      'endpoints[0].addresses: Required value: must contain at least 1 address',
      'endpoints[1].addresses[0]: Invalid value: "fe80::1": must be a valid IPv4 address',
      expect.stringMatching(
        /^endpoints\[1\]\.nodeName: Invalid value: "Node_A": a lowercase RFC 1123 subdomain/,
      ),
      'ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'ports[1].name: Duplicate value: "http"',
    ]);
  });

  it('requires a supported address type, which may not change', () => {
    expect(invalidLines(EndpointSliceKind, aSlice({ addressType: undefined }))).toEqual([
      'addressType: Required value',
    ]);
    expect(invalidLines(EndpointSliceKind, aSlice({ addressType: 'IP' }))).toEqual([
      'addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"',
    ]);
    const slice = decoded<EndpointSlice>(EndpointSliceKind, aSlice());
    expect(EndpointSliceKind.validateUpdate?.({ ...slice, addressType: 'IPv6' }, slice as never)).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'addressType',
        message: 'Invalid value: "IPv6": field is immutable',
      },
    ]);
  });
});
