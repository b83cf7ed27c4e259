import {
  MAX_ADDRESSES,
  desiredEndpoints,
  managesEndpoints,
} from '../../../../lib/controllers/endpoints/desired-endpoints';
import { decodeObject } from '../../../../lib/kinds/decode';
import { PodKind, type Pod } from '../../../../lib/kinds/pod';
import { ServiceKind, type Service } from '../../../../lib/kinds/service';

function aService(spec: Record<string, unknown> = {}): Service {
  return decodeObject(ServiceKind, {
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...spec },
  }).object as unknown as Service;
}

interface PodOptions {
  ip?: string;
  ready?: boolean;
  deleting?: boolean;
  phase?: string;
  ports?: { name: string; containerPort: number }[];
  labels?: Record<string, string>;
}

function aPod(name: string, options: PodOptions = {}): Pod {
  const pod = decodeObject(PodKind, {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: options.labels ?? { app: 'web' } },
    spec: {
      nodeName: 'node-a',
      containers: [
        { name: 'app', image: 'web', ports: options.ports ?? [{ name: 'http', containerPort: 8080 }] },
      ],
    },
  }).object as unknown as Pod;
  return {
    ...pod,
    metadata: { ...pod.metadata, ...(options.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    status: {
      phase: options.phase ?? 'Running',
      ...(options.ip === '' ? {} : { podIP: options.ip ?? `10.0.0.${name.length}` }),
      conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }],
    },
  } as Pod;
}

const address = (name: string, ip: string) => ({
  ip,
  nodeName: 'node-a',
  targetRef: { kind: 'Pod', namespace: 'default', name, uid: `uid-${name}` },
});

describe("kube's endpoints controller, as desiredEndpoints computes it", () => {
  it('lists ready pods under addresses and the others under notReadyAddresses, sorted by IP, on the resolved port', () => {
    const pods = [
      aPod('b', { ip: '10.0.0.20' }),
      aPod('a', { ip: '10.0.0.3' }),
      aPod('c', { ip: '10.0.0.9', ready: false }),
      aPod('other', { ip: '10.0.0.50', labels: { app: 'db' } }),
      aPod('done', { ip: '10.0.0.51', phase: 'Succeeded' }),
      aPod('no-ip', { ip: '' }),
    ];

    expect(desiredEndpoints(aService(), pods)).toEqual({
      subsets: [
        {
          // String order, as kube sorts them: "10.0.0.20" before "10.0.0.3".
          addresses: [address('b', '10.0.0.20'), address('a', '10.0.0.3')],
          notReadyAddresses: [address('c', '10.0.0.9')],
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        },
      ],
      truncated: false,
    });
  });

  it('leaves out a terminating pod unless the Service publishes addresses that are not ready, then all are ready', () => {
    const pods = [aPod('a', { ip: '10.0.0.1', deleting: true }), aPod('b', { ip: '10.0.0.2', ready: false })];

    expect(desiredEndpoints(aService(), pods).subsets).toEqual([
      {
        notReadyAddresses: [address('b', '10.0.0.2')],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
    expect(desiredEndpoints(aService({ publishNotReadyAddresses: true }), pods).subsets).toEqual([
      {
        addresses: [address('a', '10.0.0.1'), address('b', '10.0.0.2')],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  it('groups ports by the addresses that serve them, and drops a pod from a port it does not have', () => {
    const service = aService({
      ports: [
        { name: 'http', port: 80, targetPort: 'http' },
        { name: 'metrics', port: 9090, targetPort: 'metrics' },
      ],
    });
    const both = [
      { name: 'http', containerPort: 8080 },
      { name: 'metrics', containerPort: 9100 },
    ];
    const pods = [aPod('a', { ip: '10.0.0.1', ports: both }), aPod('b', { ip: '10.0.0.2' })];

    expect(desiredEndpoints(service, pods).subsets).toEqual([
      {
        addresses: [address('a', '10.0.0.1'), address('b', '10.0.0.2')],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
      { addresses: [address('a', '10.0.0.1')], ports: [{ name: 'metrics', port: 9100, protocol: 'TCP' }] },
    ]);
  });

  it('gives a headless Service without ports its addresses alone, and a ClusterIP one without ports nothing', () => {
    const pods = [aPod('a', { ip: '10.0.0.1' })];

    expect(desiredEndpoints(aService({ clusterIP: 'None', ports: [] }), pods).subsets).toEqual([
      { addresses: [address('a', '10.0.0.1')] },
    ]);
    // The API refuses a ClusterIP Service without ports; the controller still handles one.
    const clusterIP = aService();
    expect(desiredEndpoints({ ...clusterIP, spec: { ...clusterIP.spec, ports: [] } }, pods).subsets).toEqual(
      [],
    );
  });

  it('keeps 1,000 addresses and says it truncated', () => {
    const pods = Array.from({ length: MAX_ADDRESSES + 5 }, (_, i) =>
      aPod(`p${i}`, { ip: `10.1.${Math.floor(i / 250)}.${i % 250}`, ready: i % 2 === 0 }),
    );

    const { subsets, truncated } = desiredEndpoints(aService(), pods);

    const kept = subsets.flatMap((s) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])]);
    expect({ truncated, kept: kept.length, ready: subsets[0].addresses?.length }).toEqual({
      truncated: true,
      kept: MAX_ADDRESSES,
      ready: 503,
    });
  });

  it('manages the Endpoints of a Service with a selector only, and never of an ExternalName', () => {
    expect(managesEndpoints(aService())).toBe(true);
    expect(managesEndpoints(aService({ selector: undefined }))).toBe(false);
    expect(managesEndpoints(aService({ selector: {} }))).toBe(false);
    expect(managesEndpoints(aService({ type: 'ExternalName', externalName: 'db.example.com' }))).toBe(false);
  });
});
