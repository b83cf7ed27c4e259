import { availableParallelism, loadavg } from 'node:os';
import { decodeObject } from '../lib/kinds/decode';
import { DeploymentKind } from '../lib/kinds/deployment';
import type { KubeObject } from '../lib/kinds/meta';
import { PodKind } from '../lib/kinds/pod';
import { partitionKeyOf } from '../lib/store/object-item';
import { startBenchControlPlane, type BenchControlPlane } from './support/bench-control-plane';
import type { ReconcileCount } from './support/counted-controllers';
import { cpuSince, cpuTime, type CpuTime } from './support/cpu-time';
import { benchDeployment } from './support/bench-deployment';
import { PodAgent } from './support/pod-agent';
import { ReplicaSetStates } from './support/replica-set-states';
import { isCreateIn, type WriteCount } from './support/write-log';

/**
 * `npm run bench:controllers`: the control loops on the embedded engine (dynalite in memory, the
 * TableMirror, the LocalStream and every registered controller, as `npm start` wires them), driven
 * through the store as the API would. Each figure is printed beside the issue's target with the
 * ratio measured/target (<= 1.00 meets it).
 *
 * 1. Scale-out: a Deployment of 1,000 replicas, from its create to the 1,000th Pod stored, and the
 *    table writes it cost per pod (every accepted write: Pods, Events, ReplicaSet, statuses).
 * 2. Rolling update: a Deployment of 100 ready replicas gets a new image; a stand-in node agent
 *    reports each new pod Running and Ready as it appears, until the new ReplicaSet has 100
 *    available pods and the old one none.
 */
/** `--quick` (as CI runs it): a tenth of the replicas, to prove the benchmark still runs. */
const QUICK = process.argv.includes('--quick');
const SCALE_REPLICAS = QUICK ? 100 : 1000;
const ROLLOUT_REPLICAS = QUICK ? 10 : 100;
const WARM_UP_REPLICAS = QUICK ? 10 : 100;
const DEADLINE_MS = 60_000;

const TARGET_SCALE_SECONDS = 5;
const TARGET_WRITES_PER_POD = 2;

const deploymentManifest = (name: string, namespace: string, replicas: number, image = 'nginx:1.27') =>
  benchDeployment({ name, namespace, replicas, image, bench: 'controllers' });

/** Creates the Deployment as the API's create does: decoded (defaults, validation), then stored. */
async function createDeployment(plane: BenchControlPlane, manifest: unknown): Promise<KubeObject> {
  return plane.store.create(DeploymentKind, decodeObject(DeploymentKind, manifest).object);
}

/** Resolves at the write that stores the `count`th Pod created in `namespace` from now on. */
function nthPodCreated(plane: BenchControlPlane, namespace: string, count: number): Promise<number> {
  const partition = partitionKeyOf(PodKind, namespace);
  let seen = 0;
  return plane.writes.until(
    (change) => isCreateIn(change, partition) && ++seen === count,
    `${count} pods in ${namespace} (saw ${seen})`,
    DEADLINE_MS,
  );
}

async function podsIn(plane: BenchControlPlane, namespace: string): Promise<number> {
  return (await plane.store.list(PodKind, { namespace })).items.length;
}

interface Snapshot {
  writes: number;
  reconciles: number;
  byController: ReconcileCount[];
  byKind: WriteCount[];
}

function snapshot(plane: BenchControlPlane): Snapshot {
  return {
    writes: plane.writes.count,
    reconciles: plane.reconciles.runs,
    byController: plane.reconciles.byController().map((c) => ({ ...c })),
    byKind: plane.writes.breakdown(),
  };
}

function resetTallies(plane: BenchControlPlane): void {
  plane.writes.reset();
  plane.reconciles.reset();
  plane.failures.clear();
}

interface ScaleResult {
  seconds: number;
  firstPodSeconds: number;
  cpu: CpuTime;
  listed: number;
  atLastPod: Snapshot;
  settled: Snapshot;
  settleSeconds: number;
  failures: Map<string, number>;
}

