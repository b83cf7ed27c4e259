import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { freePort } from './free-port';
import type { EngineName, RunningEngine } from './running-engine';
import { waitForHttp } from './wait-for-http';

/**
 * Runs the server as a background job of a small bash watchdog whose stdin is a pipe from this
 * process. When this process dies for any reason (a crash, Ctrl-C, even SIGKILL) the kernel closes
 * the pipe, `read` sees EOF and the watchdog stops the server: it never outlives the jest run.
 * SIGTERM, SIGINT or SIGHUP to the watchdog stop the server too.
 */
const WATCHDOG = `
exec 3<&0 0</dev/null
"$@" 3<&- &
server=$!
{ read -r -u 3 _ || true; kill -TERM "$server" 2>/dev/null; } &
watcher=$!
exec 3<&-
trap 'kill -TERM "$server" 2>/dev/null' TERM INT HUP
wait "$server"
status=$?
while kill -0 "$server" 2>/dev/null; do wait "$server"; status=$?; done
kill "$watcher" 2>/dev/null
exit "$status"
`;

const OUTPUT_TAIL_CHARS = 4_000;
const STOP_TIMEOUT_MS = 10_000;
const PORT_ATTEMPTS = 3;

export interface ServerCommand {
  name: EngineName;
  /** The command line for a given port; the server must listen on 127.0.0.1 only. */
  command: (port: number) => { file: string; args: string[] };
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** How long the server may take to answer HTTP. */
  readyTimeoutMs: number;
}

type WatchdogProcess = ChildProcessByStdio<Writable, Readable, Readable>;

/**
 * Spawns a server on a free loopback port, waits until it answers HTTP, and returns it with a
 * `stop()` that resolves once the process is gone. A port taken between our check and the
 * server's bind is retried with another port.
 */
export async function spawnServer(server: ServerCommand): Promise<RunningEngine> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await startOnPort(server, port);
    } catch (error) {
      const portTaken =
        error instanceof Error && /address already in use|BindException|Errno 98/i.test(error.message);
      if (!portTaken || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

async function startOnPort(server: ServerCommand, port: number): Promise<RunningEngine> {
  const { file, args } = server.command(port);
  const child: WatchdogProcess = spawn('bash', ['-c', WATCHDOG, 'watchdog', file, ...args], {
    cwd: server.cwd,
    env: server.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  };
  // Always drain: a full pipe would block the server.
  child.stdout.on('data', keepTail);
  child.stderr.on('data', keepTail);
  let exitReason: string | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      spawnError = error;
      exitReason = `could not start: ${error.message}`;
      resolve();
    });
    child.once('exit', (code, signal) => {
      exitReason = `exited with ${signal ?? `code ${code}`}`;
      resolve();
    });
  });
  // Belt and braces: if this process exits normally without stop(), signal the watchdog now.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (exitReason === undefined) {
      child.stdin.end();
      child.kill('SIGTERM');
    }
    const timedOut = await Promise.race([
      exited.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS, true).unref()),
    ]);
    if (timedOut) {
      child.kill('SIGKILL');
      throw new Error(`${server.name} did not stop within ${STOP_TIMEOUT_MS} ms; killed its watchdog`);
    }
  };

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(endpoint, { timeoutMs: server.readyTimeoutMs, abandoned: () => exitReason });
  } catch (error) {
    await stop().catch(() => undefined);
    const reason = spawnError?.message ?? (error instanceof Error ? error.message : String(error));
    throw new Error(`${server.name} did not start: ${reason}\n--- its output ---\n${output.trim()}`);
  }
  return { name: server.name, endpoint, stop };
}
