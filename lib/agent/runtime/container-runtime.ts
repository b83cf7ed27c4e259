/**
 * The ContainerRuntime port: the only calls the node agent makes to whatever runs its pods'
 * containers, shaped like the part of the CRI the kubelet uses. The `process` runtime
 * (process-runtime.ts) runs host processes; the `container` runtime (oci-runtime.ts) runs OCI
 * images through a docker-compatible engine CLI.
 *
 * A container is named by its pod's uid, its name in the pod and its attempt (the kubelet's
 * restartCount at start: 0, 1, 2...). The agent owns restart policy, backoff, probes and env
 * resolution; the runtime starts, observes, stops and keeps logs.
 */
export interface ContainerRuntime {
  /**
   * Starts one attempt of a container. Throws MissingCommandError when the runtime cannot tell
   * what to run, and ContainerAlreadyRunningError when the same pod's container still runs.
   */
  start(request: StartContainerRequest): Promise<ContainerHandle>;
  /**
   * Stops a container gracefully: SIGTERM to everything it started, SIGKILL after
   * `gracePeriodSeconds`, and answers once every process of it is gone, with how it ended.
   * Idempotent: a container already exited answers its termination; one never started answers
   * undefined.
   */
  stop(ref: ContainerRef, gracePeriodSeconds: number): Promise<ContainerTermination | undefined>;
  /**
   * The containers running now, including those a previous run of the agent started on this data
   * folder, so an agent restarting finds its pods' processes and can stop or keep them.
   */
  list(): Promise<RunningContainer[]>;
  /**
   * Forgets a pod whose containers are all stopped: its logs, records and working folders. Throws
   * while one of its containers still runs.
   */
  removePod(podUid: string): Promise<void>;
  /** Calls `listener` after each container exit, once its logs are complete. Returns an unsubscribe. */
  onExit(listener: (exit: ContainerExit) => void): () => void;
  /**
   * A container's log as lines (each ending in `\n`), served as `.../pods/NAME/log` serves them.
   * Throws ContainerLogNotFoundError when there is no such attempt.
   */
  logs(ref: ContainerRef, options?: LogOptions): AsyncIterable<string>;
  /** Runs a command inside a running container (exec probes): its exit code and combined output (first 10 KiB). */
  exec(ref: ContainerRef, command: readonly string[], timeoutSeconds: number): Promise<ExecResult>;
}

/**
 * What `exec` answers, as the CRI's ExecSync does: the exit code (128+N for a signal N), stdout and
 * stderr interleaved as written and cut at 10 KiB (the kubelet reads no more of an exec probe's
 * output), and whether the command was killed for outliving its timeout.
 */
export interface ExecResult {
  exitCode: number;
  output: string;
  timedOut: boolean;
}

/** Which container of which pod. */
export interface ContainerRef {
  podUid: string;
  container: string;
}

export interface StartContainerRequest extends ContainerRef {
  /** The kubelet's restartCount for this start: names the log file, so `previous` finds the last one. */
  attempt: number;
  /**
   * The container's command and args as the pod spec gives them, `$(VAR)` references already
   * expanded. Kubernetes' rules for image defaults apply (command-line.ts); the process runtime
   * has no image, so it requires `command`.
   */
  command?: readonly string[];
  args?: readonly string[];
  /** The whole environment, already resolved: nothing of the agent's own is inherited but PATH. */
  env: Readonly<Record<string, string>>;
  /** An absolute folder to run in; omitted: a folder of the container's under the node's data folder. */
  workingDir?: string;
  /** The container's image: what the `container` runtime runs; the process runtime ignores it. */
  image?: string;
  /** The ports the container declares (informational: pods use the host's network, on their own IP). */
  ports?: readonly { containerPort: number; protocol?: string }[];
}

export type ContainerState = 'running' | 'exited';

/** What `start` answers: the container's main process and how to wait for its end. */
export interface ContainerHandle extends ContainerRef {
  attempt: number;
  pid: number;
  startedAt: Date;
  state(): ContainerState;
  /** Resolves when the container has exited and its logs are complete. Never rejects. */
  readonly exited: Promise<ContainerTermination>;
}

/**
 * How a container ended, as a containerStatus' `state.terminated` says it: exit code 128+N for a
 * signal N (137 for SIGKILL), reason `Completed` for exit 0 and `Error` otherwise, except
 * `OOMKilled` when the engine says the kernel's OOM killer ended it (whatever the exit code, as
 * the kubelet's docker and containerd runtimes report it). The process runtime never says
 * `OOMKilled`: it sets no memory limit and cannot tell an OOM kill from another SIGKILL.
 */
export interface ContainerTermination {
  exitCode: number;
  /** The signal's number when a signal ended the process, as the CRI reports it. */
  signal?: number;
  reason: 'Completed' | 'Error' | 'OOMKilled';
  startedAt: Date;
  finishedAt: Date;
}

export interface ContainerExit extends ContainerRef {
  attempt: number;
  termination: ContainerTermination;
}

export interface RunningContainer extends ContainerRef {
  attempt: number;
  pid: number;
  startedAt: Date;
}

/** The options of `GET .../pods/NAME/log` the runtime serves. */
export interface LogOptions {
  /** Each line prefixed with its RFC 3339 timestamp and a space. */
  timestamps?: boolean;
  /** Only the last N lines (then, with `follow`, what comes after). */
  tailLines?: number;
  /** The attempt before the latest: the log of the container's previous run. */
  previous?: boolean;
  /** Keep streaming new lines until the container exits and its log is drained. */
  follow?: boolean;
  /** Ends a follow early (the client went away), without waiting for another line. */
  signal?: AbortSignal;
}
