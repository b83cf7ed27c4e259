import type { Controller, ObjectKey } from '../../../lib/controllers/controller';
import { objectOfRecord } from '../../../lib/controllers/record-keys';
import { ConfigMapKind } from '../../../lib/kinds/config-map';
import { DeploymentKind } from '../../../lib/kinds/deployment';
import { aConfigMap, aDeployment } from '../../support/builders';
import {
  ControlLoopHarness,
  MAX_RETRY_ATTEMPTS,
  type DeliveredBatch,
} from '../../support/control-loop-harness';
import { dynamoEngines } from '../../support/dynamo-engines';
import { eventually } from '../../support/eventually';
import { controllerOf, podsOf, replicaSetsOf } from './deployment-views';

/**
 * Design decision 3: a record whose reconcile always fails is retried a bounded number of times,
 * then dead-lettered, and never stalls the shard it is in.
 */
const engine = dynamoEngines().find((e) => e.name === 'dynamodb-local');
const describeOnStreams = engine ? describe : describe.skip;

/** A controller of ConfigMaps that can never reconcile the one named `poison`, and counts its calls. */
function poisonController(): Controller & { calls: Map<string, number> } {
  const calls = new Map<string, number>();
  return {
    name: 'poison-test-controller',
    kind: ConfigMapKind,
    watches: [],
    calls,
    async reconcile(key: ObjectKey) {
      calls.set(key.name, (calls.get(key.name) ?? 0) + 1);
      if (key.name === 'poison') throw new Error('poison cannot be reconciled');
      return {};
    },
  };
}

describeOnStreams('a poison record in the real stream of DynamoDB Local', () => {
  const poison = poisonController();
  let harness: ControlLoopHarness;

  beforeAll(async () => {
    harness = await ControlLoopHarness.start(engine ?? { name: 'none', endpoint: '' }, {
      extraControllers: [poison],
    });
  });
  afterAll(() => harness?.stop());

  it('reaches the dead-letter list after the bounded retries, while the rest of its batch and shard converge', async () => {
    await harness.deliverTogether(async () => [
      await harness.create(ConfigMapKind, aConfigMap({ name: 'poison' })),
      await harness.create(ConfigMapKind, aConfigMap({ name: 'a' })),
      await harness.create(ConfigMapKind, aConfigMap({ name: 'b' })),
      await harness.create(DeploymentKind, aDeployment({ name: 'healthy', replicas: 3 })),
    ]);

    const [deadLetter] = await eventually(async () => {
      expect(harness.deadLetters).toHaveLength(1);
      return harness.deadLetters;
    });
    const dead = objectOfRecord(deadLetter.record);
    expect(`${deadLetter.record.eventName} ${dead?.object.kind}/${dead?.object.metadata.name}`).toBe(
      'INSERT ConfigMap/poison',
    );
    expect(deadLetter.retries).toBe(MAX_RETRY_ATTEMPTS);
    expect(deadLetter.errors).toContainEqual(new Error('poison cannot be reconciled'));
    // The first attempt and every retry, and not once more.
    expect(poison.calls.get('poison')).toBe(1 + MAX_RETRY_ATTEMPTS);

    // The four records reached dispatch in one batch, in the order written, and it failed at the poison.
    const written = ['poison', 'a', 'b', 'healthy'];
    const namesIn = (batch: DeliveredBatch) =>
      batch.records.map((record) => objectOfRecord(record)?.object.metadata.name ?? '');
    const together = harness.batches.find((batch) => written.every((name) => namesIn(batch).includes(name)));
    expect(together && namesIn(together).filter((name) => written.includes(name))).toEqual(written);
    expect(together?.failedAt).toBe(deadLetter.record.dynamodb?.SequenceNumber);

    // The others in its batch, and what they caused later in the shard, were reconciled.
    expect(poison.calls.get('a')).toBeGreaterThanOrEqual(1);
    expect(poison.calls.get('b')).toBeGreaterThanOrEqual(1);
    await eventually(async () => {
      const [replicaSet, ...others] = await replicaSetsOf(harness.store, 'healthy');
      expect(others).toHaveLength(0);
      const pods = await podsOf(harness.store, 'healthy');
      expect(pods).toHaveLength(3);
      for (const pod of pods) expect(controllerOf(pod)?.uid).toBe(replicaSet.metadata.uid);
    });
    await harness.whenIdle();
    expect(harness.deadLetters).toHaveLength(1);
  });
});
