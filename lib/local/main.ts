import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import * as z from 'zod';
import { SKIFF_PORT } from '../config/env-names';
import { startLocalControlPlane } from './local-control-plane';

/**
 * `npm start`: runs the control plane on the embedded engine. Objects persist in `.skiff/data`
 * unless `--in-memory` is given. Ctrl-C drains requests and closes the store cleanly.
 */
const USAGE = `usage: npm start -- [--port N] [--data-dir DIR] [--in-memory] [--api-only]
  --port N        port on 127.0.0.1 (default 8080, env SKIFF_PORT; 0 picks a free port)
  --data-dir DIR  where objects persist (default .skiff/data)
  --in-memory     keep objects in memory only
  --api-only      serve the API without running the controllers`;

const Options = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  dataDir: z.string().min(1),
  inMemory: z.boolean(),
  apiOnly: z.boolean(),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'in-memory': { type: 'boolean', default: false },
      'api-only': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const options = Options.parse({
    port: values.port ?? process.env[SKIFF_PORT] ?? '8080',
    dataDir: values['data-dir'] ?? '.skiff/data',
    inMemory: values['in-memory'],
    apiOnly: values['api-only'],
  });
  const plane = await startLocalControlPlane({
    port: options.port,
    dataDir: options.inMemory ? undefined : resolve(options.dataDir),
    ...(options.apiOnly ? { controllers: [] } : {}),
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
  console.error(error instanceof z.ZodError ? `invalid options: ${z.prettifyError(error)}\n${USAGE}` : error);
  process.exit(1);
});
