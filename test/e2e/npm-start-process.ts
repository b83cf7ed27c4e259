import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm start` run as a user runs it, in its own process group: tsx starts the server as a child
 * process of its own, so a signal meant for "the server" goes to the whole group, as a terminal's
 * job control sends it. SIGKILL to tsx alone would leave the server running.
 */
export interface NpmStartProcess {
  url: string;
  /** When the process was spawned (ms since the epoch). */
  startedAt: number;
  /** The last few KB of its stdout and stderr, for failure messages. */
  output(): string;
  /** `kill -9` of the group; resolves once no process of it is left. */
  kill(): Promise<void>;
}

const MAIN = join(__dirname, '../../lib/local/main.ts');
const TSX = join(__dirname, '../../node_modules/.bin/tsx');
const KEPT_OUTPUT = 8_000;

/** Every group started and not yet known dead, so a failing test can still kill them all. */
const running = new Set<number>();

/** Spawns `tsx lib/local/main.ts --port 0 --data-dir DIR` and resolves once it listens. */
export function startNpmStart(
  dataDir: string,
  env: Record<string, string> = {},
  startDeadlineMs = 30_000,
): Promise<NpmStartProcess> {
  const startedAt = Date.now();
  const child = spawn(TSX, [MAIN, '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, ...env },
  });
  const group = child.pid;
  if (group === undefined) return Promise.reject(new Error('npm start could not be spawned'));
  running.add(group);
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-KEPT_OUTPUT));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const server = (url: string): NpmStartProcess => ({
    url,
    startedAt,
    output: () => output,
    kill: () => killGroup(group, child),
  });
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      void killGroup(group, child);
      reject(new Error(`npm start did not listen within ${startDeadlineMs} ms:\n${output}`));
    }, startDeadlineMs);
    child.stdout?.on('data', () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (!match) return;
      clearTimeout(deadline);
      resolve(server(match[1]));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(deadline);
      reject(new Error(`npm start exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
}

/** Kills every group this module started that may still be alive (for afterAll). */
export async function killAllNpmStarts(): Promise<void> {
  await Promise.all([...running].map((group) => killGroup(group)));
}

async function killGroup(group: number, child?: ChildProcess): Promise<void> {
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
  child?.stdout?.destroy();
  child?.stderr?.destroy();
  // The server holds the LevelDB lock until the kernel has reaped it: wait for the whole group.
  const deadline = Date.now() + 10_000;
  while (groupAlive(group)) {
    if (Date.now() > deadline) throw new Error(`process group ${group} survived SIGKILL for 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  running.delete(group);
}

/**
 * Whether a process of the group is still running. A killed process whose parent died is reaped by
 * init, which may take its time: a zombie (state Z) holds no file lock any more, so it counts as
 * gone. Reads /proc, so this runs on Linux only, as the e2e suite does.
 */
function groupAlive(group: number): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so read after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === group && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}
