import { parseDuration } from '../../../lib/cli/duration';
import { deploymentReadiness, readinessOf } from '../../../lib/cli/readiness';
import type { KubeObject } from '../../../lib/kinds/meta';
import { aConfigMap, aDeployment, aJob, aPod } from '../../support/builders';

function deployment(status: Record<string, unknown>, generation = 2): KubeObject {
  const manifest = aDeployment({ replicas: 3 }) as KubeObject;
  return { ...manifest, metadata: { ...manifest.metadata, generation }, status };
}

describe('skiff readiness (apply --wait, rollout status)', () => {
  it("prints kubectl rollout status's messages as a Deployment's rollout advances", () => {
    expect(deploymentReadiness(deployment({ observedGeneration: 1 })).message).toBe(
      'Waiting for deployment spec update to be observed...',
    );
    expect(
      deploymentReadiness(deployment({ observedGeneration: 2, updatedReplicas: 1, replicas: 3 })).message,
    ).toBe('Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...');
    expect(
      deploymentReadiness(deployment({ observedGeneration: 2, updatedReplicas: 3, replicas: 4 })).message,
    ).toBe('Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...');
    expect(
      deploymentReadiness(
        deployment({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 2 }),
      ).message,
    ).toBe('Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...');
    const done = deploymentReadiness(
      deployment({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }),
    );
    expect(done).toEqual({ ready: true, message: 'deployment "web" successfully rolled out' });
  });

  it('fails a rollout whose progress deadline passed', () => {
    const stuck = deployment({
      observedGeneration: 2,
      updatedReplicas: 1,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
    });
    expect(deploymentReadiness(stuck).failed).toBe('deployment "web" exceeded its progress deadline');
  });

  it('waits for a Job to complete and gives up when it failed', () => {
    const job = aJob() as KubeObject;
    expect(readinessOf({ ...job, status: { active: 1 } })).toMatchObject({
      ready: false,
      message: '0 succeeded, 1 active, 0 failed',
    });
    expect(
      readinessOf({ ...job, status: { conditions: [{ type: 'Complete', status: 'True' }] } }).ready,
    ).toBe(true);
    const failed = readinessOf({
      ...job,
      status: { conditions: [{ type: 'Failed', status: 'True', message: 'BackoffLimitExceeded' }] },
    });
    expect(failed.failed).toBe('job batch failed: BackoffLimitExceeded');
  });

  it('waits for a Pod to be Ready, saying why it is not scheduled meanwhile', () => {
    const pod = aPod() as KubeObject;
    const pending = readinessOf({
      ...pod,
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', message: '0/1 nodes are available' }],
      },
    });
    expect(pending).toMatchObject({ ready: false, message: 'Pending: 0/1 nodes are available' });
    expect(
      readinessOf({ ...pod, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } })
        .ready,
    ).toBe(true);
  });

  it('takes other kinds as ready once they exist', () => {
    expect(readinessOf(aConfigMap() as KubeObject).ready).toBe(true);
  });

  it('reads durations as kubectl does', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('90')).toBe(90_000);
    expect(() => parseDuration('soon')).toThrow('invalid duration "soon"');
  });
});
