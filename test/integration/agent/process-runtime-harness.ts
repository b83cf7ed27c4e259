import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerRef, LogOptions } from '../../../lib/agent/runtime/container-runtime';
import { ProcessRuntime } from '../../../lib/agent/runtime/process-runtime';
import { eventually } from '../../support/eventually';

/** Node itself, so containers run the same interpreter whatever PATH they get. */
export const NODE = process.execPath;

/**
 * A ProcessRuntime on a fresh data folder, and what the tests need around it. `cleanUp` kills
 * whatever a test left running and removes the folder.
 */
export function aProcessRuntime(): {
  dataDir: string;
  runtime: ProcessRuntime;
  logText(ref: ContainerRef, options?: LogOptions): Promise<string[]>;
  waitForLog(ref: ContainerRef, line: string): Promise<void>;
  cleanUp(): Promise<void>;
} {
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-agent-'));
  const runtime = new ProcessRuntime({ dataDir });
  const logText = async (ref: ContainerRef, options: LogOptions = {}): Promise<string[]> => {
    const lines: string[] = [];
    for await (const line of runtime.logs(ref, options)) lines.push(line.replace(/\n$/, ''));
    return lines;
  };
  return {
    dataDir,
    runtime,
    logText,
    waitForLog: async (ref, line) => {
      await eventually(async () => expect(await logText(ref)).toContain(line));
    },
    cleanUp: async () => {
      for (const container of await runtime.list()) await runtime.stop(container, 0);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
