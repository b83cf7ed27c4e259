import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { attemptsIn, type ContainerPaths } from './container-paths';

/**
 * What the process runtime records beside each attempt's log: enough for a later run of the agent
 * to find the process (its pid and, on Linux, its start time, which tells it from a later process
 * given the same pid) and, once it ended, how.
 */
export const ContainerStateRecord = z.object({
  podUid: z.string(),
  container: z.string(),
  attempt: z.number().int().nonnegative(),
  pid: z.number().int().positive(),
  processStartTime: z.string().optional(),
  startedAt: z.iso.datetime(),
  terminated: z
    .object({
      exitCode: z.number().int(),
      signal: z.number().int().optional(),
      reason: z.enum(['Completed', 'Error', 'OOMKilled']),
      finishedAt: z.iso.datetime(),
    })
    .optional(),
});
export type ContainerStateRecord = z.infer<typeof ContainerStateRecord>;

export async function writeContainerState(
  paths: ContainerPaths,
  record: ContainerStateRecord,
): Promise<void> {
  await writeFile(paths.stateFile(record, record.attempt), JSON.stringify(record));
}

/**
 * Every attempt's record under the data folder, skipping files that do not parse (an agent killed
 * mid-write leaves at worst one such file, for an attempt whose process it then cannot find).
 */
export async function readContainerStates(paths: ContainerPaths): Promise<ContainerStateRecord[]> {
  const records: ContainerStateRecord[] = [];
  for (const podUid of await entries(paths.podsDir)) {
    for (const container of await entries(join(paths.podsDir, podUid))) {
      const folder = join(paths.podsDir, podUid, container);
      for (const attempt of attemptsIn(await entries(folder), '.state.json')) {
        const text = await readFile(join(folder, `${attempt}.state.json`), 'utf8').catch(() => undefined);
        const parsed = text === undefined ? undefined : ContainerStateRecord.safeParse(safeJson(text));
        if (parsed?.success) records.push(parsed.data);
      }
    }
  }
  return records;
}

async function entries(folder: string): Promise<string[]> {
  return (await readdir(folder).catch(() => [] as string[])).sort();
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
