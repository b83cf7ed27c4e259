import { readFileSync } from 'node:fs';

/** CPU time used so far, in milliseconds: by this (the main) thread, and by the whole process. */
export interface CpuTime {
  /** Undefined where /proc/thread-self is not there (not Linux). */
  mainThreadMs?: number;
  processMs: number;
}

/** Linux's clock ticks per second for /proc stat times (USER_HZ, 100 on every mainstream build). */
const TICKS_PER_SECOND = 100;

/**
 * Reads the CPU clocks. On a shared machine wall time moves with the neighbours' load; CPU time
 * says what the work itself cost, and the main thread's (which runs the API, store and
 * controllers, while dynalite has its own thread) bounds how fast the run can go on idle cores.
 */
export function cpuTime(): CpuTime {
  const { user, system } = process.cpuUsage();
  return { mainThreadMs: mainThreadMs(), processMs: (user + system) / 1000 };
}

/** The CPU used between two readings. */
export function cpuSince(start: CpuTime): CpuTime {
  const now = cpuTime();
  return {
    mainThreadMs:
      now.mainThreadMs !== undefined && start.mainThreadMs !== undefined
        ? now.mainThreadMs - start.mainThreadMs
        : undefined,
    processMs: now.processMs - start.processMs,
  };
}

function mainThreadMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU time another process has used so far, in milliseconds, from /proc (Linux only). */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}
