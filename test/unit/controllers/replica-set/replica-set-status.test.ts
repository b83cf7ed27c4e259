import { withReplicaFailure } from '../../../../lib/controllers/replica-set/replica-set-status';
import { NOW } from './replica-set-fixtures';

describe('ReplicaSet status: the ReplicaFailure condition', () => {
  const failing = {
    type: 'ReplicaFailure',
    status: 'True' as const,
    reason: 'FailedCreate',
    message: 'old error',
    lastTransitionTime: '2025-01-01T11:00:00Z',
  };

  it('is set True with reason FailedCreate and the error when creating failed', () => {
    expect(withReplicaFailure({ replicas: 1 }, 'quota exceeded', NOW)).toEqual({
      replicas: 1,
      conditions: [
        {
          type: 'ReplicaFailure',
          status: 'True',
          reason: 'FailedCreate',
          message: 'quota exceeded',
          lastTransitionTime: '2025-01-01T12:00:00Z',
        },
      ],
    });
  });

  it('keeps its transition time while the failure goes on', () => {
    const status = withReplicaFailure({ replicas: 1, conditions: [failing] }, 'new error', NOW);
    expect(status.conditions).toEqual([{ ...failing, message: 'new error' }]);
  });

  it('is removed once a round creates without failing, other conditions staying', () => {
    const other = { type: 'Custom', status: 'False' as const };
    expect(withReplicaFailure({ replicas: 1, conditions: [failing, other] }, undefined, NOW)).toEqual({
      replicas: 1,
      conditions: [other],
    });
    expect(withReplicaFailure({ replicas: 1, conditions: [failing] }, undefined, NOW)).toEqual({
      replicas: 1,
    });
  });
});
