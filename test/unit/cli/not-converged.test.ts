import { describeLines } from '../../../lib/cli/describe/describe-lines';
import type { EventLike } from '../../../lib/cli/describe/describe-types';
import { notConverged } from '../../../lib/cli/describe/not-converged';
import type { KubeObject } from '../../../lib/kinds/meta';
import { aDeployment, aJob, aNode, aPod } from '../../support/builders';

const SCHEDULING_MESSAGE =
  '0/2 nodes are available: 2 Insufficient cpu. No capacity was planned: there is no NodePool.';

function event(reason: string, message: string, lastTimestamp: string, type = 'Warning'): EventLike {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `e-${lastTimestamp}`, namespace: 'default' },
    type,
    reason,
    message,
    lastTimestamp,
    source: { component: 'default-scheduler' },
  };
}

const object = (manifest: unknown) => manifest as KubeObject;

describe('skiff describe: why an object is not converged', () => {
  it("says why a pending pod is not scheduled, from its PodScheduled condition's message", () => {
    const pod = object(
      aPod({
        status: {
          phase: 'Pending',
          conditions: [
            { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: SCHEDULING_MESSAGE },
          ],
        },
      }),
    );
    expect(notConverged(pod, [])).toEqual([`Not scheduled: ${SCHEDULING_MESSAGE}`]);
  });

  it('falls back to the latest FailedScheduling event when the pod has no condition yet', () => {
    const pod = object(aPod({ status: { phase: 'Pending' } }));
    const events = [
      event('FailedScheduling', 'old news', '2026-12-01T10:00:00Z'),
      event('FailedScheduling', SCHEDULING_MESSAGE, '2026-12-01T10:05:00Z'),
      event('Nominated', 'irrelevant', '2026-12-01T10:06:00Z', 'Normal'),
    ];
    expect(notConverged(pod, events)).toEqual([`Not scheduled: ${SCHEDULING_MESSAGE}`]);
  });

  it("names a bound pod's waiting container and how it last exited", () => {
    const pod = object(
      aPod({
        nodeName: 'node-1',
        status: {
          phase: 'Running',
          containerStatuses: [
            {
              name: 'app',
              image: 'nginx',
              imageID: '',
              ready: false,
              restartCount: 3,
              state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } },
              lastState: { terminated: { exitCode: 1, reason: 'Error' } },
            },
          ],
        },
      }),
    );
    expect(notConverged(pod, [])).toEqual([
      'Container app waiting: CrashLoopBackOff: back-off 40s',
      'Container app last exited with code 1 (Error)',
    ]);
  });

  it('says nothing about a running, ready pod', () => {
    const pod = object(
      aPod({
        nodeName: 'node-1',
        status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
      }),
    );
    expect(notConverged(pod, [])).toEqual([]);
  });

  it("compares a Deployment's ready replicas with those desired and lists its false conditions", () => {
    const deployment = {
      ...object(aDeployment({ replicas: 3 })),
      status: {
        observedGeneration: 1,
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 1,
        availableReplicas: 1,
        conditions: [
          {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
          { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
        ],
      },
    };
    deployment.metadata = { ...deployment.metadata, generation: 1 };
    expect(notConverged(deployment, [])).toEqual([
      '1 of 3 replicas are ready',
      'Available is False: MinimumReplicasUnavailable: Deployment does not have minimum availability.',
    ]);
  });

  it('says nothing about a Deployment whose replicas are all updated and available', () => {
    const deployment = {
      ...object(aDeployment({ replicas: 2 })),
      status: { replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2, conditions: [] },
    };
    expect(notConverged(deployment, [])).toEqual([]);
  });

  it("gives a failed Job's reason, and a not-ready Node's", () => {
    const job = {
      ...object(aJob()),
      status: {
        failed: 7,
        conditions: [
          {
            type: 'Failed',
            status: 'True',
            reason: 'BackoffLimitExceeded',
            message: 'Job has reached the specified backoff limit',
          },
        ],
      },
    };
    expect(notConverged(job, [])).toEqual([
      'Failed: BackoffLimitExceeded: Job has reached the specified backoff limit',
    ]);
    const node = {
      ...object(aNode({ name: 'node-1' })),
      status: {
        conditions: [
          {
            type: 'Ready',
            status: 'Unknown',
            reason: 'NodeStatusUnknown',
            message: 'Kubelet stopped posting node status.',
          },
        ],
      },
    };
    expect(notConverged(node, [])[0]).toBe(
      'Not ready: NodeStatusUnknown: Kubelet stopped posting node status.',
    );
  });

  it('prints the reasons between Conditions and Events, with the events oldest first', () => {
    const pod = object(
      aPod({
        name: 'huge',
        status: {
          phase: 'Pending',
          conditions: [
            { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: SCHEDULING_MESSAGE },
          ],
        },
      }),
    );
    const now = Date.parse('2026-12-01T10:10:00Z');
    const lines = describeLines(
      pod,
      [event('FailedScheduling', SCHEDULING_MESSAGE, '2026-12-01T10:09:30Z')],
      now,
    );
    expect(lines[0]).toMatch(/^Name:\s+huge$/);
    const at = (prefix: string) => lines.findIndex((line) => line.startsWith(prefix));
    expect(at('Conditions:')).toBeLessThan(at('Not converged:'));
    expect(at('Not converged:')).toBeLessThan(at('Events:'));
    expect(lines[at('Not converged:') + 1]).toBe(`  Not scheduled: ${SCHEDULING_MESSAGE}`);
    expect(lines.at(-1)).toMatch(
      /^ {2}Warning\s+FailedScheduling\s+30s\s+default-scheduler\s+0\/2 nodes are available/,
    );
  });
});
