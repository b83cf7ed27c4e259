import { ReplicaSetKind, type ReplicaSet } from '../../../lib/kinds/replica-set';
import { aReplicaSet } from '../../support/builders';
import { decoded, invalidLines } from './decode-helpers';

describe('ReplicaSet', () => {
  it('defaults to one replica and a zero replica count in status', () => {
    const replicaSet = decoded<ReplicaSet>(ReplicaSetKind, aReplicaSet());
    expect(replicaSet.spec.replicas).toBe(1);
    expect(replicaSet.status).toEqual({ replicas: 0 });
  });

  it('requires the template labels to match the selector', () => {
    expect(
      invalidLines(ReplicaSetKind, aReplicaSet({ selector: { matchLabels: { app: 'other' } } })),
    ).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  it('refuses negative replicas and minReadySeconds', () => {
    expect(invalidLines(ReplicaSetKind, aReplicaSet({ replicas: -2, minReadySeconds: -1 }))).toEqual([
      'spec.replicas: Invalid value: -2: must be greater than or equal to 0',
      'spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  it('refuses an active deadline on its pods', () => {
    expect(invalidLines(ReplicaSetKind, aReplicaSet({ podSpec: { activeDeadlineSeconds: 10 } }))).toEqual([
      'spec.template.spec.activeDeadlineSeconds: Invalid value: 10: activeDeadlineSeconds in ReplicaSet is not Supported',
    ]);
  });
});
