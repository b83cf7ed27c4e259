import { mkdirSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
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
import { EngineCli, EngineCommandError, type EngineOptions } from './oci/engine-cli';
import {
  EngineContainer,
  engineContainerName,
  engineContainerRef,
  engineLabels,
  engineTermination,
  engineTime,
  LABELS,
} from './oci/engine-container';
import { engineEnv, engineEnvArgs } from './oci/engine-env';
import { engineExec } from './oci/engine-exec';
import { ensureImage } from './oci/engine-image';
import { followEngineLog, lastLogTimestamp } from './oci/engine-log-follower';
import {
  ContainerAlreadyRunningError,
  ContainerNotRunningError,
  ContainerStartError,
} from './process-runtime';

export { ImagePullError } from './oci/engine-image';

export interface OciRuntimeOptions extends EngineOptions {
  /** The node's data folder: containers' logs go under `pods/`, as the process runtime's do. */
  dataDir: string;
  now?: () => Date;
}

/**
 * The `container` runtime: each attempt of a container is one engine container, created and run
 * through the engine's docker-compatible CLI (docker on EC2, podman elsewhere), named
 * `skiff_<podUid>_<container>_<attempt>` and labelled with its pod, container, attempt and the
 * node's data folder, so a later run of the agent finds it. Containers share the host's network
 * (`--network host`), so a container binds the pod's own loopback IP from `POD_IP` as a process
 * of the process runtime does.
 *
 * The runtime follows each container's output (`logs --follow`) into the same per-attempt log
 * files as the process runtime, so `logs` serves timestamps, tailLines, previous and follow the
 * same way. The exit code comes from the engine's state.
 */
export class OciRuntime implements ContainerRuntime {
  private readonly engine: EngineCli;
  private readonly paths: ContainerPaths;
  private readonly dataDir: string;
  private readonly running = new Map<string, Followed>();
  /** Engine names being started: `list` must not follow them a second time meanwhile. */
  private readonly starting = new Set<string>();
  private readonly lastExit = new Map<string, ContainerTermination>();
  private readonly listeners = new Set<(exit: ContainerExit) => void>();
  private readonly now: () => Date;

  constructor(options: OciRuntimeOptions) {
    this.engine = new EngineCli(options);
    this.dataDir = resolve(options.dataDir);
    this.paths = new ContainerPaths(this.dataDir);
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Pulls the image if absent (ImagePullError when that fails), creates the engine container,
   * starts it and follows its output. Throws ContainerStartError when the engine cannot start it
   * (no such executable in the image), as the CRI reports a `StartError`.
   */
  async start(request: StartContainerRequest): Promise<ContainerHandle> {
    const key = keyOf(request);
    if (this.running.has(key)) throw new ContainerAlreadyRunningError(request);
    const { image, defaults } = await ensureImage(this.engine, request.image);
    const run: ImageRun = { image, argv: commandLine(request.container, request, defaults) };
    await mkdir(this.paths.containerDir(request), { recursive: true });
    const name = engineContainerName(request, request.attempt);
    this.starting.add(name);
    let followed: Followed;
    try {
      followed = await this.createAndStart(request, name, run);
    } finally {
      this.starting.delete(name);
    }
    return {
      podUid: request.podUid,
      container: request.container,
      attempt: request.attempt,
      pid: followed.pid,
      startedAt: followed.startedAt,
      state: () => followed.state,
      exited: followed.exited,
    };
  }

  /** `engine stop -t <grace>`: the image's stop signal (SIGTERM by default), SIGKILL after the grace. */
  async stop(ref: ContainerRef, gracePeriodSeconds: number): Promise<ContainerTermination | undefined> {
    const followed = this.running.get(keyOf(ref)) ?? (await this.adoptedOrNot(ref));
    if (followed) {
      // `-t`: docker 25+ names it --timeout, podman --time; both take -t.
      await this.engine
        .run(['stop', '-t', String(Math.max(0, Math.ceil(gracePeriodSeconds))), followed.name])
        .catch(ignoreEngineError); // it may have exited meanwhile: `exited` still answers
      return followed.exited;
    }
    return this.lastExit.get(keyOf(ref)) ?? this.latestTermination(ref);
  }

  /** The node's running engine containers; those an earlier agent started are followed again. */
  async list(): Promise<RunningContainer[]> {
    const containers = await this.engineContainers();
    const listed: RunningContainer[] = [];
    for (const container of containers) {
      const ref = engineContainerRef(container);
      if (!ref || !container.State.Running) continue;
      const followed = this.running.get(keyOf(ref));
      if (followed && followed.attempt !== ref.attempt) continue; // not reached: start refuses while an attempt runs
      if (!followed && !this.starting.has(engineContainerName(ref, ref.attempt))) this.adopt(ref, container);
      listed.push({
        ...ref,
        pid: container.State.Pid,
        startedAt: engineTime(container.State.StartedAt) ?? this.now(),
      });
    }
    return listed;
  }

  /** Removes the pod's engine containers (all exited) and its log files. */
  async removePod(podUid: string): Promise<void> {
    const running = (await this.list()).find((container) => container.podUid === podUid);
    if (running) throw new ContainerAlreadyRunningError(running);
    const ids = (await this.engineContainers())
      .filter((container) => engineContainerRef(container)?.podUid === podUid)
      .map((container) => container.Id);
    if (ids.length > 0) await this.engine.run(['rm', '--force', ...ids]);
    await rm(this.paths.podDir(podUid), { recursive: true, force: true });
    for (const key of this.lastExit.keys()) if (key.startsWith(`${podUid}/`)) this.lastExit.delete(key);
  }

  onExit(listener: (exit: ContainerExit) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  logs(ref: ContainerRef, options: LogOptions = {}): AsyncIterable<string> {
    return readContainerLog(this.paths, ref, options, (attempt) => {
      const followed = this.running.get(keyOf(ref));
      return followed?.attempt === attempt ? followed.exited : undefined;
    });
  }

  /** `engine exec` in the running container; ContainerNotRunningError when it does not run. */
  async exec(ref: ContainerRef, command: readonly string[], timeoutSeconds: number): Promise<ExecResult> {
    const followed = this.running.get(keyOf(ref)) ?? (await this.adoptedOrNot(ref));
    if (followed?.state !== 'running') throw new ContainerNotRunningError(ref);
    return engineExec(this.engine, followed.name, command, timeoutSeconds);
  }

  /** Creates and starts the engine container, and follows its output into the attempt's log. */
  private async createAndStart(
    request: StartContainerRequest,
    name: string,
    run: ImageRun,
  ): Promise<Followed> {
    await this.create(request, name, run);
    // The attempt's log exists once `start` answers, so `logs` reads this attempt, not the last.
    const logFile = this.paths.logFile(request, request.attempt);
    await writeFile(logFile, '', { flag: 'a' });
    await this.engine.run(['start', name]).catch((error: unknown) => {
      if (!(error instanceof EngineCommandError)) throw error;
      throw new ContainerStartError(request, new Error(startFailure(error.stderr)));
    });
    const started = await this.inspect(name);
    if (!started) throw new ContainerStartError(request, new Error('the engine no longer has it'));
    const log = new ContainerLogWriter(logFile);
    return this.track(request, name, started, followEngineLog(this.engine, name, log), log);
  }

  /**
   * Creates the engine container. The env goes through a file only the agent can read, removed
   * once the engine has it, and through the CLI's own environment (engine-env.ts): never on the
   * command line. An engine container of the same name, left by an earlier try, is replaced.
   */
  private async create(request: StartContainerRequest, name: string, run: ImageRun): Promise<void> {
    const [entrypoint, ...args] = run.argv;
    await this.engine.run(['rm', '--force', name]).catch(ignoreEngineError);
    const env = engineEnv(request.env);
    const envFile = join(this.paths.containerDir(request), `.${request.attempt}.env`);
    const labels = Object.entries(engineLabels(request, request.attempt, this.dataDir)).flatMap(
      ([label, value]) => ['--label', `${label}=${value}`],
    );
    try {
      await writeFile(envFile, env.fileText, { mode: 0o600 });
      await this.engine.run(
        [
          'create',
          '--name',
          name,
          ...labels,
          '--network',
          'host',
          ...engineEnvArgs(env, envFile),
          '--entrypoint',
          entrypoint,
          ...(request.workingDir ? ['--workdir', request.workingDir] : []),
          run.image,
          ...args,
        ],
        env.byName,
      );
    } catch (error) {
      if (error instanceof EngineCommandError) throw new ContainerStartError(request, error);
      throw error;
    } finally {
      await rm(envFile, { force: true });
    }
  }

  /**
   * Follows a running container of an earlier agent, resuming its log after the file's last line
   * (what it wrote while no agent followed it included), so `stop` reads its real exit code.
   */
  private adopt(ref: ContainerRef & { attempt: number }, container: EngineContainer): void {
    // Synchronous up to `track`, so two concurrent lists cannot follow it twice.
    mkdirSync(this.paths.containerDir(ref), { recursive: true });
    const name = engineContainerName(ref, ref.attempt);
    const file = this.paths.logFile(ref, ref.attempt);
    const log = new ContainerLogWriter(file);
    const logEnded = lastLogTimestamp(file)
      .catch(() => undefined) // an unreadable file: follow from the start
      .then((since) => followEngineLog(this.engine, name, log, since));
    this.track(ref, name, container, logEnded, log);
  }

  private async adoptedOrNot(ref: ContainerRef): Promise<Followed | undefined> {
    await this.list();
    return this.running.get(keyOf(ref));
  }

  /** Follows a started container to its end: the engine's exit code once its log has ended. */
  private track(
    ref: ContainerRef & { attempt: number },
    name: string,
    started: EngineContainer,
    logEnded: Promise<unknown>,
    log: ContainerLogWriter,
  ): Followed {
    const followed: Followed = {
      podUid: ref.podUid,
      container: ref.container,
      attempt: ref.attempt,
      name,
      pid: started.State.Pid,
      startedAt: engineTime(started.State.StartedAt) ?? this.now(),
      state: 'running',
      exited: undefined as never,
    };
    followed.exited = logEnded.then(async () => {
      const ended = await this.endOf(name).catch(() => undefined);
      const termination = ended ?? goneTermination(followed.startedAt, this.now());
      await log.close();
      this.finish(followed, termination);
      return termination;
    });
    this.running.set(keyOf(ref), followed);
    return followed;
  }

  /** How the container ended, by the engine; undefined when the engine no longer has it. */
  private async endOf(name: string): Promise<ContainerTermination | undefined> {
    // The log can end before the container does (its CLI was killed): wait for the real end.
    await this.engine.run(['wait', name]).catch(ignoreEngineError);
    const container = await this.inspect(name);
    return container ? engineTermination(container, this.now()) : undefined;
  }

  private finish(followed: Followed, ended: ContainerTermination): void {
    followed.state = 'exited';
    if (this.running.get(keyOf(followed)) === followed) this.running.delete(keyOf(followed));
    this.lastExit.set(keyOf(followed), ended);
    const exit: ContainerExit = {
      podUid: followed.podUid,
      container: followed.container,
      attempt: followed.attempt,
      termination: ended,
    };
    for (const listener of this.listeners) listener(exit);
  }

  /** How the latest attempt the engine still holds ended, for a stop after an agent restart. */
  private async latestTermination(ref: ContainerRef): Promise<ContainerTermination | undefined> {
    const attempts = (await this.engineContainers())
      .map((container) => ({ container, ref: engineContainerRef(container) }))
      .filter(
        (entry) => entry.ref && keyOf(entry.ref) === keyOf(ref) && entry.container.State.Status === 'exited',
      )
      .sort((a, b) => (b.ref?.attempt ?? 0) - (a.ref?.attempt ?? 0));
    const latest = attempts[0]?.container;
    return latest ? engineTermination(latest, this.now()) : undefined;
  }

  /** Every engine container of this node's data folder, running or not. */
  private async engineContainers(): Promise<EngineContainer[]> {
    const ids = (
      await this.engine.run([
        'ps',
        '--all',
        '--quiet',
        '--no-trunc',
        '--filter',
        `label=${LABELS.dataDir}=${this.dataDir}`,
      ])
    )
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
    if (ids.length === 0) return [];
    const all = await this.inspectMany(ids).catch(ignoreEngineError);
    if (all) return all;
    // One was removed between ps and inspect: ask one by one, skipping the gone.
    const each = await Promise.all(ids.map((id) => this.inspect(id)));
    return each.filter((container): container is EngineContainer => container !== undefined);
  }

  private async inspect(nameOrId: string): Promise<EngineContainer | undefined> {
    return (await this.inspectMany([nameOrId]).catch(ignoreEngineError))?.[0];
  }

  private async inspectMany(namesOrIds: readonly string[]): Promise<EngineContainer[]> {
    const text = await this.engine.run(['container', 'inspect', ...namesOrIds]);
    return z.array(EngineContainer).parse(JSON.parse(text));
  }
}

/** What a container runs: its image, and the argv Kubernetes' rules give against the image's defaults. */
interface ImageRun {
  image: string;
  argv: readonly string[];
}

interface Followed extends ContainerRef {
  attempt: number;
  /** The engine container's name. */
  name: string;
  pid: number;
  startedAt: Date;
  state: ContainerState;
  exited: Promise<ContainerTermination>;
}

function keyOf(ref: ContainerRef): string {
  return `${ref.podUid}/${ref.container}`;
}

/** The engine's reason for not starting a container, without its `Error: ` prefix. */
function startFailure(stderr: string): string {
  return stderr.trim().replace(/^Error: /, '') || 'the engine did not start it';
}

/**
 * A container the engine no longer knows (removed behind the agent's back): the kubelet reports
 * such a container as terminated with 137, having no better word.
 */
function goneTermination(startedAt: Date, finishedAt: Date): ContainerTermination {
  return { exitCode: 137, reason: 'Error', startedAt, finishedAt };
}

function ignoreEngineError(error: unknown): undefined {
  if (error instanceof EngineCommandError) return undefined;
  throw error;
}
