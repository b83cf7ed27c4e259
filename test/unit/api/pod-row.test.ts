import { columnsOf } from '../../../lib/api/table/kind-columns';
import { podRowCells } from '../../../lib/api/table/pod-row';
import type { KubeObject } from '../../../lib/kinds/meta';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();
const running = { running: { startedAt: ago(600) } };
const exited = (exitCode: number, reason?: string, signal?: number) => ({
  terminated: { exitCode, ...(reason ? { reason } : {}), ...(signal ? { signal } : {}), finishedAt: ago(60) },
});

function aPod(spec: object, status: object, metadata: object = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', creationTimestamp: ago(600), ...metadata },
    spec: { containers: [{ name: 'app' }], ...spec },
    status,
  } as KubeObject;
}

/**
 * kubectl get pods' READY, STATUS and RESTARTS as kube-apiserver's printPod computes them, for the
 * states pods reach: a finished Job pod is Completed, a failed one Error, init containers show
 * Init:i/n, restarts carry the age of the last one.
 */
describe('a pod row', () => {
  it.each([
    [
      'a finished Job pod',
      { phase: 'Succeeded', containerStatuses: [{ name: 'app', state: exited(0, 'Completed') }] },
      '0/1',
      'Completed',
    ],
    [
      'a pod whose container exited 3',
      { phase: 'Failed', containerStatuses: [{ name: 'app', state: exited(3, 'Error') }] },
      '0/1',
      'Error',
    ],
    [
      'an exit the runtime gave no reason',
      { phase: 'Failed', containerStatuses: [{ name: 'app', state: exited(3) }] },
      '0/1',
      'ExitCode:3',
    ],
    [
      'a kill without a reason',
      { phase: 'Failed', containerStatuses: [{ name: 'app', state: exited(137, undefined, 9) }] },
      '0/1',
      'Signal:9',
    ],
    [
      'a container crash-looping',
      {
        phase: 'Running',
        containerStatuses: [{ name: 'app', state: { waiting: { reason: 'CrashLoopBackOff' } } }],
      },
      '0/1',
      'CrashLoopBackOff',
    ],
    [
      'a ready running pod',
      { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, state: running }] },
      '1/1',
      'Running',
    ],
    [
      'a pod the scheduler may not place yet',
      {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
      },
      '0/1',
      'SchedulingGated',
    ],
  ])('shows %s', (_, status, ready, shown) => {
    expect(podRowCells(aPod({}, status), NOW)).toMatchObject({ ready, status: shown });
  });

  it('shows init containers as Init:i/n, their waiting or failed reason, then the app containers', () => {
    const spec = { initContainers: [{ name: 'a' }, { name: 'b' }] };
    const initStatus = (b: object) => ({
      phase: 'Pending',
      initContainerStatuses: [
        { name: 'a', state: exited(0, 'Completed') },
        { name: 'b', ...b },
      ],
      containerStatuses: [{ name: 'app', state: { waiting: { reason: 'PodInitializing' } } }],
    });
    expect(podRowCells(aPod(spec, initStatus({ state: running })), NOW).status).toBe('Init:1/2');
    expect(
      podRowCells(aPod(spec, initStatus({ state: { waiting: { reason: 'ImagePullBackOff' } } })), NOW).status,
    ).toBe('Init:ImagePullBackOff');
    expect(podRowCells(aPod(spec, initStatus({ state: exited(1, 'Error') })), NOW).status).toBe('Init:Error');
    expect(podRowCells(aPod(spec, initStatus({ state: exited(2) })), NOW).status).toBe('Init:ExitCode:2');
    const initialized = {
      ...initStatus({ state: exited(0, 'Completed') }),
      containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ContainerCreating' } } }],
    };
    expect(podRowCells(aPod(spec, initialized), NOW).status).toBe('ContainerCreating');
  });

  it('counts a started sidecar (an init container that restarts always) among the ready containers', () => {
    const spec = { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] };
    const status = {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [
        {
          name: 'proxy',
          started: true,
          ready: true,
          state: running,
          restartCount: 1,
          lastState: exited(1, 'Error'),
        },
      ],
      containerStatuses: [{ name: 'app', ready: true, state: running }],
    };
    expect(podRowCells(aPod(spec, status), NOW)).toEqual({
      ready: '2/2',
      status: 'Running',
      restarts: '1 (60s ago)',
    });
  });

  it('adds up restarts with the age of the last one', () => {
    const status = {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'app',
          ready: true,
          state: running,
          restartCount: 2,
          lastState: { terminated: { exitCode: 1, finishedAt: ago(300) } },
        },
        {
          name: 'log',
          ready: true,
          state: running,
          restartCount: 1,
          lastState: { terminated: { exitCode: 1, finishedAt: ago(90) } },
        },
      ],
    };
    expect(podRowCells(aPod({ containers: [{ name: 'app' }, { name: 'log' }] }, status), NOW)).toEqual({
      ready: '2/2',
      status: 'Running',
      restarts: '3 (90s ago)',
    });
  });

  it('shows Running or NotReady when one container completed and another still runs', () => {
    const statuses = [
      { name: 'app', ready: true, state: running },
      { name: 'job', state: exited(0, 'Completed') },
    ];
    const pod = (ready: string) =>
      aPod(
        { containers: [{ name: 'app' }, { name: 'job' }] },
        { phase: 'Running', containerStatuses: statuses, conditions: [{ type: 'Ready', status: ready }] },
      );
    expect(podRowCells(pod('True'), NOW).status).toBe('Running');
    expect(podRowCells(pod('False'), NOW).status).toBe('NotReady');
  });

  it('shows a deleted pod as Terminating until it ends, and Unknown on a lost node', () => {
    const deleted = { deletionTimestamp: ago(5) };
    expect(podRowCells(aPod({}, { phase: 'Running' }, deleted), NOW).status).toBe('Terminating');
    expect(podRowCells(aPod({}, { phase: 'Succeeded' }, deleted), NOW).status).toBe('Succeeded');
    expect(podRowCells(aPod({}, { phase: 'Running', reason: 'NodeLost' }, deleted), NOW).status).toBe(
      'Unknown',
    );
  });
});

describe('the job table', () => {
  const columns = columnsOf('Job');
  const cells = (job: unknown) =>
    Object.fromEntries(
      columns.filter((c) => c.priority === 0).map((c) => [c.name, c.cell(job as KubeObject)]),
    );

  it("has kube's columns: completions with parallelism, and the duration from start to completion", () => {
    const job = {
      metadata: { name: 'j', creationTimestamp: '2026-12-01T00:00:00Z' },
      spec: { parallelism: 3 },
      status: {
        succeeded: 1,
        startTime: '2026-12-01T00:00:00Z',
        completionTime: '2026-12-01T00:03:20Z',
        conditions: [{ type: 'Complete', status: 'True' }],
      },
    };
    expect(cells(job)).toMatchObject({
      Name: 'j',
      Status: 'Complete',
      Completions: '1/1 of 3',
      Duration: '3m20s',
    });
    expect(cells({ ...job, spec: { completions: 5 }, status: {} })).toMatchObject({
      Status: 'Running',
      Completions: '0/5',
      Duration: '',
    });
  });
});
