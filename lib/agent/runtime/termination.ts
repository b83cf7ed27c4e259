import { constants } from 'node:os';
import type { ContainerTermination } from './container-runtime';

/**
 * How a process ended, turned into a containerStatus' terminated state the way container engines
 * report it: a signal N becomes exit code 128+N (SIGKILL 137, SIGTERM 143), and the kubelet's
 * reason is `Completed` for exit 0 and `Error` for anything else.
 *
 * @example termination(null, 'SIGKILL', start, end) // { exitCode: 137, signal: 9, reason: 'Error', ... }
 */
export function termination(
  code: number | null,
  signal: NodeJS.Signals | null,
  startedAt: Date,
  finishedAt: Date,
): ContainerTermination {
  if (signal !== null) {
    const number = constants.signals[signal];
    return { exitCode: 128 + number, signal: number, reason: 'Error', startedAt, finishedAt };
  }
  const exitCode = code ?? 0;
  return { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt, finishedAt };
}
