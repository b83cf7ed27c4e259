import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from './engines/project-root';
import { remoteTarget, type RemoteTarget } from './remote-target';

const OUTPUT_TAIL_CHARS = 20_000;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/** `npm start` in its own process: a crash ends it, and the test sees that. */
export interface LocalServerProcess {
  url: string;
  port: number;
  pid: number;
  /** When the process was spawned (ms since the epoch). */
  startedAt: number;
  /** Why the process ended, or undefined while it runs. */
  exited(): string | undefined;
  /** The last 20,000 characters it wrote to stdout and stderr. */
  output(): string;
  /** Ctrl-C, as a user stops it; resolves with its exit code (or signal). */
  stop(): Promise<string>;
  /** `kill -9`, as a crash; resolves once the process is gone (and its data folder's lock with it). */
  kill(): Promise<void>;
}

export interface SpawnLocalServerOptions {
  /** main.ts options besides `--port 0`; default `--in-memory --api-only`. */
  args?: string[];
  /** Variables added to this process's environment. */
  env?: Record<string, string>;
}

/**
 * Starts lib/local/main.ts on a free port (by default in memory, without controllers) as a plain
 * `node` process, tsx loaded with --import: no wrapper process stands between, so the pid is the
 * server's own and a signal reaches the server itself. Resolves once it listens.
 */
export function spawnLocalServer(options: SpawnLocalServerOptions = {}): Promise<LocalServerProcess> {
  // The remote test target (SKIFF_API_URL or SKIFF_TARGET=localstack): the suite runs against it.
  const remote = remoteTarget();
  if (remote) return remoteServer(remote);
  const { args = ['--in-memory', '--api-only'], env = {} } = options;
  const startedAt = Date.now();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(PROJECT_ROOT, 'lib/local/main.ts'), '--port', '0', ...args],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let output = '';
  let exitReason: string | undefined;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      exitReason = signal ? `killed by ${signal}` : `exited with code ${code}`;
      resolve(exitReason);
    });
  });
  // If the test process goes away without stop(), the server goes with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the local server did not listen within ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    void exited.then((reason) => {
      clearTimeout(deadline);
      reject(new Error(`the local server ${reason} before listening:\n${output}`));
    });
    const onData = () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(output);
      if (!match) return;
      child.stdout?.removeListener('data', onData);
      clearTimeout(deadline);
      resolve({
        url: match[1],
        port: Number(match[2]),
        pid: child.pid ?? -1,
        startedAt,
        exited: () => exitReason,
        output: () => output,
        stop: async () => {
          process.removeListener('exit', killOnExit);
          if (exitReason !== undefined) return exitReason;
          child.kill('SIGINT');
          const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
          const reason = await exited;
          clearTimeout(timer);
          return reason;
        },
        kill: async () => {
          process.removeListener('exit', killOnExit);
          if (exitReason === undefined) child.kill('SIGKILL');
          await exited;
        },
      });
    };
    child.stdout?.on('data', onData);
  });
}

/**
 * A deployed API standing in for the local server (test/support/remote-target.ts), behind a
 * loopback proxy in a process of its own that adds its bearer token (remote-proxy.ts): the
 * deployed API is not this run's process, so stopping it stops only the proxy, and a test that
 * kills the server cannot run remotely.
 */
async function remoteServer(remote: RemoteTarget): Promise<LocalServerProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(PROJECT_ROOT, 'test/support/remote-proxy.ts')],
    {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, SKIFF_REMOTE_PROXY_TARGET: JSON.stringify(remote) },
    },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const deadline = setTimeout(
      () => reject(new Error(`the remote proxy did not listen: ${output}`)),
      START_TIMEOUT_MS,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(deadline);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`the remote proxy exited with ${code}: ${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    port: Number(new URL(url).port),
    pid: -1,
    startedAt: Date.now(),
    exited: () => undefined,
    output: () => `remote target ${remote.apiUrl} through ${url}`,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      child.kill('SIGTERM');
      await exited;
      return 'remote target: proxy stopped';
    },
    kill: () =>
      Promise.reject(
        new Error(`remote target ${remote.apiUrl}: a test that kills the server runs locally only`),
      ),
  };
}

/**
 * The TCP sockets process `pid` listens on, as `ss -Hltnp` (iproute2) reports them: local
 * address and port, e.g. `127.0.0.1:8080`.
 */
export function listeningAddresses(pid: number): string[] {
  return execFileSync('ss', ['-Hltnp'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(`pid=${pid},`))
    .map((line) => line.trim().split(/\s+/)[3]);
}
