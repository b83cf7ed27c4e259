import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { commandLine } from './command-line';
import { readContainerLog } from './container-log-reader';
import { ContainerLogWriter } from './container-log-writer';
import { ContainerPaths } from './container-paths';
import type {
  ContainerExit,
  ContainerHandle,
  ContainerRef,
  ContainerRuntime,
  ContainerState,
  ContainerTermination,
  ExecResult,
  LogOptions,
  RunningContainer,
  StartContainerRequest,
} from './container-runtime';
import { readContainerStates, writeContainerState, type ContainerStateRecord } from './container-state-file';
import { execProcess } from './process-exec';
import { isProcessGone, processStartTime } from './process-liveness';
import { termination } from './termination';

/** Thrown by `start` while the same pod's container still runs: the agent stops it first. */
export class ContainerAlreadyRunningError extends Error {
  constructor(ref: ContainerRef) {
    super(`container "${ref.container}" of pod "${ref.podUid}" is already running`);
    this.name = 'ContainerAlreadyRunningError';
  }
}

/**
 * Thrown by `start` when the process could not be started (no such executable, no permission):
 * what the CRI reports as a `StartError`.
 */
export class ContainerStartError extends Error {
  constructor(ref: ContainerRef, cause: Error) {
    super(`container "${ref.container}" of pod "${ref.podUid}" could not start: ${cause.message}`, { cause });
    this.name = 'ContainerStartError';
  }
}

/**
 * Thrown by `exec` when the container is not running in this runtime: never started, exited, or
 * started by an earlier agent (whose env the runtime no longer knows).
 */
export class ContainerNotRunningError extends Error {
  constructor(ref: ContainerRef) {
    super(`container "${ref.container}" of pod "${ref.podUid}" is not running`);
    this.name = 'ContainerNotRunningError';
  }
}

/** How long `stop` waits, after the main process ended, for the rest of its group to be gone. */
const GROUP_GONE_TIMEOUT_MS = 5_000;
/** How long after the main process exits a grandchild that escaped the group may hold its pipes. */
const PIPE_DRAIN_TIMEOUT_MS = 2_000;
/** How often `stop` looks whether a process it did not start (an earlier agent's) is gone. */
const GONE_POLL_MS = 50;

export interface ProcessRuntimeOptions {
  /** The node's data folder: containers' logs, records and default working folders go under `pods/`. */
  dataDir: string;
  /** The PATH a container gets unless its env sets one; default the agent's own. */
  path?: string;
  now?: () => Date;
}

/**
 * The `process` runtime: each container is a host process running its command and args, in its
 * own process group (so signals reach everything it started, as they reach everything in a
 * container), with exactly the env it is given plus PATH, in a working folder under the node's
 * data folder. As in a container, when the main process ends the rest of its group is killed.
 *
 * A container outlives the agent only until it next writes output: its stdout and stderr are pipes
 * to the agent, so a restarted agent finds the survivors with `list` and stops or replaces them.
 */
export class ProcessRuntime implements ContainerRuntime {
  private readonly paths: ContainerPaths;
  private readonly running = new Map<string, RunningProcess>();
  private readonly lastExit = new Map<string, ContainerTermination>();
  private readonly listeners = new Set<(exit: ContainerExit) => void>();
  private readonly now: () => Date;

  constructor(private readonly options: ProcessRuntimeOptions) {
    this.paths = new ContainerPaths(options.dataDir);
    this.now = options.now ?? (() => new Date());
  }

