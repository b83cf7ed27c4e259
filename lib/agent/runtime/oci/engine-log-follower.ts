import { open } from 'node:fs/promises';
import type { ContainerLogWriter } from '../container-log-writer';
import { parseLogLine } from '../log-line';
import type { EngineCli } from './engine-cli';

/** How much of a log file's end is read to find its last line's timestamp. */
const TAIL_BYTES = 64 * 1024;

/**
 * Follows an engine container's output with `logs --follow` into its attempt's log file, stdout
 * and stderr apart, from its first line or from `since` (RFC 3339). Resolves once the container
 * has exited and the engine has given all of it; never rejects.
 *
 * The engine's own log is read rather than attaching: `docker start --attach` forwards the CLI's
 * signals to the container (it has no `--sig-proxy=false`), so stopping the agent would stop its
 * containers; and a later agent resumes from where the file ends with nothing lost.
 */
export function followEngineLog(
  engine: EngineCli,
  engineName: string,
  log: ContainerLogWriter,
  since?: string,
): Promise<void> {
  const follower = engine.spawn(
    ['logs', '--follow', ...(since ? ['--since', since] : []), engineName],
    ['ignore', 'pipe', 'pipe'],
  );
  follower.stdout?.on('data', (chunk: Buffer) => log.write('stdout', chunk));
  follower.stderr?.on('data', (chunk: Buffer) => log.write('stderr', chunk));
  return new Promise((resolve) => {
    follower.once('error', () => resolve());
    follower.once('close', () => resolve());
  });
}

/**
 * The timestamp of the last line in a log file, from which a restarted agent resumes following:
 * lines are stamped when they reach the agent, after the engine stamped them, so every line the
 * engine stamped later is one the file does not have yet.
 */
export async function lastLogTimestamp(path: string): Promise<string | undefined> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return undefined;
  try {
    const { size } = await file.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await file.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n').reverse();
    for (const text of lines) {
      const line = parseLogLine(text);
      if (line) return line.timestamp;
    }
    return undefined;
  } finally {
    await file.close();
  }
}
