import type { ExecResult } from '../container-runtime';
import { EXEC_OUTPUT_LIMIT, LimitedOutput } from '../process-exec';
import type { EngineCli } from './engine-cli';

/** Exit code answered when the exec outlived its timeout: SIGKILL's, as the process runtime's. */
const TIMED_OUT_EXIT_CODE = 137;

/**
 * Runs a command in a running engine container with `exec`, as the CRI's ExecSync does: its exit
 * code and its stdout and stderr interleaved as they arrive, cut at 10 KiB. On timeout the CLI is
 * killed and the answer says so; the command inside may run on, as the engine gives no handle on
 * it (the kubelet's dockershim had the same limit).
 */
export function engineExec(
  engine: EngineCli,
  engineName: string,
  command: readonly string[],
  timeoutSeconds: number,
): Promise<ExecResult> {
  if (command.length === 0)
    return Promise.resolve({ exitCode: 127, output: 'no command given', timedOut: false });
  const output = new LimitedOutput(EXEC_OUTPUT_LIMIT);
  const child = engine.spawn(['exec', engineName, ...command], ['ignore', 'pipe', 'pipe']);
  child.stdout?.on('data', (chunk: Buffer) => output.write(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.write(chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutSeconds * 1000);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code: number | null) => {
      clearTimeout(timer);
      if (timedOut) resolve({ exitCode: TIMED_OUT_EXIT_CODE, output: output.text(), timedOut });
      else resolve({ exitCode: code ?? TIMED_OUT_EXIT_CODE, output: output.text(), timedOut });
    });
  });
}
