import { KubeApiError } from '../../../lib/client/api-error';
import type { KubeClient } from '../../../lib/client/kube-client';
import { NodeRegistration, STATUS_REPORT_MS } from '../../../lib/agent/node/node-registration';
import { HEARTBEAT_ANNOTATION } from '../../../lib/store/node-heartbeats';

type Call = {
  verb: 'create' | 'patch' | 'get' | 'delete';
  plural: string;
  subresource?: string;
  body?: unknown;
};

/**
 * An API that records what the agent asks (a double of the client at Skiff's own edge): the Node
 * answers with `readyStatus`, the claim is missing, writes succeed.
 */
function anApi(readyStatus = () => 'True') {
  const calls: Call[] = [];
  const notFound = () =>
    new KubeApiError(404, { kind: 'Status', reason: 'NotFound', code: 404 } as never, 'GET', '/x');
  const client = {
    create: async (ref: { plural: string }, body: unknown) => {
      calls.push({ verb: 'create', plural: ref.plural, body });
      return body;
    },
    patch: async (ref: { plural: string; subresource?: string }, body: unknown) => {
      calls.push({ verb: 'patch', plural: ref.plural, subresource: ref.subresource, body });
      return body;
    },
    get: async (ref: { plural: string }) => {
      calls.push({ verb: 'get', plural: ref.plural });
      if (ref.plural === 'nodeclaims') throw notFound();
      return {
        metadata: { name: 'node-a' },
        status: { conditions: [{ type: 'Ready', status: readyStatus() }] },
      };
    },
    delete: async () => undefined,
  } as unknown as KubeClient;
  return { client, calls };
}

const input = {
  identity: {
    nodeName: 'node-a',
    providerID: 'aws:///us-east-1a/i-0abc',
    zone: 'us-east-1a',
    instanceType: 'm7g.large',
    capacityType: 'on-demand' as const,
    internalIP: '10.0.0.5',
    hostname: 'ip-10-0-0-5',
    architecture: 'arm64' as const,
  },
  capacity: { cpuMillis: 2000, memoryBytes: 8 * 1024 ** 3 },
  agentPort: 10250,
  agentVersion: 'skiff-agent/test',
  runtimeVersion: 'container',
};

describe('node registration heartbeats', () => {
  let nowMs: number;
  const now = () => new Date(nowMs);
  beforeEach(() => (nowMs = Date.parse('2026-12-01T10:00:00Z')));

  const nodeCalls = (calls: Call[]) => calls.filter((c) => c.plural === 'nodes');

  it('renews the Lease through the API and reads the Node on no heartbeat while nothing is due', async () => {
    const { client, calls } = anApi();
    const registration = new NodeRegistration(client, input, now);
    await registration.register();
    calls.length = 0;
    for (let beat = 0; beat < 20; beat++) {
      nowMs += 10_000;
      await registration.heartbeat();
    }
    expect(calls.map((c) => `${c.verb} ${c.plural}`)).toEqual(Array(20).fill('patch leases'));
  });

  it('posts status every 5 minutes without reading the Node first', async () => {
    const { client, calls } = anApi();
    const registration = new NodeRegistration(client, input, now);
    await registration.register();
    calls.length = 0;
    for (let elapsed = 0; elapsed < STATUS_REPORT_MS; elapsed += 10_000) {
      nowMs += 10_000;
      await registration.heartbeat();
    }
    expect(nodeCalls(calls)).toEqual([expect.objectContaining({ verb: 'patch', subresource: 'status' })]);
  });

  it('with a direct heartbeat saying so, posts an unchanged status only as often as it says', async () => {
    const { client, calls } = anApi();
    const registration = new NodeRegistration(client, input, now, {
      identity: 'arn:aws:ec2:us-east-1:123456789012:instance/i-0abc',
      renewSeconds: 30,
      statusReportMs: 2 * STATUS_REPORT_MS,
      heartbeats: { renew: async () => undefined },
    });
    await registration.register();
    calls.length = 0;
    const posts: number[] = [];
    for (let elapsed = 30_000; elapsed <= 2 * STATUS_REPORT_MS; elapsed += 30_000) {
      nowMs += 30_000;
      await registration.heartbeat();
      if (nodeCalls(calls).length > posts.length) posts.push(elapsed);
    }
    expect(posts).toEqual([2 * STATUS_REPORT_MS]);
  });

  it('after being away, reads the Node and posts Ready again if it was marked Unknown', async () => {
    let ready = 'True';
    const { client, calls } = anApi(() => ready);
    const registration = new NodeRegistration(client, input, now);
    await registration.register();
    calls.length = 0;
    ready = 'Unknown';
    nowMs += 60_000; // a frozen agent: its next renewal comes more than half a Lease late
    await registration.heartbeat();
    expect(nodeCalls(calls).map((c) => `${c.verb} ${c.subresource ?? ''}`.trim())).toEqual([
      'get',
      'patch status',
    ]);
  });

  it('with a direct heartbeat, renews the item every beat and holds a 4-renewal Lease naming it', async () => {
    const { client, calls } = anApi();
    const renewed: string[] = [];
    const identity = 'arn:aws:ec2:us-east-1:123456789012:instance/i-0abc';
    const registration = new NodeRegistration(client, input, now, {
      identity,
      renewSeconds: 30,
      heartbeats: { renew: async (id, at) => void renewed.push(`${id} ${at.toISOString()}`) },
    });
    await registration.register();
    const lease = calls.find((c) => c.plural === 'leases');
    expect(lease?.body).toMatchObject({
      metadata: { annotations: { [HEARTBEAT_ANNOTATION]: identity } },
      spec: { holderIdentity: 'node-a', leaseDurationSeconds: 120 },
    });
    calls.length = 0;
    for (let beat = 0; beat < 5; beat++) {
      nowMs += 30_000;
      await registration.heartbeat();
    }
    expect(calls).toEqual([]); // no API request at all between status reports
    expect(renewed).toHaveLength(6);
    expect(renewed[5]).toBe(`${identity} 2026-12-01T10:02:30.000Z`);
  });
});
