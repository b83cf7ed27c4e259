import { ServiceKind, type Service } from '../../../lib/kinds/service';
import { decoded, invalidLines } from './decode-helpers';

const aService = (spec: Record<string, unknown> = {}, name = 'web') => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec },
});

describe('Service', () => {
  describe('defaults', () => {
    it('is a ClusterIP Service without affinity whose ports are TCP and target themselves', () => {
      const { spec } = decoded<Service>(ServiceKind, aService());
      expect(spec).toMatchObject({
        type: 'ClusterIP',
        sessionAffinity: 'None',
        internalTrafficPolicy: 'Cluster',
        ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      });
      expect(spec.externalTrafficPolicy).toBeUndefined();
    });

    it('gives NodePort Services the Cluster external traffic policy and LoadBalancers node ports', () => {
      expect(decoded<Service>(ServiceKind, aService({ type: 'NodePort' })).spec.externalTrafficPolicy).toBe(
        'Cluster',
      );
      expect(decoded<Service>(ServiceKind, aService({ type: 'LoadBalancer' })).spec).toMatchObject({
        allocateLoadBalancerNodePorts: true,
        externalTrafficPolicy: 'Cluster',
      });
    });

    it('keeps clusterIP and clusterIPs in step, whichever is given', () => {
      expect(decoded<Service>(ServiceKind, aService({ clusterIP: 'None' })).spec.clusterIPs).toEqual([
        'None',
      ]);
      expect(decoded<Service>(ServiceKind, aService({ clusterIPs: ['10.96.0.10'] })).spec.clusterIP).toBe(
        '10.96.0.10',
      );
    });

    it('gives ClientIP affinity a three-hour timeout', () => {
      const { spec } = decoded<Service>(ServiceKind, aService({ sessionAffinity: 'ClientIP' }));
      expect(spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    });
  });

  describe('validation', () => {
    it("answers kube-apiserver's messages for bad ports", () => {
      expect(
        invalidLines(
          ServiceKind,
          aService({
            ports: [{ port: 80 }, { name: 'Http', port: 70000, protocol: 'HTTP', targetPort: 'no_such' }],
          }),
        ),
      ).toEqual([
        'spec.ports[0].name: Required value',
        "spec.ports[1].name: Invalid value: \"Http\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        'spec.ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
        'spec.ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
        'spec.ports[1].targetPort: Invalid value: "no_such": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      ]);
    });

    it('requires ports unless the Service is headless or an external name', () => {
      expect(invalidLines(ServiceKind, aService({ ports: [] }))).toEqual(['spec.ports: Required value']);
      expect(decoded<Service>(ServiceKind, aService({ ports: [], clusterIP: 'None' })).spec.ports).toEqual(
        [],
      );
    });

    it('refuses node ports on a ClusterIP Service and an unknown type', () => {
      expect(invalidLines(ServiceKind, aService({ ports: [{ port: 80, nodePort: 30080 }] }))).toEqual([
        "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
      ]);
      expect(invalidLines(ServiceKind, aService({ type: 'Ingress' }))).toEqual([
        'spec.type: Unsupported value: "Ingress": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      ]);
    });

    it('needs an external name, and no cluster IP, for an ExternalName Service', () => {
      expect(invalidLines(ServiceKind, aService({ type: 'ExternalName', clusterIP: '10.96.0.1' }))).toEqual([
        'spec.clusterIPs: Forbidden: may not be set for ExternalName services',
        'spec.externalName: Required value',
      ]);
      expect(
        decoded<Service>(ServiceKind, aService({ type: 'ExternalName', externalName: 'db.example.com.' }))
          .spec.internalTrafficPolicy,
      ).toBeUndefined();
    });

    it('refuses a headless NodePort Service and an invalid cluster IP', () => {
      expect(invalidLines(ServiceKind, aService({ type: 'NodePort', clusterIP: 'None' }))).toEqual([
        'spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for NodePort services',
      ]);
      expect(invalidLines(ServiceKind, aService({ clusterIP: '10.96.0.300' }))).toEqual([
        'spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      ]);
    });

    it('names Services as DNS-1035 labels', () => {
      expect(invalidLines(ServiceKind, aService({}, '1web'))).toEqual([
        "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      ]);
    });

    it('refuses the same port and protocol twice', () => {
      expect(
        invalidLines(
          ServiceKind,
          aService({
            ports: [
              { name: 'a', port: 80 },
              { name: 'b', port: 80 },
            ],
          }),
        )[0],
      ).toMatch(/^spec\.ports\[1\]: Duplicate value: core\.ServicePort\{.*Protocol:"TCP".*Port:80/);
    });
  });
});
