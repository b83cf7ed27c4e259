import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { EngineOptions } from '../../lib/agent/runtime/oci/engine-cli';

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