async function benchScaleOut(): Promise<ScaleResult> {
  const plane = await startBenchControlPlane();
  try {
    // Warm-up in its own namespace, so the measured run meets compiled code, as a running server would.
    await plane.createNamespace('bench-warm-up');
    const warmed = nthPodCreated(plane, 'bench-warm-up', WARM_UP_REPLICAS);
    await createDeployment(plane, deploymentManifest('warm-up', 'bench-warm-up', WARM_UP_REPLICAS));
    await warmed;
    await plane.settle();

    const namespace = 'bench-scale';
    await plane.createNamespace(namespace);
    await plane.settle();
    resetTallies(plane);
    const firstPod = nthPodCreated(plane, namespace, 1);
    const lastPod = nthPodCreated(plane, namespace, SCALE_REPLICAS);
    const cpuAtStart = cpuTime();
    const started = performance.now();
    await createDeployment(plane, deploymentManifest('web', namespace, SCALE_REPLICAS));
    const [firstAt, lastAt] = await Promise.all([firstPod, lastPod]);
    const cpu = cpuSince(cpuAtStart);
    const atLastPod = snapshot(plane);
    await plane.settle();
    const settleSeconds = (performance.now() - started) / 1000;
    return {
      seconds: (lastAt - started) / 1000,
      firstPodSeconds: (firstAt - started) / 1000,
      cpu,
      listed: await podsIn(plane, namespace),
      atLastPod,
      settled: snapshot(plane),
      settleSeconds,
      failures: new Map(plane.failures),
    };
  } finally {
    await plane.stop();
  }
}

interface RolloutResult {
  seconds: number;
  cpu: CpuTime;
  atDone: Snapshot;
  settled: Snapshot;
  replicaSets: number;
  readied: number;
  listed: number;
  failures: Map<string, number>;
}

