import { columnsOf } from '../../../lib/api/table/kind-columns';
import type { KubeObject } from '../../../lib/kinds/meta';

const NOW = Date.now();
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();
const cellsOf = (kind: string, object: unknown) =>
  Object.fromEntries(columnsOf(kind).map((column) => [column.name, column.cell(object as KubeObject)]));

/** kubectl get nodes and get events, with and without -o wide, as kube-apiserver's printers fill them. */
describe('node and event tables', () => {
  it("has kube's node columns: roles from the node-role labels, addresses and versions with -o wide", () => {
    expect(columnsOf('Node').map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Status', 0],
      ['Roles', 0],
      ['Age', 0],
      ['Version', 0],
      ['Internal-IP', 1],
      ['External-IP', 1],
      ['OS-Image', 1],
      ['Kernel-Version', 1],
      ['Container-Runtime', 1],
    ]);
    const node = {
      metadata: {
        name: 'n1',
        creationTimestamp: ago(30),
        labels: {
          'node-role.kubernetes.io/worker': '',
          'node-role.kubernetes.io/edge': '',
          'kubernetes.io/role': 'gpu',
        },
      },
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: 'Ready', status: 'False' }],
        addresses: [
          { type: 'Hostname', address: 'n1' },
          { type: 'InternalIP', address: '10.0.0.5' },
        ],
        nodeInfo: { kubeletVersion: 'v1.32.0-skiff', osImage: 'Amazon Linux 2023' },
      },
    };
    expect(cellsOf('Node', node)).toEqual({
      Name: 'n1',
      Status: 'NotReady,SchedulingDisabled',
      Roles: 'edge,gpu,worker',
      Age: '30s',
      Version: 'v1.32.0-skiff',
      'Internal-IP': '10.0.0.5',
      'External-IP': '<none>',
      'OS-Image': 'Amazon Linux 2023',
      'Kernel-Version': '<unknown>',
      'Container-Runtime': '<unknown>',
    });
    expect(cellsOf('Node', { metadata: { name: 'bare' }, spec: {}, status: {} }).Roles).toBe('<none>');
  });

  it("has kube's event columns, the source, first seen, count and name with -o wide", () => {
    const event = {
      metadata: { name: 'web.1234', creationTimestamp: ago(300) },
      involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{web}' },
      reason: 'Killing',
      message: 'Stopping container web\n',
      type: 'Normal',
      source: { component: 'kubelet', host: 'n1' },
      firstTimestamp: ago(300),
      lastTimestamp: ago(10),
      count: 3,
    };
    expect(cellsOf('Event', event)).toEqual({
      'Last Seen': '10s',
      Type: 'Normal',
      Reason: 'Killing',
      Object: 'pod/web',
      Subobject: 'spec.containers{web}',
      Source: 'kubelet, n1',
      Message: 'Stopping container web',
      'First Seen': '5m',
      Count: 3,
      Name: 'web.1234',
    });
    // An events.k8s.io-style event: eventTime and reporting fields, no count.
    const reported = {
      metadata: { name: 'x', creationTimestamp: ago(60) },
      involvedObject: { kind: 'Node' },
      eventTime: ago(60),
      reportingComponent: 'skiff-scheduler',
    };
    expect(cellsOf('Event', reported)).toMatchObject({
      'Last Seen': '60s',
      Object: 'node',
      Source: 'skiff-scheduler',
      'First Seen': '60s',
      Count: 1,
    });
  });
});