  async start(request: StartContainerRequest): Promise<ContainerHandle> {
    const key = keyOf(request);
    if (this.running.has(key)) throw new ContainerAlreadyRunningError(request);
    const argv = commandLine(request.container, request);
    await mkdir(this.paths.containerDir(request), { recursive: true });
    const cwd = request.workingDir ?? this.paths.workDir(request);
    if (request.workingDir === undefined) await mkdir(cwd, { recursive: true });
    const env = {
      PATH: this.options.path ?? process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      ...request.env,
    };
    const child = spawn(argv[0], argv.slice(1), {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await spawned(child).catch((error: Error) => {
      throw new ContainerStartError(request, error);
    });
    child.on('error', () => undefined); // a failed signal later is handled where it is sent
    const pid = child.pid as number; // set once 'spawn' fired
    const startedAt = this.now();
    const record: ContainerStateRecord = {
      podUid: request.podUid,
      container: request.container,
      attempt: request.attempt,
      pid,
      processStartTime: processStartTime(pid),
      startedAt: startedAt.toISOString(),
    };
    const log = new ContainerLogWriter(this.paths.logFile(request, request.attempt));
    child.stdout?.on('data', (chunk: Buffer) => log.write('stdout', chunk));
    child.stderr?.on('data', (chunk: Buffer) => log.write('stderr', chunk));
    const running: RunningProcess = { record, env, cwd, state: 'running', exited: undefined as never };
    running.exited = this.observe(child, running, log);
    this.running.set(key, running);
    await writeContainerState(this.paths, record);
    return {
      podUid: request.podUid,
      container: request.container,
      attempt: request.attempt,
      pid,
      startedAt,
      state: () => running.state,
      exited: running.exited,
    };
  }

  async stop(ref: ContainerRef, gracePeriodSeconds: number): Promise<ContainerTermination | undefined> {
    const running = this.running.get(keyOf(ref));
    if (running) return this.stopOwn(running, gracePeriodSeconds);
    const adopted = (await this.list()).find((container) => keyOf(container) === keyOf(ref));
    if (adopted) return this.stopAdopted(adopted, gracePeriodSeconds);
    return this.lastExit.get(keyOf(ref));
  }

  async list(): Promise<RunningContainer[]> {
    const records = await readContainerStates(this.paths);
    return records
      .filter((record) => this.running.has(keyOf(record)) || stillRunning(record))
      .map((record) => ({
        podUid: record.podUid,
        container: record.container,
        attempt: record.attempt,
        pid: record.pid,
        startedAt: new Date(record.startedAt),
      }));
  }

  async removePod(podUid: string): Promise<void> {
    const running = [...this.running.values()].find((candidate) => candidate.record.podUid === podUid);
    if (running) throw new ContainerAlreadyRunningError(running.record);
    if ((await this.list()).some((container) => container.podUid === podUid)) {
      throw new Error(`pod "${podUid}" still has running containers of an earlier agent: stop them first`);
    }
    await rm(this.paths.podDir(podUid), { recursive: true, force: true });
    for (const key of this.lastExit.keys()) if (key.startsWith(`${podUid}/`)) this.lastExit.delete(key);
  }

  onExit(listener: (exit: ContainerExit) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  logs(ref: ContainerRef, options: LogOptions = {}): AsyncIterable<string> {
    return readContainerLog(this.paths, ref, options, (attempt) => {
      const running = this.running.get(keyOf(ref));
      return running?.record.attempt === attempt ? running.exited : undefined;
    });
  }

  /**
   * Runs `command` as a host process with the container's env and working folder, killed with
   * whatever it started once `timeoutSeconds` pass. Throws ContainerNotRunningError unless this
   * runtime started the container and it still runs.
   */
  async exec(ref: ContainerRef, command: readonly string[], timeoutSeconds: number): Promise<ExecResult> {
    const running = this.running.get(keyOf(ref));
    if (running?.state !== 'running') throw new ContainerNotRunningError(ref);
    return execProcess({ command, env: running.env, cwd: running.cwd, timeoutSeconds });
  }

  /** Resolves with the termination once the process exited, its group is killed and its log is complete. */
  private observe(
    child: ChildProcess,
    running: RunningProcess,
    log: ContainerLogWriter,
  ): Promise<ContainerTermination> {
    const { record } = running;
    child.once('exit', () => {
      // The container ends with its main process: nothing it started may outlive it.
      signalGroup(record.pid, 'SIGKILL');
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, PIPE_DRAIN_TIMEOUT_MS).unref();
    });
    return new Promise((resolve) => {
      child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
        const ended = termination(code, signal, new Date(record.startedAt), this.now());
        void this.finish(running, log, ended).then(() => resolve(ended));
      });
    });
  }

