import { spawn } from 'node:child_process';
import type { ExecResult } from './container-runtime';
import { termination } from './termination';

/** The most of an exec's combined output kept: the kubelet reads no more of an exec probe's. */
export const EXEC_OUTPUT_LIMIT = 10 * 1024;

/** How long after the command exits a process it left behind may hold its output pipes. */
const PIPE_DRAIN_TIMEOUT_MS = 500;

export interface ProcessExecRequest {
  command: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd: string;
  timeoutSeconds: number;
}

/**
 * Runs one command as a host process in a container's env and working folder, in a process group
 * of its own so that a timeout kills everything it started. Answers as the CRI's ExecSync does: a
 * command that cannot be run answers 127 (not found) or 126 (not executable), as a shell would,
 * with the reason as its output, rather than throwing.
 */
export function execProcess(request: ProcessExecRequest): Promise<ExecResult> {
  const [file, ...args] = request.command;
  if (file === undefined)
    return Promise.resolve({ exitCode: 127, output: 'no command given', timedOut: false });
  const output = new LimitedOutput(EXEC_OUTPUT_LIMIT);
  const child = spawn(file, args, {
    cwd: request.cwd,
    env: request.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => output.write(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.write(chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, request.timeoutSeconds * 1000);
  timer.unref();
  child.once('exit', () => {
    // Like the container itself, nothing the command started outlives it.
    killGroup(child.pid);
    setTimeout(() => {
      child.stdout.destroy();
      child.stderr.destroy();
    }, PIPE_DRAIN_TIMEOUT_MS).unref();
  });
  return new Promise((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const exitCode = error.code === 'ENOENT' ? 127 : 126;
      resolve({ exitCode, output: `${file}: ${error.message}`, timedOut: false });
    });
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      const { exitCode } = termination(code, signal, new Date(0), new Date(0));
      resolve({ exitCode, output: output.text(), timedOut });
    });
  });
}

/** Kills a process group; one already gone (or never started) is not an error. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Bytes in the order written, kept up to a limit and dropped after (the kubelet's LimitWriter). */
export class LimitedOutput {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit: number) {}

  write(chunk: Buffer): void {
    const room = this.limit - this.size;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(kept);
    this.size += kept.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
