import { DeploymentKind } from '../../../lib/kinds/deployment';
import type { KubeObject } from '../../../lib/kinds/meta';
import { aDeployment, type DeploymentOptions } from '../../support/builders';
import { ControlLoopHarness } from '../../support/control-loop-harness';
import { dynamoEngines } from '../../support/dynamo-engines';
import { eventually } from '../../support/eventually';
import { isReady, markPodsReady } from '../../support/pod-agent';
import {
  NAMESPACE,
  changeDeployment,
  controllerOf,
  podsOf,
  replicaSetsOf,
  specOf,
  statusOf,
  templateImageOf,
  watchRollout,
  type PodTemplate,
  type RolloutBounds,
} from './deployment-views';

/**
 * Deployments driven end to end by the real control loop: writes go to DynamoDB Local, its own
 * stream wakes the registered controllers through dispatch, and the test plays the node agent.
 */
const engine = dynamoEngines().find((e) => e.name === 'dynamodb-local');
const describeOnStreams = engine ? describe : describe.skip;
if (!engine) console.warn('control loops: DynamoDB Local is not in this run; its tests are skipped');

const REVISION = 'deployment.kubernetes.io/revision';
const HASH_LABEL = 'pod-template-hash';

describeOnStreams('a Deployment reconciled from the real stream of DynamoDB Local', () => {
  let harness: ControlLoopHarness;

  beforeAll(async () => {
    harness = await ControlLoopHarness.start(engine ?? { name: 'none', endpoint: '' });
  });
  afterAll(() => harness?.stop());
  beforeEach(() => harness.clearDeadLetters());
  // Every record is reconciled: nothing reaches the dead-letter list.
  afterEach(() => expect(harness.deadLetterSummaries()).toEqual([]));

  /** Creates the Deployment and plays the agent until every one of its pods is ready. */
  async function runningDeployment(options: DeploymentOptions & { name: string; replicas: number }) {
    const deployment = await harness.create(DeploymentKind, aDeployment(options));
    await eventually(async () => {
      await markPodsReady(harness.store, { namespace: NAMESPACE, labels: { app: options.name } });
      const [rs, ...others] = await replicaSetsOf(harness.store, options.name);
      expect(others).toHaveLength(0);
      expect(statusOf(rs).readyReplicas ?? 0).toBe(options.replicas);
    });
    return deployment;
  }

  it('creates one ReplicaSet and 3 Pods, each owned by the one above it', async () => {
    const deployment = await harness.create(DeploymentKind, aDeployment({ name: 'web', replicas: 3 }));

    const [replicaSet] = await eventually(async () => {
      const sets = await replicaSetsOf(harness.store, 'web');
      expect(sets).toHaveLength(1);
      expect(await podsOf(harness.store, 'web')).toHaveLength(3);
      return sets;
    });
    await harness.whenIdle();

    expect(await replicaSetsOf(harness.store, 'web')).toHaveLength(1);
    expect(controllerOf(replicaSet)).toEqual({
      kind: 'Deployment',
      name: 'web',
      uid: deployment.metadata.uid,
    });
    const pods = await podsOf(harness.store, 'web');
    expect(pods).toHaveLength(3);
    for (const pod of pods)
      expect(controllerOf(pod)).toEqual({
        kind: 'ReplicaSet',
        name: replicaSet.metadata.name,
        uid: replicaSet.metadata.uid,
      });
  });

  // 25% of 3 replicas would resolve to the same 1 / 0 as the first case; of 4 it is 1 / 1, which
  // also exercises the unavailability budget (surge rounds up, unavailable rounds down).
  it.each<{
    name: string;
    replicas: number;
    strategy?: DeploymentOptions['strategy'];
    bounds: RolloutBounds;
  }>([
    {
      name: 'surge-only',
      replicas: 3,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      bounds: { replicas: 3, maxSurge: 1, maxUnavailable: 0 },
    },
    { name: 'defaults', replicas: 4, bounds: { replicas: 4, maxSurge: 1, maxUnavailable: 1 } },
  ])(
    'rolls an image change out within maxSurge and maxUnavailable at every sample ($name: $bounds.replicas replicas, surge $bounds.maxSurge, unavailable $bounds.maxUnavailable)',
    async ({ name, replicas, strategy, bounds }) => {
      await runningDeployment({ name, replicas, ...(strategy ? { strategy } : {}) });
      const [original] = await replicaSetsOf(harness.store, name);

      await changeDeployment(harness.store, name, (spec) => {
        spec.template.spec.containers[0].image = 'nginx:1.28';
      });
      const samples = await watchRollout(harness.store, name, 'nginx:1.28', bounds);

      expect(samples.length).toBeGreaterThanOrEqual(10);
      const sets = await replicaSetsOf(harness.store, name);
      expect(sets).toHaveLength(2);
      const updated = sets.find((rs) => rs.metadata.name !== original.metadata.name) as KubeObject;
      const old = sets.find((rs) => rs.metadata.name === original.metadata.name) as KubeObject;
      expect(templateImageOf(updated)).toBe('nginx:1.28');
      expect(specOf(updated).replicas).toBe(replicas);
      expect(statusOf(updated).readyReplicas).toBe(replicas);
      expect(updated.metadata.annotations?.[REVISION]).toBe('2');
      expect(specOf(old).replicas).toBe(0);
      expect(statusOf(old).replicas ?? 0).toBe(0);
    },
  );

  it('scales to 0 and back to 3 with the same ReplicaSet', async () => {
    await runningDeployment({ name: 'scaled', replicas: 3 });
    const [replicaSet] = await replicaSetsOf(harness.store, 'scaled');

    await changeDeployment(harness.store, 'scaled', (spec) => {
      spec.replicas = 0;
    });
    await eventually(async () => {
      expect(await podsOf(harness.store, 'scaled')).toHaveLength(0);
      const [rs] = await replicaSetsOf(harness.store, 'scaled');
      expect(specOf(rs).replicas).toBe(0);
      expect(statusOf(rs).replicas ?? 0).toBe(0);
    });

    await changeDeployment(harness.store, 'scaled', (spec) => {
      spec.replicas = 3;
    });
    await eventually(async () => {
      await markPodsReady(harness.store, { namespace: NAMESPACE, labels: { app: 'scaled' } });
      const pods = await podsOf(harness.store, 'scaled');
      expect(pods).toHaveLength(3);
      expect(pods.every(isReady)).toBe(true);
      const deployment = await harness.store.get(DeploymentKind, NAMESPACE, 'scaled');
      expect(statusOf(deployment).availableReplicas).toBe(3);
    });
    const sets = await replicaSetsOf(harness.store, 'scaled');
    expect(sets.map((rs) => rs.metadata.uid)).toEqual([replicaSet.metadata.uid]);
    expect(specOf(sets[0]).replicas).toBe(3);
  });

  it('rolls back, as `kubectl rollout undo` asks, by scaling the previous ReplicaSet up again under the next revision', async () => {
    const created = await runningDeployment({ name: 'undo', replicas: 3 });
    const [first] = await replicaSetsOf(harness.store, 'undo');
    const bounds = { replicas: 3, maxSurge: 1, maxUnavailable: 0 };
    await changeDeployment(harness.store, 'undo', (spec) => {
      spec.template.spec.containers[0].image = 'nginx:1.28';
    });
    await watchRollout(harness.store, 'undo', 'nginx:1.28', bounds);

    // What `kubectl rollout undo` does: the previous revision's template, without its hash label.
    const previous = structuredClone(specOf(first).template) as PodTemplate;
    delete previous.metadata.labels?.[HASH_LABEL];
    await changeDeployment(harness.store, 'undo', (spec) => {
      spec.template = previous;
    });
    await watchRollout(harness.store, 'undo', 'nginx:1.27', bounds);

    const sets = await replicaSetsOf(harness.store, 'undo');
    expect(sets).toHaveLength(2);
    const restored = sets.find((rs) => rs.metadata.uid === first.metadata.uid) as KubeObject;
    expect(specOf(restored).replicas).toBe(3);
    expect(restored.metadata.annotations?.[REVISION]).toBe('3');
    const deployment = await harness.store.get(DeploymentKind, NAMESPACE, 'undo');
    expect(specOf(deployment).template).toEqual(specOf(created).template);
    await eventually(async () => {
      const latest = await harness.store.get(DeploymentKind, NAMESPACE, 'undo');
      expect(latest.metadata.annotations?.[REVISION]).toBe('3');
    });
  });
});
