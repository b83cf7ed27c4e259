import type { Controller, ObjectKey, ReconcileContext } from '../../../lib/controllers/controller';
import type { KindInfo } from '../../../lib/kinds/kind-info';
import { findKindByKind } from '../../../lib/kinds/registry';
import { LocalRequeue } from '../../../lib/local/local-stream';
import type { ObjectStore } from '../../../lib/store/object-store';
import { waitUntil } from './wait-until';

const ConfigMap = findKindByKind('v1', 'ConfigMap') as KindInfo;
const key = (name: string): ObjectKey => ({ kind: ConfigMap, namespace: 'default', name });

/** A controller double that records each reconcile and answers with `behaviour`. */
function recordingController(
  behaviour: (name: string, run: number) => Promise<{ requeueAfterSeconds?: number }>,
) {
  const runs: string[] = [];
  const controller: Controller = {
    name: 'test-controller',
    kind: ConfigMap,
    watches: [],
    reconcile: async (k) => {
      runs.push(k.name);
      return behaviour(k.name, runs.filter((n) => n === k.name).length);
    },
  };
  return { runs, controller };
}

// runTasks reads the store only to record a terminal error's Event, which these tests never raise.
const context: ReconcileContext = {
  store: {} as ObjectStore,
  events: { record: async () => {} },
  now: () => new Date(),
};

const requeues: LocalRequeue[] = [];
function aRequeue(
  controller: Controller,
  options: { maxAttempts?: number; retryDelaySeconds?: number } = {},
) {
  const requeue = new LocalRequeue({ controllers: [controller], context, logError: () => {}, ...options });
  requeues.push(requeue);
  return requeue;
}
afterEach(async () => {
  await Promise.all(requeues.splice(0).map((r) => r.stop()));
});

describe('LocalRequeue', () => {
  it('runs the reconcile once its delay is up, and requeues what that run asks for', async () => {
    const { runs, controller } = recordingController(async (_, run) =>
      run === 1 ? { requeueAfterSeconds: 0.01 } : {},
    );
    const requeue = aRequeue(controller);
    const queuedAt = Date.now();
    requeue.add([{ key: key('web'), controller: controller.name, afterSeconds: 0.02 }]);
    expect(runs).toEqual([]);
    await waitUntil(() => runs.length === 2, 'the reconcile ran twice');
    expect(Date.now() - queuedAt).toBeGreaterThanOrEqual(29);
    await waitUntil(() => requeue.size === 0, 'nothing waits any more');
    expect(runs).toEqual(['web', 'web']);
  });

  it('keeps the earlier of two requeues for the same key and controller', async () => {
    const { runs, controller } = recordingController(async () => ({}));
    const requeue = aRequeue(controller);
    requeue.add([
      { key: key('web'), controller: controller.name, afterSeconds: 60 },
      { key: key('web'), controller: controller.name, afterSeconds: 0.01 },
      { key: key('web'), controller: controller.name, afterSeconds: 30 },
    ]);
    expect(requeue.size).toBe(1);
    await waitUntil(() => runs.length === 1, 'the reconcile ran');
    expect(requeue.size).toBe(0);
  });

  it('runs a failed reconcile again after the retry delay, up to the attempt limit', async () => {
    const { runs, controller } = recordingController(async () => {
      throw new Error('still broken');
    });
    const requeue = aRequeue(controller, { maxAttempts: 3, retryDelaySeconds: 0.005 });
    requeue.add([{ key: key('web'), controller: controller.name, afterSeconds: 0 }]);
    await waitUntil(() => runs.length === 3 && requeue.size === 0, 'three attempts were made');
    expect(runs).toEqual(['web', 'web', 'web']);
  });

  it('drops requeues for controllers it does not know', () => {
    const { controller } = recordingController(async () => ({}));
    const requeue = aRequeue(controller);
    requeue.add([{ key: key('web'), controller: 'no-such-controller', afterSeconds: 0 }]);
    expect(requeue.size).toBe(0);
  });

  it('cancels what is waiting on stop, waits for runs in progress, and takes nothing after', async () => {
    let finish = () => {};
    const { runs, controller } = recordingController((name) =>
      name === 'slow' ? new Promise((resolve) => (finish = () => resolve({}))) : Promise.resolve({}),
    );
    const requeue = aRequeue(controller);
    requeue.add([
      { key: key('slow'), controller: controller.name, afterSeconds: 0 },
      { key: key('later'), controller: controller.name, afterSeconds: 60 },
    ]);
    await waitUntil(() => runs.includes('slow'), 'the slow reconcile started');
    let stopped = false;
    const stopping = requeue.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    finish();
    await stopping;
    requeue.add([{ key: key('after'), controller: controller.name, afterSeconds: 0 }]);
    expect(requeue.size).toBe(0);
    expect(runs).toEqual(['slow']);
  });
});
