import {
  MAX_ENDPOINTS_PER_SLICE,
  desiredSlices,
  planEndpointSlices,
} from '../../../../lib/controllers/endpoint-slice/plan-endpoint-slices';
import { decodeObject } from '../../../../lib/kinds/decode';
import type { EndpointSlice } from '../../../../lib/kinds/endpoint-slice';
import { PodKind, type Pod } from '../../../../lib/kinds/pod';
import { ServiceKind, type Service } from '../../../../lib/kinds/service';

function aService(spec: Record<string, unknown> = {}): Service {
  return {
    ...(decodeObject(ServiceKind, {
      metadata: { name: 'web', namespace: 'default', labels: { team: 'a' } },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...spec },
    }).object as unknown as Service),
    metadata: { name: 'web', namespace: 'default', uid: 'svc-1', labels: { team: 'a' } },
  };
}

interface PodOptions {
  ip?: string;
  ready?: boolean;
  labels?: Record<string, string>;
  deleting?: boolean;
  phase?: string;
  port?: number;
  node?: string;
}

function aPod(name: string, options: PodOptions = {}): Pod {
  const pod = decodeObject(PodKind, {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: options.labels ?? { app: 'web' } },
    spec: {
      nodeName: options.node ?? 'node-a',
      containers: [
        { name: 'app', image: 'web', ports: [{ name: 'http', containerPort: options.port ?? 8080 }] },
      ],
    },
  }).object as unknown as Pod;
  return {
    ...pod,
    metadata: { ...pod.metadata, ...(options.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    status: {
      phase: options.phase ?? 'Running',
      ...(options.ip === undefined
        ? { podIP: `10.0.0.${name.length}` }
        : options.ip
          ? { podIP: options.ip }
          : {}),
      conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }],
    },
  } as Pod;
}

const zones = new Map([['node-a', 'zone-1']]);

describe('EndpointSlice plan', () => {
  it("lists the selected pods with an IP, with kube's conditions, node, zone and target", () => {
    const [slice] = desiredSlices(
      aService(),
      [aPod('a', { ip: '10.0.0.1' }), aPod('b', { ip: '10.0.0.2', ready: false }), aPod('c', { ip: '' })],
      zones,
    );
    expect(slice.endpoints).toEqual([
      {
        addresses: ['10.0.0.1'],
        conditions: { ready: true, serving: true, terminating: false },
        targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' },
        nodeName: 'node-a',
        zone: 'zone-1',
      },
      expect.objectContaining({
        addresses: ['10.0.0.2'],
        conditions: { ready: false, serving: false, terminating: false },
      }),
    ]);
    expect(slice.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 8080 }]);
    expect(slice.addressType).toBe('IPv4');
  });

  it('labels the slice with its Service and manager and makes the Service its controlling owner', () => {
    const [slice] = desiredSlices(aService(), [aPod('a')], zones);
    expect(slice.metadata.labels).toEqual({
      team: 'a',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    expect(slice.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Service',
        name: 'web',
        uid: 'svc-1',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(slice.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('marks a terminating pod serving but not ready, and leaves out finished and unselected pods', () => {
    const [slice] = desiredSlices(
      aService(),
      [
        aPod('a', { deleting: true }),
        aPod('b', { phase: 'Succeeded' }),
        aPod('c', { labels: { app: 'other' } }),
      ],
      zones,
    );
    expect(slice.endpoints.map((e) => [e.targetRef?.name, e.conditions])).toEqual([
      ['a', { ready: false, serving: true, terminating: true }],
    ]);
  });

  it('resolves a named target port per pod and groups pods serving different ports in separate slices', () => {
    const slices = desiredSlices(aService(), [aPod('a', { port: 8080 }), aPod('b', { port: 9090 })], zones);
    expect(slices.map((s) => [s.ports?.[0].port, s.endpoints.map((e) => e.targetRef?.name)])).toEqual([
      [8080, ['a']],
      [9090, ['b']],
    ]);
  });

  it('keeps one empty slice when no pod qualifies, and none for a Service without a selector', () => {
    expect(desiredSlices(aService(), [], zones).map((s) => [s.endpoints, s.ports])).toEqual([
      [[], undefined],
    ]);
    expect(desiredSlices(aService({ selector: undefined }), [aPod('a')], zones)).toEqual([]);
  });

  it('splits more than a slice can hold', () => {
    const pods = Array.from({ length: MAX_ENDPOINTS_PER_SLICE + 1 }, (_, i) =>
      aPod(`p${String(i).padStart(3, '0')}`, { ip: `10.0.1.${i % 250}` }),
    );
    expect(desiredSlices(aService(), pods, zones).map((s) => s.endpoints.length)).toEqual([
      MAX_ENDPOINTS_PER_SLICE,
      1,
    ]);
  });

  it('writes nothing when the slices already say it, replaces a changed one and deletes the rest', () => {
    const desired = desiredSlices(aService(), [aPod('a')], zones);
    const stored = desired.map((s) => ({ ...s, metadata: { ...s.metadata, resourceVersion: '7' } }));
    expect(planEndpointSlices(stored, desired)).toEqual({ create: [], update: [], delete: [] });
    const changed = desiredSlices(aService(), [aPod('a', { ready: false })], zones);
    const stray = { ...stored[0], metadata: { ...stored[0].metadata, name: 'web-old' } } as EndpointSlice;
    const plan = planEndpointSlices([...stored, stray], changed);
    expect(plan.update).toHaveLength(1);
    expect(plan.update[0].metadata.resourceVersion).toBe('7');
    expect(plan.delete.map((s) => s.metadata.name)).toEqual(['web-old']);
    expect(plan.create).toEqual([]);
  });
});
