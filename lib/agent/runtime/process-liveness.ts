import { readdirSync, readFileSync } from 'node:fs';

/**
 * Whether a process (or, for a negative pid, a process group) has ended. A zombie counts as
 * ended: it runs nothing, and orphans wait as zombies until PID 1 reaps them, which some
 * sandboxes' init does only now and then.
 */
export function isProcessGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
    if ((error as NodeJS.ErrnoException).code === 'EPERM') return false;
    throw error;
  }
  if (pid < 0) return groupMembers(-pid)?.every((member) => processStat(member)?.state === 'Z') ?? false;
  return processStat(pid)?.state === 'Z';
}

/**
 * The process' start time in clock ticks since boot (Linux /proc/PID/stat field 22), which tells a
 * process apart from a later one given the same pid. Undefined without /proc or for a gone pid.
 */
export function processStartTime(pid: number): string | undefined {
  return processStat(pid)?.startTime;
}

interface ProcessStat {
  state: string;
  processGroup: number;
  startTime: string;
}

function processStat(pid: number): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: split after its last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], processGroup: Number(fields[2]), startTime: fields[19] };
}

/** The pids in a process group, from /proc; undefined without /proc. */
function groupMembers(group: number): number[] | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  return pids.map(Number).filter((pid) => processStat(pid)?.processGroup === group);
}
