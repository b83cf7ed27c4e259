import { defaultImagePullPolicy } from '../../../lib/kinds/container';
import { PodKind, type Pod } from '../../../lib/kinds/pod';
import { aContainer, aPod } from '../../support/builders';
import { decoded, invalidCauses, invalidLines } from './decode-helpers';

describe('Pod', () => {
  describe('defaults', () => {
    it("applies kube-apiserver's pod spec defaults", () => {
      const { spec } = decoded<Pod>(PodKind, aPod());
      expect(spec).toMatchObject({
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 30,
        dnsPolicy: 'ClusterFirst',
        schedulerName: 'default-scheduler',
        securityContext: {},
        enableServiceLinks: true,
      });
    });

    it("applies kube-apiserver's container defaults", () => {
      const { spec } = decoded<Pod>(
        PodKind,
        aPod({ spec: { containers: [aContainer({ ports: [{ containerPort: 80 }] })] } }),
      );
      expect(spec.containers[0]).toMatchObject({
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        imagePullPolicy: 'IfNotPresent',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        resources: {},
      });
    });

    it.each([
      ['nginx', 'Always'],
      ['nginx:latest', 'Always'],
      ['registry.local:5000/team/nginx', 'Always'],
      ['registry.local:5000/team/nginx:1.27', 'IfNotPresent'],
      ['nginx@sha256:0123456789abcdef', 'IfNotPresent'],
      ['nginx:1.27', 'IfNotPresent'],
    ])('pulls %s with policy %s by default', (image, policy) => {
      expect(defaultImagePullPolicy(image)).toBe(policy);
      expect(decoded<Pod>(PodKind, aPod({ image })).spec.containers[0].imagePullPolicy).toBe(policy);
    });

    it('keeps an explicit pull policy', () => {
      const pod = aPod({ spec: { containers: [aContainer({ image: 'nginx', imagePullPolicy: 'Never' })] } });
      expect(decoded<Pod>(PodKind, pod).spec.containers[0].imagePullPolicy).toBe('Never');
    });

    it('defaults requests to limits for resources that only have a limit', () => {
      const pod = aPod({ requests: { cpu: '100m' }, limits: { cpu: '1', memory: '1.5Gi' } });
      expect(decoded<Pod>(PodKind, pod).spec.containers[0].resources).toEqual({
        requests: { cpu: '100m', memory: '1536Mi' },
        limits: { cpu: '1', memory: '1536Mi' },
      });
    });

    it('stores quantities in canonical form', () => {
      const pod = aPod({ requests: { cpu: 0.5, memory: '1e3' } });
      expect(decoded<Pod>(PodKind, pod).spec.containers[0].resources.requests).toEqual({
        cpu: '500m',
        memory: '1e3',
      });
    });

    it("applies kube's probe defaults", () => {
      const pod = aPod({
        spec: { containers: [aContainer({ livenessProbe: { httpGet: { port: 'http' } } })] },
      });
      expect(decoded<Pod>(PodKind, pod).spec.containers[0].livenessProbe).toEqual({
        httpGet: { path: '/', port: 'http', scheme: 'HTTP' },
        timeoutSeconds: 1,
        periodSeconds: 10,
        successThreshold: 1,
        failureThreshold: 3,
      });
    });

    it('makes a volume without a source an emptyDir, and defaults configMap modes', () => {
      const pod = aPod({
        spec: {
          volumes: [
            { name: 'scratch' },
            { name: 'settings', configMap: { name: 'settings' } },
            { name: 'host', hostPath: { path: '/var/log' } },
          ],
        },
      });
      expect(decoded<Pod>(PodKind, pod).spec.volumes).toEqual([
        { name: 'scratch', emptyDir: {} },
        { name: 'settings', configMap: { name: 'settings', defaultMode: 420 } },
        { name: 'host', hostPath: { path: '/var/log', type: '' } },
      ]);
    });

    it('defaults hostPort to containerPort with host networking', () => {
      const pod = aPod({
        spec: { hostNetwork: true, containers: [aContainer({ ports: [{ containerPort: 8080 }] })] },
      });
      expect(decoded<Pod>(PodKind, pod).spec.containers[0].ports).toEqual([
        { containerPort: 8080, hostPort: 8080, protocol: 'TCP' },
      ]);
    });

    it("defaults fieldRef's apiVersion", () => {
      const env = [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }];
      const pod = aPod({ spec: { containers: [aContainer({ env })] } });
      expect(decoded<Pod>(PodKind, pod).spec.containers[0].env).toEqual([
        { name: 'NODE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
      ]);
    });

    it('keeps the status the agent reports', () => {
      const status = {
        phase: 'Running' as const,
        podIP: '10.0.0.5',
        containerStatuses: [
          {
            name: 'app',
            ready: true,
            restartCount: 0,
            image: 'nginx:1.27',
            imageID: 'sha256:1',
            started: true,
          },
        ],
      };
      expect(decoded<Pod>(PodKind, aPod({ status })).status).toEqual(status);
    });
  });

  describe('validation', () => {
    it('requires at least one container', () => {
      expect(invalidLines(PodKind, aPod({ spec: { containers: [] } }))).toEqual([
        'spec.containers: Required value',
      ]);
      expect(invalidLines(PodKind, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } })).toEqual([
        'spec.containers: Required value',
      ]);
    });

    it('requires container names, unique across init and app containers', () => {
      const pod = aPod({
        spec: {
          initContainers: [aContainer({ name: 'app' })],
          containers: [aContainer({ name: '' }), aContainer()],
        },
      });
      expect(invalidCauses(PodKind, pod)).toEqual([
        { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].name' },
        {
          reason: 'FieldValueDuplicate',
          message: 'Duplicate value: "app"',
          field: 'spec.containers[1].name',
        },
      ]);
    });

    it('refuses an unsupported restart policy', () => {
      expect(invalidCauses(PodKind, aPod({ spec: { restartPolicy: 'Sometimes' as never } }))).toEqual([
        {
          reason: 'FieldValueNotSupported',
          field: 'spec.restartPolicy',
          message: 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
        },
      ]);
    });

    it('refuses requests above limits', () => {
      expect(invalidLines(PodKind, aPod({ requests: { cpu: '2' }, limits: { cpu: '1' } }))).toEqual([
        'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
      ]);
    });

    it('checks resource names and quantities, naming the map key', () => {
      expect(invalidLines(PodKind, aPod({ requests: { cpus: '1', memory: '-1', gpu: '1.2.3' } }))).toEqual([
        'spec.containers[0].resources.requests[gpu]: Invalid value: "1.2.3": quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'',
      ]);
      expect(invalidLines(PodKind, aPod({ requests: { cpus: '1', memory: '-1' } }))).toEqual([
        'spec.containers[0].resources.requests[cpus]: Invalid value: "cpus": must be a standard resource for containers',
        'spec.containers[0].resources.requests[memory]: Invalid value: "-1": must be greater than or equal to 0',
      ]);
    });

    it('requires extended resources to be whole and equal in requests and limits', () => {
      expect(
        invalidLines(
          PodKind,
          aPod({ requests: { 'nvidia.com/gpu': '500m' }, limits: { 'nvidia.com/gpu': '1' } }),
        ),
      ).toEqual([
        'spec.containers[0].resources.requests[nvidia.com/gpu]: Invalid value: "500m": must be an integer',
        'spec.containers[0].resources.requests: Invalid value: "500m": must be equal to nvidia.com/gpu limit of 1',
      ]);
    });

    it('checks container ports', () => {
      const pod = aPod({
        spec: {
          containers: [
            aContainer({ ports: [{ containerPort: 0 }, { containerPort: 80, protocol: 'HTTP' as never }] }),
          ],
        },
      });
      expect(invalidLines(PodKind, pod)).toEqual([
        'spec.containers[0].ports[0].containerPort: Invalid value: 0: must be between 1 and 65535, inclusive',
        'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "TCP", "UDP", "SCTP"',
      ]);
    });

    it('requires exactly one probe handler and a success threshold of 1 for liveness', () => {
      const pod = aPod({
        spec: {
          containers: [
            aContainer({
              livenessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 }, successThreshold: 2 },
              readinessProbe: { periodSeconds: -1 },
            }),
          ],
        },
      });
      expect(invalidLines(PodKind, pod)).toEqual([
        'spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
        'spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0',
        'spec.containers[0].readinessProbe: Required value: must specify a handler type',
        'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      ]);
    });

    it('requires volume mounts to name a volume', () => {
      const pod = aPod({
        spec: { containers: [aContainer({ volumeMounts: [{ name: 'data', mountPath: '/data' }] })] },
      });
      expect(invalidCauses(PodKind, pod)).toEqual([
        {
          reason: 'FieldValueNotFound',
          message: 'Not found: "data"',
          field: 'spec.containers[0].volumeMounts[0].name',
        },
      ]);
    });

    it('refuses a volume with two sources', () => {
      const pod = aPod({ spec: { volumes: [{ name: 'v', emptyDir: {}, hostPath: { path: '/tmp' } }] } });
      expect(invalidLines(PodKind, pod)).toEqual([
        'spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type',
      ]);
    });

    it('validates node affinity terms as Kubernetes does', () => {
      const pod = aPod({
        spec: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  {
                    matchExpressions: [
                      { key: 'zone', operator: 'In', values: ['a'] },
                      { key: 'cores', operator: 'Gt', values: ['1', '2'] },
                      { key: 'gpu', operator: 'Exists', values: ['x'] },
                    ],
                    matchFields: [{ key: 'metadata.labels', operator: 'Exists' }],
                  },
                ],
              },
              preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }],
            },
          },
        },
      });
      expect(invalidLines(PodKind, pod)).toEqual([
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[2].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key: Unsupported value: "metadata.labels": supported values: "metadata.name"',
        'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].operator: Unsupported value: "Exists": supported values: "In", "NotIn"',
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values: Invalid value: []: must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
        'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100',
      ]);
    });

    it('requires at least one node selector term', () => {
      const pod = aPod({
        spec: {
          affinity: {
            nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } },
          },
        },
      });
      expect(invalidLines(PodKind, pod)).toEqual([
        'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term',
      ]);
    });

    it('validates tolerations as Kubernetes does', () => {
      const pod = aPod({
        spec: {
          tolerations: [
            { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
            { operator: 'Exists' },
            { key: 'a', operator: 'Exists', value: 'b' },
            { key: 'b', effect: 'NoSchedule', tolerationSeconds: 5 },
            { operator: 'Equal', value: 'x' },
            { key: 'c', operator: 'Equals' },
            { key: 'd', effect: 'Sometimes' },
          ],
        },
      });
      expect(invalidLines(PodKind, pod)).toEqual([
        'spec.tolerations[2].operator: Invalid value: "b": value must be empty when `operator` is \'Exists\'',
        'spec.tolerations[3].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
        'spec.tolerations[4].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
        'spec.tolerations[5].operator: Unsupported value: "Equals": supported values: "Equal", "Exists"',
        'spec.tolerations[6].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      ]);
    });

    it('validates env var names and sources', () => {
      const env = [
        { name: '1ABC', value: 'x' },
        { name: 'A', valueFrom: {} },
        { name: 'B', valueFrom: { fieldRef: { fieldPath: 'spec.foo' } } },
      ];
      expect(invalidLines(PodKind, aPod({ spec: { containers: [aContainer({ env })] } }))).toEqual([
        "spec.containers[0].env[0].name: Invalid value: \"1ABC\": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
        'spec.containers[0].env[1].valueFrom: Required value: must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
        'spec.containers[0].env[2].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.foo": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
      ]);
    });

    it('forbids probes on plain init containers but allows them on sidecars', () => {
      const probe = { exec: { command: ['true'] } };
      const plain = aPod({ spec: { initContainers: [aContainer({ name: 'init', readinessProbe: probe })] } });
      expect(invalidLines(PodKind, plain)).toEqual([
        'spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
      ]);
      const sidecar = aPod({
        spec: {
          initContainers: [aContainer({ name: 'proxy', restartPolicy: 'Always', readinessProbe: probe })],
        },
      });
      expect(() => decoded(PodKind, sidecar)).not.toThrow();
    });

    it('reports labels problems on metadata.labels', () => {
      expect(invalidLines(PodKind, aPod({ labels: { 'bad key': 'x' } }))).toEqual([
        "metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ]);
    });

    it('refuses an activeDeadlineSeconds below 1', () => {
      expect(invalidLines(PodKind, aPod({ spec: { activeDeadlineSeconds: 0 } }))).toEqual([
        'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive',
      ]);
    });
  });

  describe('field selectors', () => {
    it('reads the fields kube-apiserver lets pods be selected by', () => {
      const pod = decoded<Pod>(PodKind, aPod({ spec: { nodeName: 'node-1' }, status: { phase: 'Running' } }));
      const read = (field: string) => PodKind.fieldSelectors[field](pod);
      expect([
        read('spec.nodeName'),
        read('status.phase'),
        read('spec.restartPolicy'),
        read('spec.schedulerName'),
      ]).toEqual(['node-1', 'Running', 'Always', 'default-scheduler']);
      expect(read('spec.hostNetwork')).toBe('false');
    });
  });
});