async function benchRollingUpdate(): Promise<RolloutResult> {
  const plane = await startBenchControlPlane();
  const namespace = 'bench-rollout';
  const states = new ReplicaSetStates(namespace);
  const unwatch = plane.writes.watch((change) => states.observe(change));
  try {
    await plane.createNamespace(namespace);
    const agent = new PodAgent(plane.store, plane.writes, namespace);
    const until = (image: string) =>
      plane.writes.until(
        (change) => states.observe(change) && states.rolledOutTo(image, ROLLOUT_REPLICAS),
        `${ROLLOUT_REPLICAS} available pods running ${image}`,
        DEADLINE_MS,
      );
    const rolledOut = until('nginx:1.27');
    const created = await createDeployment(
      plane,
      deploymentManifest('web', namespace, ROLLOUT_REPLICAS, 'nginx:1.27'),
    );
    await rolledOut;
    await plane.settle();
    resetTallies(plane);
    const readiedBefore = agent.readied;

    const stored = await plane.store.get(DeploymentKind, namespace, created.metadata.name ?? '');
    const next = structuredClone(stored) as KubeObject & {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    next.spec.template.spec.containers[0].image = 'nginx:1.28';
    const done = until('nginx:1.28');
    const cpuAtStart = cpuTime();
    const started = performance.now();
    await plane.store.update(DeploymentKind, decodeObject(DeploymentKind, next).object);
    const doneAt = await done;
    const cpu = cpuSince(cpuAtStart);
    const atDone = snapshot(plane);
    await plane.settle();
    agent.stop();
    return {
      seconds: (doneAt - started) / 1000,
      cpu,
      atDone,
      settled: snapshot(plane),
      replicaSets: states.count,
      readied: agent.readied - readiedBefore,
      listed: await podsIn(plane, namespace),
      failures: new Map(plane.failures),
    };
  } finally {
    unwatch();
    await plane.stop();
  }
}

/** measured/target to 3 places (2.009 writes against 2 must not print as 1.00), with the verdict. */
const ratio = (measured: number, target: number) =>
  `${(measured / target).toFixed(3)}  ${measured <= target ? 'meets' : 'misses'}`;

function printReconciles(label: string, counts: ReconcileCount[]): void {
  console.log(`  reconcile runs ${label}:`);
  for (const c of counts)
    console.log(
      `    ${c.controller.padEnd(40)} ${String(c.runs).padStart(6)} runs  ${String(c.failures).padStart(4)} failed  ${c.busyMs.toFixed(0).padStart(7)} ms busy`,
    );
}

function printWrites(label: string, counts: WriteCount[], perPodOf?: number): void {
  console.log(`  writes ${label}:`);
  for (const w of counts)
    console.log(
      `    ${`${w.kind} ${w.operation}`.padEnd(40)} ${String(w.count).padStart(6)}${perPodOf ? `  ${(w.count / perPodOf).toFixed(3)} per pod` : ''}`,
    );
}

function printFailures(failures: Map<string, number>): void {
  for (const [what, count] of failures) console.log(`  retried reconcile: ${what} x${count}`);
}

function describeCpu(cpu: CpuTime): string {
  const main =
    cpu.mainThreadMs === undefined ? '' : `main thread ${(cpu.mainThreadMs / 1000).toFixed(2)} s, `;
  return `CPU over that time: ${main}whole process (dynalite's thread too) ${(cpu.processMs / 1000).toFixed(2)} s`;
}

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0];
  const scale = await benchScaleOut();
  const rollout = await benchRollingUpdate();

  console.log(`\nControllers on the embedded engine (dynalite in memory, TableMirror, LocalStream)`);
  console.log(
    `${availableParallelism()} cores; 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end (wall times stretch with it; CPU times do not)`,
  );
  console.log(`\n1. Deployment of ${SCALE_REPLICAS} replicas (after a ${WARM_UP_REPLICAS}-replica warm-up)`);
  console.log('measure                              measured    target  ratio');
  console.log(
    `${'create -> last pod stored (s)'.padEnd(36)} ${scale.seconds.toFixed(2).padStart(9)}  ${String(TARGET_SCALE_SECONDS).padStart(8)}  ${ratio(scale.seconds, TARGET_SCALE_SECONDS)}`,
  );
  const perPodAtLast = scale.atLastPod.writes / SCALE_REPLICAS;
  const perPodSettled = scale.settled.writes / SCALE_REPLICAS;
  console.log(
    `${'writes per pod, settled'.padEnd(36)} ${perPodSettled.toFixed(3).padStart(9)}  ${String(TARGET_WRITES_PER_POD).padStart(8)}  ${ratio(perPodSettled, TARGET_WRITES_PER_POD)}`,
  );
  console.log(`  ${describeCpu(scale.cpu)}`);
  console.log(
    `  first pod after ${scale.firstPodSeconds.toFixed(3)} s; pods listed at the end: ${scale.listed}; settled (stream idle, no write for 200 ms) after ${scale.settleSeconds.toFixed(2)} s`,
  );
  console.log(
    `  writes: ${scale.atLastPod.writes} at the last pod (${perPodAtLast.toFixed(3)} per pod), ${scale.settled.writes} settled; reconcile runs: ${scale.atLastPod.reconciles} at the last pod, ${scale.settled.reconciles} settled`,
  );
  printReconciles('(settled)', scale.settled.byController);
  printWrites('(settled)', scale.settled.byKind, SCALE_REPLICAS);
  printFailures(scale.failures);

  console.log(`\n2. Rolling update of ${ROLLOUT_REPLICAS} replicas (maxSurge 25%, maxUnavailable 25%)`);
  console.log(
    `  image change -> new ReplicaSet ${ROLLOUT_REPLICAS}/${ROLLOUT_REPLICAS} available, old at 0: ${rollout.seconds.toFixed(2)} s`,
  );
  console.log(`  ${describeCpu(rollout.cpu)}`);
  console.log(
    `  reconcile runs: ${rollout.atDone.reconciles} to that point, ${rollout.settled.reconciles} settled; writes: ${rollout.atDone.writes} to that point, ${rollout.settled.writes} settled (${rollout.readied} of them the agent's pod statuses)`,
  );
  console.log(`  ReplicaSets at the end: ${rollout.replicaSets}; pods listed at the end: ${rollout.listed}`);
  printReconciles('(to the end state)', rollout.atDone.byController);
  printReconciles('(settled)', rollout.settled.byController);
  printWrites('(settled)', rollout.settled.byKind);
  printFailures(rollout.failures);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