  private async finish(
    running: RunningProcess,
    log: ContainerLogWriter,
    ended: ContainerTermination,
  ): Promise<void> {
    const { record } = running;
    await log.close();
    const { startedAt: _startedAt, finishedAt, ...rest } = ended;
    await writeContainerState(this.paths, {
      ...record,
      terminated: { ...rest, finishedAt: finishedAt.toISOString() },
    }).catch(
      () => undefined, // the pod's folder may already be removed; the exit still counts
    );
    running.state = 'exited';
    this.running.delete(keyOf(record));
    this.lastExit.set(keyOf(record), ended);
    const exit: ContainerExit = {
      podUid: record.podUid,
      container: record.container,
      attempt: record.attempt,
      termination: ended,
    };
    for (const listener of this.listeners) listener(exit);
  }

  private async stopOwn(running: RunningProcess, gracePeriodSeconds: number): Promise<ContainerTermination> {
    const { pid } = running.record;
    signalGroup(pid, 'SIGTERM');
    const inGrace = await withinTime(running.exited, gracePeriodSeconds * 1000);
    if (!inGrace) signalGroup(pid, 'SIGKILL');
    const ended = await running.exited;
    await until(() => isProcessGone(-pid), GROUP_GONE_TIMEOUT_MS);
    return ended;
  }

  /**
   * Stops a container an earlier agent started. Not being its parent, the runtime cannot read its
   * exit status: the termination says 143 when SIGTERM sufficed and 137 when SIGKILL was needed.
   */
  private async stopAdopted(
    container: RunningContainer,
    gracePeriodSeconds: number,
  ): Promise<ContainerTermination> {
    signalGroup(container.pid, 'SIGTERM');
    const inGrace = await until(() => isProcessGone(-container.pid), gracePeriodSeconds * 1000);
    if (!inGrace) {
      signalGroup(container.pid, 'SIGKILL');
      await until(() => isProcessGone(-container.pid), GROUP_GONE_TIMEOUT_MS);
    }
    const ended = termination(null, inGrace ? 'SIGTERM' : 'SIGKILL', container.startedAt, this.now());
    const record = (await readContainerStates(this.paths)).find(
      (candidate) => keyOf(candidate) === keyOf(container) && candidate.attempt === container.attempt,
    );
    if (record) {
      const { startedAt: _startedAt, finishedAt, ...rest } = ended;
      await writeContainerState(this.paths, {
        ...record,
        terminated: { ...rest, finishedAt: finishedAt.toISOString() },
      });
    }
    this.lastExit.set(keyOf(container), ended);
    return ended;
  }
}

interface RunningProcess {
  record: ContainerStateRecord;
  /** What `exec` runs with: the container's own env (PATH included) and working folder. */
  env: Readonly<Record<string, string>>;
  cwd: string;
  state: ContainerState;
  exited: Promise<ContainerTermination>;
}

function keyOf(ref: ContainerRef): string {
  return `${ref.podUid}/${ref.container}`;
}

/** A record of a process not yet seen to end whose pid still names that same process. */
function stillRunning(record: ContainerStateRecord): boolean {
  if (record.terminated || isProcessGone(record.pid)) return false;
  return record.processStartTime === undefined || processStartTime(record.pid) === record.processStartTime;
}

/** Signals a container's whole process group; one already gone is not an error. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function spawned(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether `promise` settles within `ms`; the timer does not outlive the answer. */
async function withinTime(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until `check` holds (true) or the time is up (false). */
async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() >= deadline) return false;
    await delay(GONE_POLL_MS);
  }
  return true;
}
