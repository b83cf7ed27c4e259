import { ReplayEngine } from '../../support/replay-harness';
import { applyStep, type Step } from './scenario';

/**
 * The idempotence the delivery property relies on: once a batch's reconciles have run, the same
 * batch again finds the level they left and writes nothing. Each case settles a setup, makes one
 * user write, takes the records of that write as a batch and delivers it by hand, twice in a row.
 */
describe('delivering the same batch twice in a row', () => {
  let engine: ReplayEngine;

  beforeAll(async () => {
    engine = await ReplayEngine.start();
  });
  afterAll(() => engine.stop());

  const cases: { name: string; setup: Step[]; write: Step }[] = [
    {
      name: 'a Deployment created',
      setup: [],
      write: { type: 'createDeployment', name: 'web', replicas: 3 },
    },
    {
      name: 'a Deployment scaled up',
      setup: [{ type: 'createDeployment', name: 'web', replicas: 1 }],
      write: { type: 'scaleDeployment', name: 'web', replicas: 4 },
    },
    {
      name: 'a Deployment given a new image',
      setup: [{ type: 'createDeployment', name: 'web', replicas: 2 }],
      write: { type: 'changeImage', name: 'web', image: 'nginx:1.28' },
    },
    {
      name: 'a ReplicaSet created directly',
      setup: [],
      write: { type: 'createReplicaSet', replicas: 3, selects: 'own' },
    },
    {
      name: 'a ReplicaSet scaled down',
      setup: [{ type: 'createReplicaSet', replicas: 4, selects: 'own' }],
      write: { type: 'scaleReplicaSet', replicas: 1 },
    },
    {
      name: 'a pod deleted',
      setup: [{ type: 'createReplicaSet', replicas: 2, selects: 'own' }],
      write: { type: 'deletePod', owner: 'solo' },
    },
    {
      name: 'a Deployment deleted (Background)',
      setup: [{ type: 'createDeployment', name: 'web', replicas: 2 }],
      write: { type: 'deleteDeployment', name: 'web', policy: 'Background' },
    },
    {
      name: 'a Deployment deleted (Orphan)',
      setup: [{ type: 'createDeployment', name: 'web', replicas: 2 }],
      write: { type: 'deleteDeployment', name: 'web', policy: 'Orphan' },
    },
  ];

  /** A world after `setup` settled and `write` made, with the write's records taken as a batch. */
  async function afterWrite(setup: Step[], write: Step) {
    const world = await engine.world({ delivery: 'in-order', batchSize: 100, seed: 1 });
    for (const step of setup) await applyStep(world.store, step);
    await world.settle();
    const before = world.writes;
    await applyStep(world.store, write);
    const batch = world.takePending();
    expect(batch.length).toBeGreaterThan(0);
    return { world, batch, before };
  }

  it.each(cases)('writes nothing once the level is reached: $name', async ({ setup, write }) => {
    const { world, batch } = await afterWrite(setup, write);
    await world.deliver(batch);
    await world.settle();
    const settled = world.writes;

    await world.deliver(batch);

    expect(world.writes - settled).toBe(0);
    expect(world.failures).toEqual([]);
  });

  /**
   * Straight after the first delivery the level may still move: a ReplicaSet's status was
   * computed from the pods listed before it created them, so the second delivery writes the
   * status the new pods' own records would have. It is the same write, made earlier: the total
   * until the loop settles does not grow.
   */
  it.each(cases)('costs no extra writes delivered twice in a row: $name', async ({ setup, write }) => {
    const once = await afterWrite(setup, write);
    await once.world.deliver(once.batch);
    await once.world.settle();
    const twice = await afterWrite(setup, write);
    await twice.world.deliver(twice.batch);
    await twice.world.deliver(twice.batch);
    await twice.world.settle();

    expect(twice.world.writes - twice.before).toBe(once.world.writes - once.before);
  });
});
