import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EngineOptions } from '../../lib/agent/runtime/oci/engine-cli';
import { LABELS } from '../../lib/agent/runtime/oci/engine-container';

/** The busybox image scripts/podman/setup.sh builds with `podman import` (no registry is reachable). */
export const BUSYBOX_IMAGE = 'localhost/skiff-busybox:test';

/** Podman as setup.sh sets it up: Debian's runc, cgroupfs (no systemd), and our containers.conf. */
const PODMAN: EngineOptions = {
  engine: 'podman',
  engineArgs: ['--runtime', '/usr/sbin/runc', '--cgroup-manager=cgroupfs'],
  engineEnv: { CONTAINERS_CONF: join(__dirname, '..', '..', 'scripts', 'podman', 'containers.conf') },
};

/**
 * The podman engine for tests that run real containers, or undefined where podman is absent so
 * they skip. In CI podman is required: its absence fails the run instead of skipping the tests.
 */
export function podmanForTests(): EngineOptions | undefined {
  const found = spawnSync(PODMAN.engine, ['--version'], { stdio: 'ignore' }).status === 0;
  if (found) return PODMAN;
  if (process.env.CI === 'true')
    throw new Error('podman is required in CI: scripts/podman/setup.sh installs it');
  return undefined;
}

/** Throws, saying how to fix it, when the test image has not been built. */
export function requireBusyboxImage(engine: EngineOptions): void {
  const result = spawnSync(engine.engine, [...(engine.engineArgs ?? []), 'image', 'exists', BUSYBOX_IMAGE], {
    env: { ...process.env, ...engine.engineEnv },
    stdio: 'ignore',
  });
  if (result.status !== 0) throw new Error(`${BUSYBOX_IMAGE} is missing: run scripts/podman/setup.sh`);
}

/** An engine container as `podman ps --format json` lists it. */
export interface ListedContainer {
  name: string;
  /** `created`, `running`, `exited`... */
  state: string;
  labels: Record<string, string>;
}

/**
 * The engine's containers (`ps`; with `all`, stopped ones too), for tests that check what runs.
 * Asynchronous: tests poll it while a cluster runs in the same process.
 */
export async function podmanContainers(
  engine: EngineOptions,
  options: { all?: boolean } = {},
): Promise<ListedContainer[]> {
  const { stdout } = await promisify(execFile)(
    engine.engine,
    [...(engine.engineArgs ?? []), 'ps', ...(options.all ? ['--all'] : []), '--format', 'json'],
    { env: { ...process.env, ...engine.engineEnv }, encoding: 'utf8' },
  );
  const listed = JSON.parse(stdout || '[]') as {
    Names: string[];
    State: string;
    Labels: Record<string, string> | null;
  }[];
  return listed.map((container) => ({
    name: container.Names[0] ?? '',
    state: container.State,
    labels: container.Labels ?? {},
  }));
}

/**
 * The containers the container runtime made for nodes whose data folders are under `folder`
 * (labelled skiff.dev/data-dir), so a test sees only its own while other tests use the engine.
 */
export async function containersUnder(
  engine: EngineOptions,
  folder: string,
  options: { all?: boolean } = {},
): Promise<ListedContainer[]> {
  return (await podmanContainers(engine, options)).filter((container) =>
    (container.labels[LABELS.dataDir] ?? '').startsWith(`${folder}/`),
  );
}

/** Removes, running or not, every container the runtime made for nodes under `folder`. */
export async function removeContainersUnder(engine: EngineOptions, folder: string): Promise<void> {
  const names = (await containersUnder(engine, folder, { all: true })).map((container) => container.name);
  if (names.length === 0) return;
  await promisify(execFile)(engine.engine, [...(engine.engineArgs ?? []), 'rm', '--force', ...names], {
    env: { ...process.env, ...engine.engineEnv },
  });
}
