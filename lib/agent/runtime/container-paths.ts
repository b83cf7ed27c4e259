import { join } from 'node:path';
import type { ContainerRef } from './container-runtime';

/**
 * Where a container's files live under the node's data folder:
 * `<dataDir>/pods/<podUid>/<container>/` holds `<attempt>.log`, `<attempt>.state.json` and the
 * default working folder `work/`. Pod uids and container names are DNS labels or uuids, so they
 * are safe as path segments; attempts are numbers, so they never collide with `work`.
 */
export class ContainerPaths {
  constructor(readonly dataDir: string) {}

  get podsDir(): string {
    return join(this.dataDir, 'pods');
  }

  podDir(podUid: string): string {
    return join(this.podsDir, pathSegment(podUid));
  }

  containerDir(ref: ContainerRef): string {
    return join(this.podDir(ref.podUid), pathSegment(ref.container));
  }

  logFile(ref: ContainerRef, attempt: number): string {
    return join(this.containerDir(ref), `${attempt}.log`);
  }

  stateFile(ref: ContainerRef, attempt: number): string {
    return join(this.containerDir(ref), `${attempt}.state.json`);
  }

  workDir(ref: ContainerRef): string {
    return join(this.containerDir(ref), 'work');
  }
}

/** The attempt numbers of files in a container folder named `<attempt><suffix>`, ascending. */
export function attemptsIn(fileNames: readonly string[], suffix: string): number[] {
  return fileNames
    .filter((name) => name.endsWith(suffix) && /^\d+$/.test(name.slice(0, -suffix.length)))
    .map((name) => Number(name.slice(0, -suffix.length)))
    .sort((a, b) => a - b);
}

/** Refuses a name that could leave its folder (`..`, a slash): names come from API objects. */
function pathSegment(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`"${name}" is not a safe path segment`);
  return name;
}
