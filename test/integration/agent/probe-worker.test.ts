import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProbeWorker, type ProbeKind, type ProbeWorkerOptions } from '../../../lib/agent/probes/probe-worker';
import { Probe } from '../../../lib/kinds/probe';
import { eventually } from '../../support/eventually';
import { aProbeServer, aTcpListener } from './probe-servers';
import { aProcessRuntime, NODE } from './process-runtime-harness';

const ref = { podUid: 'pod-1', container: 'app' };

interface Change {
  kind: ProbeKind;
  healthy: boolean;
  message?: string;
}

/** Workers on real timers whose flips are recorded; all stopped after each test. */
function workers() {
  const made: ProbeWorker[] = [];
  const changes: Change[] = [];
  return {
    changes,
    start(options: Omit<ProbeWorkerOptions, 'onChange' | 'startedAt'> & { startedAt?: Date }): ProbeWorker {
      const worker = new ProbeWorker({
        startedAt: new Date(),
        ...options,
        onChange: (kind, healthy, message) =>
          changes.push({ kind, healthy, ...(message ? { message } : {}) }),
      });
      made.push(worker);
      return worker;
    },
    stopAll: () => made.forEach((worker) => worker.stop()),
  };
}

function targetOn(podIP = '127.0.0.1') {
  return {
    runtime: { exec: () => Promise.reject(new Error('not used')) },
    ref,
    container: { name: 'app' },
    podIP,
  };
}

