import { watch, type FSWatcher } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { attemptsIn, type ContainerPaths } from './container-paths';
import type { ContainerRef, LogOptions } from './container-runtime';
import { parseLogLine, servedLogLine } from './log-line';

/** Thrown when the log asked for does not exist, as the kubelet answers a missing `previous`. */
export class ContainerLogNotFoundError extends Error {
  constructor(ref: ContainerRef, previous: boolean) {
    const which = previous ? 'previous terminated container' : 'container';
    super(`${which} "${ref.container}" in pod "${ref.podUid}" not found`);
    this.name = 'ContainerLogNotFoundError';
  }
}

/**
 * Without a change seen by the file watcher, a follower still looks this often: inotify can miss
 * events (some file systems do not report them), and a missed one must not stall a stream.
 */
const FOLLOW_POLL_MS = 250;

/**
 * Serves a container's log from its files: the latest attempt, or with `previous` the one before;
 * the last `tailLines`; each line with its timestamp when asked; and with `follow` the lines
 * written after, until `whenExited` resolves and the file is drained. `whenExited(attempt)`
 * answers undefined when that attempt is not running, so the stream ends at the file's end.
 */
export async function* readContainerLog(
  paths: ContainerPaths,
  ref: ContainerRef,
  options: LogOptions,
  whenExited: (attempt: number) => Promise<unknown> | undefined,
): AsyncGenerator<string> {
  const attempt = await chooseAttempt(paths, ref, options.previous ?? false);
  const timestamps = options.timestamps ?? false;
  const exited = options.follow && !options.previous ? whenExited(attempt) : undefined;
  const file = await open(paths.logFile(ref, attempt), 'r');
  const watcher = exited ? watchFile(paths.logFile(ref, attempt)) : undefined;
  const stop = () => watcher?.wake();
  options.signal?.addEventListener('abort', stop);
  try {
    let exitSeen = false;
    void exited?.then(() => {
      exitSeen = true;
      watcher?.wake();
    });
    const reader = new LineReader(file);
    let lines = await reader.readAvailable();
    if (options.tailLines !== undefined) lines = lines.slice(Math.max(0, lines.length - options.tailLines));
    // Done once a read began after the exit: the writer has flushed everything before `exited` resolves.
    let done = exited === undefined;
    for (;;) {
      for (const text of lines) {
        const line = parseLogLine(text);
        if (line) yield servedLogLine(line, timestamps);
      }
      if (done || options.signal?.aborted) return;
      const exitedBeforeRead = exitSeen;
      if (!exitedBeforeRead) await watcher?.changed(FOLLOW_POLL_MS);
      if (options.signal?.aborted) return;
      lines = await reader.readAvailable();
      done = exitedBeforeRead;
    }
  } finally {
    options.signal?.removeEventListener('abort', stop);
    watcher?.close();
    await file.close();
  }
}

async function chooseAttempt(paths: ContainerPaths, ref: ContainerRef, previous: boolean): Promise<number> {
  const names = await readdir(paths.containerDir(ref)).catch(() => [] as string[]);
  const attempts = attemptsIn(names, '.log');
  const attempt = attempts.at(previous ? -2 : -1);
  if (attempt === undefined) throw new ContainerLogNotFoundError(ref, previous);
  return attempt;
}

/** Reads whole lines from an open file as it grows, keeping an unfinished last line for later. */
class LineReader {
  private offset = 0;
  private rest = Buffer.alloc(0);

  constructor(private readonly file: Awaited<ReturnType<typeof open>>) {}

  async readAvailable(): Promise<string[]> {
    const chunks: Buffer[] = [this.rest];
    for (;;) {
      const buffer = Buffer.alloc(64 * 1024);
      const { bytesRead } = await this.file.read(buffer, 0, buffer.length, this.offset);
      if (bytesRead === 0) break;
      this.offset += bytesRead;
      chunks.push(buffer.subarray(0, bytesRead));
    }
    const data = Buffer.concat(chunks);
    const end = data.lastIndexOf(0x0a);
    this.rest = data.subarray(end + 1);
    if (end < 0) return [];
    return data.subarray(0, end).toString('utf8').split('\n');
  }
}

/** Wakes a follower when its file changes, when told, or after a timeout, whichever comes first. */
function watchFile(path: string): { changed(timeoutMs: number): Promise<void>; wake(): void; close(): void } {
  let wake: (() => void) | undefined;
  let dirty = false;
  const notify = (): void => {
    dirty = true;
    wake?.();
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(path, notify);
    watcher.on('error', () => undefined);
  } catch {
    watcher = undefined; // polling alone still serves the stream
  }
  return {
    changed: (timeoutMs) =>
      new Promise<void>((resolve) => {
        if (dirty) {
          dirty = false;
          resolve();
          return;
        }
        const timer = setTimeout(done, timeoutMs);
        function done(): void {
          clearTimeout(timer);
          wake = undefined;
          dirty = false;
          resolve();
        }
        wake = done;
      }),
    wake: notify,
    close: () => watcher?.close(),
  };
}
