import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** One listening TCP socket as `ss -ltnpH` reports it. */
export interface Listener {
  /** The local address without the port, e.g. `127.1.0.2`. */
  address: string;
  port: number;
  /** Every process holding the socket (usually one). */
  pids: number[];
}

/**
 * Every listening TCP socket on the host with the processes that hold it, from iproute2's
 * `ss -ltnpH`. Sockets of other users' processes come without pids.
 */
export function hostListeners(): Listener[] {
  return execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const local = line.trim().split(/\s+/)[3];
      const colon = local.lastIndexOf(':');
      return {
        address: local.slice(0, colon).replace(/^\[|\]$/g, ''),
        port: Number(local.slice(colon + 1)),
        pids: [...line.matchAll(/pid=(\d+)/g)].map((match) => Number(match[1])),
      };
    });
}

/** The process listening on `address:port`, or undefined when none is. */
export function pidListeningOn(address: string, port: number): number | undefined {
  return hostListeners().find((listener) => listener.address === address && listener.port === port)?.pids[0];
}

/** The parent of every live process, read from /proc/<pid>/stat (field 4, after the command). */
function parents(): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command is in parentheses and may itself hold spaces or parentheses.
      const afterCommand = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byPid.set(Number(entry), Number(afterCommand[1]));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return byPid;
}

/** Every live process below `pid` (children, their children, ...). */
export function descendantsOf(pid: number): number[] {
  const byPid = parents();
  const found: number[] = [];
  const below = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [child, parent] of byPid) {
      if (below.has(parent) && !below.has(child)) {
        below.add(child);
        found.push(child);
        grew = true;
      }
    }
  }
  return found;
}

/** The process's working folder, or undefined once it is gone (or not ours to read). */
export function workingFolder(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

/** Whether `path` is `dir` or inside it. */
const isWithin = (path: string | undefined, dir: string) =>
  path !== undefined && (path === dir || path.startsWith(`${dir}/`));

/**
 * Live processes whose working folder is inside `dir`: the process runtime starts each
 * container in a folder under its node's data folder, so this finds a cluster's pod processes
 * even once they are orphaned (their parent gone, adopted by init).
 */
export function processesWorkingIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => isWithin(workingFolder(pid), dir));
}

/** Whether process `pid` works inside `dir` (see processesWorkingIn). */
export function worksIn(pid: number, dir: string): boolean {
  return isWithin(workingFolder(pid), dir);
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** The process's state letter from /proc (`Z` for a zombie), or undefined once it is gone. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/** `<pid> <state> ppid=<parent> <command line>` for a failure message; `<pid> gone` once it is. */
export function describeProcess(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    return `${pid} ${state} ppid=${parent} ${commandLine.slice(0, 80)}`;
  } catch {
    return `${pid} gone`;
  }
}
