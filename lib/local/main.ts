import { parseArgs } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import {
  SKIFF_PORT,
  SKIFF_RESYNC_INTERVAL_SECONDS,
  SKIFF_RESYNC_TICK_SECONDS,
  SKIFF_SCHEDULER_TICK_SECONDS,
  SKIFF_NODE_MONITOR_GRACE_SECONDS,
  SKIFF_DEFAULT_TOLERATION_SECONDS,
} from '../config/env-names';
import { ConfigError } from '../config/parse-env';
import { DEFAULT_RESYNC } from '../controllers/resync';
import { containerEngineOf, loadLocalConfig } from './local-config';
import { startLocalControlPlane } from './local-control-plane';

/**
 * `npm start`: runs the control plane on the embedded engine. Objects persist in `.skiff/data`
 * unless `--in-memory` is given. Ctrl-C drains requests and closes the store cleanly.
 */
const USAGE = `usage: npm start -- [--port N] [--data-dir DIR] [--in-memory] [--api-only]
                 [--nodes N] [--node-type TYPE] [--nodes-dir DIR] [--container-engine podman|docker]
                 [--operators PATH]
  --port N              port on 127.0.0.1 (default 8080, env SKIFF_PORT; 0 picks a free port)
  --data-dir DIR        where objects persist (default .skiff/data)
  --in-memory           keep objects in memory only
  --api-only            serve the API without running the controllers, the scheduler or nodes
  --operators PATH      run the operators in PATH: a module (.ts, .js), a YAML file of
                        Metacontroller CompositeControllers calling webhooks, or a folder of
                        them (YAML files, modules named operator.* or *.operator.*);
                        loaded again whenever a file under PATH changes
                        (docs/operators.md)
  --nodes N             nodes kept running even when idle (default 1): the warm floor of the
                        \`local\` NodePool made when the cluster has no pool
  --node-type TYPE      that pool's only node size: local.small (2 CPU, 8 GiB), local.medium
                        (4 CPU, 16 GiB) or local.large (8 CPU, 32 GiB); default any of them
  --nodes-dir DIR       local nodes' pod folders and logs (default .skiff/nodes, or DIR-nodes
                        beside a --data-dir DIR; with --in-memory, a temporary folder)
  --container-engine E  also run pods with runtimeClassName: container on this engine's CLI
                        (podman, docker, or a path). The CLI runs with this environment, so it
                        reads its own settings as it does in a shell (podman: CONTAINERS_CONF;
                        docker: DOCKER_HOST, DOCKER_CONTEXT). Where podman's defaults fail (no
                        systemd; this machine, CI), give it the tests' settings:
                          CONTAINERS_CONF=scripts/podman/containers.conf \\
                            npm start -- --container-engine podman

environment:
  ${SKIFF_PORT}                     the port when --port is not given
  ${SKIFF_RESYNC_INTERVAL_SECONDS}  every object is reconciled once in each interval of this
                                 many seconds, changed or not (default ${DEFAULT_RESYNC.intervalSeconds})
  ${SKIFF_RESYNC_TICK_SECONDS}      seconds between resync sweeps (default ${DEFAULT_RESYNC.tickSeconds})
  ${SKIFF_SCHEDULER_TICK_SECONDS}   seconds between scheduling rounds when nothing changes (default 60)
  ${SKIFF_NODE_MONITOR_GRACE_SECONDS}  seconds without a heartbeat before a node is NotReady (default 40)
  ${SKIFF_DEFAULT_TOLERATION_SECONDS}  seconds pods stay on a NotReady node before they are evicted
                                    and replaced elsewhere (default 300)`;

const Options = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  dataDir: z.string().min(1),
  inMemory: z.boolean(),
  apiOnly: z.boolean(),
  nodesDir: z.string().min(1),
  nodes: z.coerce.number().int().min(0).max(254),
  nodeType: z.enum(['local.small', 'local.medium', 'local.large']).optional(),
  containerEngine: z.string().min(1).optional(),
  operators: z.string().min(1).optional(),
});

/**
 * Where local nodes keep their pods' files: beside the objects they belong to, so two stores
 * never share nodes (a test's --data-dir gets its own), and nowhere lasting for --in-memory.
 */
function defaultNodesDir(inMemory: boolean | undefined, dataDir: string | undefined): string {
  if (inMemory) return mkdtempSync(join(tmpdir(), 'skiff-nodes-'));
  return dataDir === undefined ? '.skiff/nodes' : `${dataDir.replace(/\/+$/, '')}-nodes`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'in-memory': { type: 'boolean', default: false },
      'api-only': { type: 'boolean', default: false },
      'nodes-dir': { type: 'string' },
      nodes: { type: 'string' },
      'node-type': { type: 'string' },
      'container-engine': { type: 'string' },
      operators: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const env = loadLocalConfig(process.env);
  const options = Options.parse({
    port: values.port ?? env.port ?? '8080',
    dataDir: values['data-dir'] ?? '.skiff/data',
    inMemory: values['in-memory'],
    apiOnly: values['api-only'],
    nodesDir: values['nodes-dir'] ?? defaultNodesDir(values['in-memory'], values['data-dir']),
    containerEngine: values['container-engine'],
    nodes: values.nodes ?? '1',
    nodeType: values['node-type'],
    operators: values.operators,
  });
  if (options.operators && options.apiOnly)
    throw new ConfigError('--operators needs the controllers: drop --api-only');
  const plane = await startLocalControlPlane({
    port: options.port,
    dataDir: options.inMemory ? undefined : resolve(options.dataDir),
    resync: env.resync,
    nodeLifecycle: env.nodeLifecycle,
    ...(options.operators ? { operatorsPath: resolve(options.operators) } : {}),
    // The scheduler and local capacity run with the controllers: pods bound, local nodes launched.
    ...(options.apiOnly
      ? { controllers: [] }
      : {
          capacity: {
            tickSeconds: env.schedulerTickSeconds,
            defaultPool: { minNodes: options.nodes, nodeType: options.nodeType },
            nodes: {
              nodesDir: resolve(options.nodesDir),
              // With a store that persists, so do the nodes: a restart resumes them and their pods.
              ...(options.inMemory ? {} : { instancesFile: resolve(options.nodesDir, 'instances.json') }),
              ...(options.containerEngine
                ? { containerEngine: await containerEngineOf(options.containerEngine) }
                : {}),
            },
          },
        }),
  });
  const where = options.inMemory ? 'in memory' : `in ${resolve(options.dataDir)}`;
  console.log(`Skiff control plane listening on ${plane.url} (objects stored ${where})`);
  console.log(`Try: kubectl --server ${plane.url} apply -f examples/deployment.yaml`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: shutting down`);
    plane.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof z.ZodError) console.error(`invalid options: ${z.prettifyError(error)}\n${USAGE}`);
  else if (error instanceof ConfigError) console.error(`${error.message}\n${USAGE}`);
  else console.error(error);
  process.exit(1);
});
