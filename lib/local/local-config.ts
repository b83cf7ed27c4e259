import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as z from 'zod';
import type { EngineOptions } from '../agent/runtime/oci/engine-cli';
import {
  SKIFF_DEFAULT_TOLERATION_SECONDS,
  SKIFF_NODE_MONITOR_GRACE_SECONDS,
  SKIFF_PORT,
  SKIFF_SCHEDULER_TICK_SECONDS,
} from '../config/env-names';
import { ConfigError, parseEnv } from '../config/parse-env';
import { ResyncEnv, resyncOf } from '../config/resync-env';
import type { ResyncSchedule } from '../controllers/resync';

/**
 * `npm start`'s environment: the same resync variables the reconciler functions read (see
 * lib/config/reconciler-config.ts), and the port, whose flag wins and which is checked with it.
 */
const LocalEnv = z.object({
  [SKIFF_PORT]: z.string().optional(),
  [SKIFF_SCHEDULER_TICK_SECONDS]: z.coerce
    .number({ error: 'must be a positive whole number of seconds' })
    .int('must be a positive whole number of seconds')
    .positive('must be a positive whole number of seconds')
    .default(60),
  [SKIFF_NODE_MONITOR_GRACE_SECONDS]: z.coerce
    .number({ error: 'must be a positive whole number of seconds' })
    .int('must be a positive whole number of seconds')
    .positive('must be a positive whole number of seconds')
    .default(40),
  [SKIFF_DEFAULT_TOLERATION_SECONDS]: z.coerce
    .number({ error: 'must be a whole number of seconds, 0 or more' })
    .int('must be a whole number of seconds, 0 or more')
    .min(0, 'must be a whole number of seconds, 0 or more')
    .default(300),
  ...ResyncEnv,
});

/** What `npm start` takes from its environment. */
export interface LocalConfig {
  /** The port when no --port flag is given. */
  port?: string;
  /** When objects are reconciled again without a change. */
  resync: ResyncSchedule;
  /** Seconds between scheduling rounds when nothing changes (default 60, as on AWS). */
  schedulerTickSeconds: number;
  /** The node lifecycle controller's grace period and default toleration. */
  nodeLifecycle: { nodeMonitorGracePeriodSeconds: number; defaultTolerationSeconds: number };
}

/**
 * Reads `npm start`'s configuration from the environment, once; throws ConfigError naming each
 * invalid variable (a resync interval or tick that is not a positive whole number of seconds).
 */
export function loadLocalConfig(env: Record<string, string | undefined> = process.env): LocalConfig {
  const parsed = parseEnv(LocalEnv, env);
  return {
    port: parsed[SKIFF_PORT],
    resync: resyncOf(parsed),
    schedulerTickSeconds: parsed[SKIFF_SCHEDULER_TICK_SECONDS],
    nodeLifecycle: {
      nodeMonitorGracePeriodSeconds: parsed[SKIFF_NODE_MONITOR_GRACE_SECONDS],
      defaultTolerationSeconds: parsed[SKIFF_DEFAULT_TOLERATION_SECONDS],
    },
  };
}

/** How long `ENGINE --version` may take at startup: a CLI that answers nothing by then is broken. */
const ENGINE_CHECK_MS = 10_000;

/**
 * The engine of `--container-engine ENGINE`, once its CLI has answered `ENGINE --version`, so a
 * missing or broken engine stops `npm start` at once instead of failing each container pod.
 *
 * No flags or variables of Skiff's configure the engine: its CLI runs with npm start's own
 * environment, so it reads its settings as it does from a shell (podman's `CONTAINERS_CONF` and
 * `CONTAINER_HOST`, docker's `DOCKER_HOST`, `DOCKER_CONTEXT` and `DOCKER_CONFIG`, and their
 * config files, where podman's --runtime, --cgroup-manager and --root have settings). No engine
 * flags are passed; the node agent on EC2 does the same with SKIFF_AGENT_ENGINE.
 *
 * @example await containerEngineOf('podman') // { engine: 'podman' }, or ConfigError naming why not
 */
export async function containerEngineOf(engine: string): Promise<EngineOptions> {
  try {
    await promisify(execFile)(engine, ['--version'], { timeout: ENGINE_CHECK_MS });
  } catch (error) {
    const reason = (error as { code?: unknown }).code === 'ENOENT' ? 'not found' : (error as Error).message;
    throw new ConfigError(`--container-engine ${engine}: \`${engine} --version\` failed: ${reason.trim()}`);
  }
  return { engine };
}