describe('a probe worker on real timers', () => {
  let probes: ReturnType<typeof workers>;
  beforeEach(() => (probes = workers()));
  afterEach(() => probes.stopAll());

  it('turns readiness ready when an httpGet probe passes and unready after failureThreshold failures', async () => {
    let status = 200;
    const server = await aProbeServer((_request, response) => response.writeHead(status).end());
    try {
      const probe = Probe.parse({ httpGet: { port: server.port }, periodSeconds: 1, failureThreshold: 2 });
      const worker = probes.start({ kind: 'readiness', probe, target: targetOn() });
      expect(worker.healthy).toBe(false);
      await eventually(async () => expect(probes.changes).toEqual([{ kind: 'readiness', healthy: true }]));
      expect(worker.healthy).toBe(true);

      status = 500;
      const failingFrom = server.requests.length;
      await eventually(async () =>
        expect(probes.changes[1]).toEqual({
          kind: 'readiness',
          healthy: false,
          message: 'HTTP probe failed with statuscode: 500',
        }),
      );
      // Two failures in a row were needed, one period apart.
      expect(server.requests.length - failingFrom).toBe(2);
      expect(probes.changes).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it('reports a liveness failure of a tcpSocket probe with the dial error', async () => {
    const listener = await aTcpListener();
    const probe = Probe.parse({ tcpSocket: { port: listener.port }, periodSeconds: 1, failureThreshold: 1 });
    const worker = probes.start({ kind: 'liveness', probe, target: targetOn() });
    expect(worker.healthy).toBe(true);
    await listener.close();
    await eventually(async () =>
      expect(probes.changes).toEqual([
        {
          kind: 'liveness',
          healthy: false,
          message: `dial tcp 127.0.0.1:${listener.port}: connect: connection refused`,
        },
      ]),
    );
    expect(worker.healthy).toBe(false);
  });

  it('holds after a liveness failure until the container restarts, then probes it afresh', async () => {
    let status = 500;
    const server = await aProbeServer((_request, response) => response.writeHead(status).end());
    try {
      const requestsTo = (path: string) => server.requests.filter((request) => request.url === path).length;
      const liveness = probes.start({
        kind: 'liveness',
        probe: Probe.parse({
          httpGet: { port: server.port, path: '/live' },
          periodSeconds: 1,
          failureThreshold: 1,
        }),
        target: targetOn(),
      });
      await eventually(async () => expect(liveness.healthy).toBe(false));
      const heldAt = requestsTo('/live');
      // A second worker on the same period shows time passing while the first one holds.
      probes.start({
        kind: 'readiness',
        probe: Probe.parse({ httpGet: { port: server.port, path: '/ready' }, periodSeconds: 1 }),
        target: targetOn(),
      });
      await eventually(async () => expect(requestsTo('/ready')).toBeGreaterThanOrEqual(3));
      expect(requestsTo('/live')).toBe(heldAt);

      status = 200;
      liveness.restart(new Date());
      expect(liveness.healthy).toBe(true);
      await eventually(async () => expect(requestsTo('/live')).toBeGreaterThan(heldAt));
      status = 500;
      await eventually(async () =>
        expect(probes.changes.filter((change) => change.kind === 'liveness')).toEqual([
          { kind: 'liveness', healthy: false, message: 'HTTP probe failed with statuscode: 500' },
          { kind: 'liveness', healthy: false, message: 'HTTP probe failed with statuscode: 500' },
        ]),
      );
    } finally {
      await server.close();
    }
  });

  it('waits initialDelaySeconds after the container started before the first probe', async () => {
    const server = await aProbeServer((_request, response) => response.end());
    try {
      const probe = Probe.parse({ httpGet: { port: server.port }, periodSeconds: 1, initialDelaySeconds: 2 });
      const startedAt = new Date();
      probes.start({ kind: 'readiness', probe, target: targetOn(), startedAt });
      await eventually(async () => expect(probes.changes).toHaveLength(1));
      expect(Date.now() - startedAt.getTime()).toBeGreaterThanOrEqual(2_000);
    } finally {
      await server.close();
    }
  });

  it('holds liveness and readiness until an exec startup probe in a real container succeeds', async () => {
    const harness = aProcessRuntime();
    try {
      await harness.runtime.start({
        ...ref,
        attempt: 0,
        command: [NODE, '-e', 'setInterval(() => {}, 1000)'],
        env: {},
        workingDir: harness.dataDir,
      });
      let startupProbes = 0;
      const runtime = {
        exec: (...args: Parameters<typeof harness.runtime.exec>) => {
          startupProbes++;
          return harness.runtime.exec(...args);
        },
      };
      const target = { ...targetOn(), runtime };
      const marker = join(harness.dataDir, 'started');
      const startup = probes.start({
        kind: 'startup',
        probe: Probe.parse({
          exec: { command: [NODE, '-e', "process.exit(require('fs').existsSync('started') ? 0 : 1)"] },
          periodSeconds: 1,
          failureThreshold: 30,
        }),
        target,
      });
      let readinessProbes = 0;
      probes.start({
        kind: 'readiness',
        probe: Probe.parse({ exec: { command: [NODE, '-e', ''] }, periodSeconds: 1 }),
        target,
        started: () => startup.healthy === true,
        run: async () => {
          readinessProbes++;
          return { result: 'success' };
        },
      });

      await eventually(async () => expect(startupProbes).toBeGreaterThanOrEqual(2));
      expect(readinessProbes).toBe(0);
      expect(startup.healthy).toBeUndefined();

      writeFileSync(marker, '');
      await eventually(async () =>
        expect(probes.changes).toEqual([
          { kind: 'startup', healthy: true },
          { kind: 'readiness', healthy: true },
        ]),
      );
    } finally {
      await harness.cleanUp();
    }
  });

  it('throws away a probe that cannot be run, reporting it as an error', async () => {
    const errors: string[] = [];
    const probe = Probe.parse({ httpGet: { port: 'missing' }, periodSeconds: 1, failureThreshold: 1 });
    probes.start({
      kind: 'liveness',
      probe,
      target: targetOn(),
      onError: (_kind, error) => errors.push(error.message),
    });
    await eventually(async () => expect(errors.length).toBeGreaterThanOrEqual(2));
    expect(errors[0]).toBe('port "missing" not found');
    expect(probes.changes).toEqual([]);
  });

  it('stops: no probe and no change after stop()', async () => {
    const server = await aProbeServer((_request, response) => response.end());
    try {
      const requestsTo = (path: string) => server.requests.filter((request) => request.url === path).length;
      const probeOf = (path: string) =>
        Probe.parse({ httpGet: { port: server.port, path }, periodSeconds: 1 });
      const stopped = probes.start({ kind: 'readiness', probe: probeOf('/stopped'), target: targetOn() });
      await eventually(async () => expect(requestsTo('/stopped')).toBe(1));
      stopped.stop();
      probes.start({ kind: 'readiness', probe: probeOf('/running'), target: targetOn() });
      await eventually(async () => expect(requestsTo('/running')).toBeGreaterThanOrEqual(3));
      expect(requestsTo('/stopped')).toBe(1);
    } finally {
      await server.close();
    }
  });
});
