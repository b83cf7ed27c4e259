import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aDeployment } from '../support/builders';
import { eventually } from '../support/eventually';
import { processesWorkingIn } from '../support/host-processes';
import { spawnLocalServer, type LocalServerProcess } from '../support/spawn-local-server';
import { mulberry32 } from '../support/seeded-random';

/**
 * `kill -9` of `npm start` at random moments of a rollout, some within 50 ms of the write that
 * started it, then a restart on the same data folder: every Deployment must be fully rolled out
 * within 10 s of the restart, however much of the controllers' work the crash cut short. The
 * pods really run, as processes of the local nodes' agents: a restart resumes the nodes, whose
 * agents stop what the killed run left and run their pods again.
 *
 * The moments come from a seeded generator; set SKIFF_CRASH_SEED to replay a failing run's seed
 * (every failure message names it).
 */
const SEED = Number(process.env.SKIFF_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CRASHES = 16;
const DEPLOYMENTS = ['alpha', 'beta', 'gamma'];
const REPLICAS = 3;
const CONVERGED_WITHIN_MS = 10_000;
const NAMESPACE = 'default';

interface Owned {
  metadata: {
    name: string;
    uid: string;
    labels?: Record<string, string>;
    generation?: number;
    deletionTimestamp?: string;
    ownerReferences?: { uid: string; controller?: boolean }[];
  };
}
interface Workload extends Owned {
  spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
  };
}
interface Pod extends Owned {
  spec: { containers: { name: string; image?: string }[] };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

/**
 * Even crashes land 0-50 ms after the patch's response, odd ones 50-500 ms after it: a rollout of
 * these Deployments takes about half a second here, so those land mid-rollout.
 */
function crashDelaysMs(seed: number): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: CRASHES }, (_, i) =>
    Math.round(i % 2 === 0 ? random() * 50 : 50 + random() * 450),
  );
}

const controllerUid = (object: Owned) =>
  object.metadata.ownerReferences?.find((ref) => ref.controller === true)?.uid;
const imageOf = (workload: Workload) => workload.spec.template.spec.containers[0]?.image;
const isActive = (pod: Pod) =>
  !pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';

describe('npm start killed with SIGKILL during a rollout', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-crash-'));
  let server: LocalServerProcess | undefined;

  const api = async <T>(path: string, init?: RequestInit): Promise<T> => {
    if (!server) throw new Error('no server is running');
    const response = await fetch(`${server.url}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...init?.headers },
    });
    if (!response.ok)
      throw new Error(`${init?.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const list = async <T>(path: string) => (await api<{ items: T[] }>(path)).items;

  /**
   * Throws, describing what is left to do, unless every Deployment runs `image` everywhere: its
   * status is about its current generation with every replica updated and available, its one
   * ReplicaSet for `image` owns all its active pods, and every other ReplicaSet is scaled to 0.
   */
  async function expectRolledOut(image: string): Promise<void> {
    const deployments = await list<Workload>(`/apis/apps/v1/namespaces/${NAMESPACE}/deployments`);
    const replicaSets = await list<Workload>(`/apis/apps/v1/namespaces/${NAMESPACE}/replicasets`);
    const pods = (await list<Pod>(`/api/v1/namespaces/${NAMESPACE}/pods`)).filter(isActive);
    const problems: string[] = [];
    for (const name of DEPLOYMENTS) {
      const deployment = deployments.find((d) => d.metadata.name === name);
      if (!deployment) {
        problems.push(`${name}: missing`);
        continue;
      }
      const { generation } = deployment.metadata;
      const status = deployment.status ?? {};
      if (imageOf(deployment) !== image) problems.push(`${name}: template image ${imageOf(deployment)}`);
      if (status.observedGeneration !== generation)
        problems.push(`${name}: observedGeneration ${status.observedGeneration} of generation ${generation}`);
      if (status.updatedReplicas !== REPLICAS || status.replicas !== REPLICAS)
        problems.push(`${name}: ${status.updatedReplicas}/${status.replicas} replicas updated`);
      if (status.availableReplicas !== REPLICAS)
        problems.push(`${name}: ${status.availableReplicas} replicas available`);
      const owned = replicaSets.filter((rs) => controllerUid(rs) === deployment.metadata.uid);
      const current = owned.filter((rs) => imageOf(rs) === image);
      if (current.length !== 1) {
        problems.push(`${name}: ${current.length} ReplicaSets for ${image}`);
        continue;
      }
      for (const old of owned.filter((rs) => rs !== current[0]))
        if (old.spec.replicas !== 0 || (old.status?.replicas ?? 0) !== 0)
          problems.push(
            `${name}: old ReplicaSet ${old.metadata.name} at ${old.spec.replicas}/${old.status?.replicas}`,
          );
      const mine = pods.filter((pod) => pod.metadata.labels?.app === name);
      const strays = mine.filter((pod) => controllerUid(pod) !== current[0].metadata.uid);
      if (mine.length !== REPLICAS || strays.length > 0)
        problems.push(
          `${name}: ${mine.length} active pods, ${strays.length} not owned by ${current[0].metadata.name}`,
        );
    }
    if (problems.length > 0) throw new Error(problems.join('; '));
  }

  async function patchImages(image: string): Promise<void> {
    await Promise.all(
      DEPLOYMENTS.map((name) =>
        api(`/apis/apps/v1/namespaces/${NAMESPACE}/deployments/${name}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/strategic-merge-patch+json' },
          body: JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'app', image }] } } } }),
        }),
      ),
    );
  }

  afterAll(async () => {
    // Ctrl-C stops every pod process; after a failure mid-crash, whatever the killed run left is
    // killed by hand (its processes work in the nodes' folder).
    await server?.stop();
    for (const pid of processesWorkingIn(`${dataDir}-nodes`)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}-nodes`, { recursive: true, force: true });
  });

  it(`converges every Deployment within 10 s of each of ${CRASHES} restarts (seed ${SEED})`, async () => {
    const delays = crashDelaysMs(SEED);
    const replay = `seed ${SEED} (replay with SKIFF_CRASH_SEED=${SEED})`;
    server = await spawnLocalServer({ args: ['--data-dir', dataDir] });
    await Promise.all(
      DEPLOYMENTS.map((name) =>
        api(`/apis/apps/v1/namespaces/${NAMESPACE}/deployments`, {
          method: 'POST',
          body: JSON.stringify(
            aDeployment({
              name,
              replicas: REPLICAS,
              podSpec: {
                terminationGracePeriodSeconds: 1,
                containers: [
                  {
                    name: 'app',
                    image: 'registry.local/app:v0',
                    command: ['/bin/sh', '-c', 'exec sleep 3600'],
                  },
                ],
              },
              strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
            }),
          ),
        }),
      ),
    );
    await eventually(() => expectRolledOut('registry.local/app:v0'), 30_000);

    for (const [crash, delayMs] of delays.entries()) {
      const image = `registry.local/app:v${crash + 1}`;
      await patchImages(image);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await server.kill();
      server = await spawnLocalServer({ args: ['--data-dir', dataDir] });
      const { startedAt } = server;
      try {
        await eventually(() => expectRolledOut(image), startedAt + CONVERGED_WITHIN_MS - Date.now(), 50);
      } catch (error) {
        throw new Error(
          `crash ${crash + 1} of ${CRASHES}, ${delayMs} ms after patching to ${image}, ${replay}: ` +
            `not rolled out ${Date.now() - startedAt} ms after the restart: ${String(error)}\n` +
            `server output:\n${server.output()}`,
        );
      }
    }
  }, 240_000);
});
