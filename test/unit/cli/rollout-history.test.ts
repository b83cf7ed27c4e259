import { CliError } from '../../../lib/cli/cli-error';
import { revisionsOf, rollbackTarget, templateOf } from '../../../lib/cli/rollout-history';
import type { KubeObject } from '../../../lib/kinds/meta';
import { aDeployment, aReplicaSet } from '../../support/builders';

const REVISION = 'deployment.kubernetes.io/revision';

function replicaSet(name: string, revision: number, image: string, ownerUid = 'dep-uid'): KubeObject {
  const rs = aReplicaSet({
    name,
    image,
    podLabels: { app: 'web', 'pod-template-hash': name.split('-')[1] },
  }) as KubeObject;
  return {
    ...rs,
    metadata: {
      ...rs.metadata,
      annotations: { [REVISION]: String(revision) },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: ownerUid, controller: true },
      ],
    },
  };
}

const deployment = (revision: number): KubeObject => {
  const manifest = aDeployment() as KubeObject;
  return {
    ...manifest,
    metadata: { ...manifest.metadata, uid: 'dep-uid', annotations: { [REVISION]: String(revision) } },
  };
};

describe('skiff rollout history and undo', () => {
  const replicaSets = [
    replicaSet('web-ccc', 3, 'nginx:1.29'),
    replicaSet('web-aaa', 1, 'nginx:1.27'),
    replicaSet('web-bbb', 2, 'nginx:1.28'),
    replicaSet('other-zzz', 9, 'redis', 'someone-else'),
  ];

  it("lists the Deployment's own ReplicaSets by revision, oldest first", () => {
    expect(
      revisionsOf(deployment(3), replicaSets).map((r) => [r.revision, r.replicaSet.metadata.name]),
    ).toEqual([
      [1, 'web-aaa'],
      [2, 'web-bbb'],
      [3, 'web-ccc'],
    ]);
  });

  it('goes back to the revision before the current one, or the one asked for', () => {
    const revisions = revisionsOf(deployment(3), replicaSets);
    expect(rollbackTarget(deployment(3), revisions).revision).toBe(2);
    expect(rollbackTarget(deployment(3), revisions, 1).revision).toBe(1);
    expect(() => rollbackTarget(deployment(3), revisions, 7)).toThrow(
      'unable to find the specified revision 7',
    );
    expect(() => rollbackTarget(deployment(1), revisions.slice(0, 1))).toThrow(CliError);
  });

  it("copies the ReplicaSet's template without the pod-template-hash label the controller added", () => {
    const template = templateOf(replicaSet('web-bbb', 2, 'nginx:1.28'));
    expect(template.metadata.labels).toEqual({ app: 'web' });
    expect(template.spec.containers[0].image).toBe('nginx:1.28');
  });
});
