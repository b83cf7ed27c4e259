import { spawn, type ChildProcess } from 'node:child_process';

/** How the agent reaches the node's OCI engine: its docker-compatible CLI. */
export interface EngineOptions {
  /** The CLI's path or name: `docker` on EC2, `podman` where there is no Docker daemon. */
  engine: string;
  /**
   * Global flags put before every command, e.g. podman's
   * `['--runtime', '/usr/sbin/runc', '--cgroup-manager=cgroupfs']`.
   */
  engineArgs?: readonly string[];
  /** Variables added to the CLI's environment (e.g. `CONTAINERS_CONF`); never a container's. */
  engineEnv?: Readonly<Record<string, string>>;
}

/** Thrown when an engine command exits non-zero: its exit code and what it said on stderr. */
export class EngineCommandError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${command} failed (exit ${exitCode ?? 'by signal'}): ${stderr.trim() || 'no output'}`);
    this.name = 'EngineCommandError';
  }
}

/** The most of a command's stderr kept for its error: engines say what went wrong in a few lines. */
const STDERR_LIMIT = 8 * 1024;

/**
 * Runs the engine's CLI. The CLI gets the agent's environment plus `engineEnv` (it needs PATH,
 * HOME and its own settings); a container's env reaches it only by name, in `extraEnv`, so that
 * values never appear on a command line.
 */
export class EngineCli {
  constructor(private readonly options: EngineOptions) {}

  /** The command's stdout; throws EngineCommandError when it exits non-zero. */
  async run(args: readonly string[], extraEnv: Readonly<Record<string, string>> = {}): Promise<string> {
    const child = this.spawn(args, ['ignore', 'pipe', 'pipe'], extraEnv);
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_LIMIT) stderr += chunk.toString('utf8');
    });
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (exitCode !== 0) throw new EngineCommandError(this.describe(args), exitCode, stderr);
    return Buffer.concat(stdout).toString('utf8');
  }

  /** Starts a long-running command (attach, exec) whose streams the caller reads. */
  spawn(
    args: readonly string[],
    stdio: ['ignore', 'pipe', 'pipe'],
    extraEnv: Readonly<Record<string, string>> = {},
  ): ChildProcess {
    return spawn(this.options.engine, [...(this.options.engineArgs ?? []), ...args], {
      env: { ...process.env, ...this.options.engineEnv, ...extraEnv },
      stdio,
    });
  }

  /** The engine and subcommand, for messages: never the rest, which may name env variables. */
  describe(args: readonly string[]): string {
    return `${this.options.engine} ${args[0] ?? ''}`.trim();
  }
}
