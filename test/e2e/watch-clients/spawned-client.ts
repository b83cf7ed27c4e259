import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

const STDERR_TAIL_CHARS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
/** How often a wait looks again: short, since it bounds nothing measured (lines carry their own arrival time). */
const POLL_INTERVAL_MS = 5;
/** The stdout lines a failure shows: the last ones. */
const TRANSCRIPT_LINES = 200;

/** A line a client printed, and when it reached this process. */
export interface PrintedLine {
  text: string;
  /** `performance.now()` when the line arrived: for latencies measured in this process. */
  at: number;
}

/**
 * A watch client (kubectl, a Python script, a Go program) run as its own process: what it prints
 * on stdout, line by line with the time each line arrived, the tail of its stderr, and how it
 * ended. Its stdin stays open until it is stopped, so a client that exits on EOF (the informer)
 * goes when the test does.
 */
export class SpawnedClient {
  readonly lines: PrintedLine[] = [];
  private stderrTail = '';
  private partial = '';
  private exitReason: string | undefined;
  private exitCode: number | null = null;
  private exitedAt: number | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    readonly description: string,
    private readonly child: ChildProcessWithoutNullStreams,
  ) {
    child.stdout.on('data', (chunk: Buffer) => {
      const at = performance.now();
      const parts = (this.partial + chunk.toString('utf8')).split('\n');
      this.partial = parts.pop() ?? '';
      for (const text of parts) this.lines.push({ text, at });
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
    // A client that exits early closes its stdin; writing to it then must not fail the test.
    child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => {
        this.exitReason = `could not run: ${error.message}`;
        this.exitedAt = performance.now();
        resolve();
      });
      child.once('close', (code, signal) => {
        this.exitedAt ??= performance.now();
        this.exitCode = code;
        this.exitReason ??= signal ? `killed by ${signal}` : `exited with code ${code}`;
        resolve();
      });
    });
  }

  /** Starts `command args…` with `env` added to this process's environment. */
  static start(command: string, args: string[], env: Record<string, string> = {}): SpawnedClient {
    const child = spawn(command, args, { stdio: 'pipe', env: { ...process.env, ...env } });
    return new SpawnedClient([command, ...args].join(' '), child);
  }

  get stderr(): string {
    return this.stderrTail;
  }

  /** Why it ended, or undefined while it runs. */
  get exitStatus(): string | undefined {
    return this.exitReason;
  }

  /** Everything it said so far, for a failure message. */
  transcript(): string {
    const omitted = Math.max(0, this.lines.length - TRANSCRIPT_LINES);
    const stdout = [
      ...(omitted > 0 ? [`(${omitted} lines before these)`] : []),
      ...this.lines.slice(omitted).map((line) => line.text),
    ].join('\n');
    return [
      `$ ${this.description}`,
      `--- status: ${this.exitReason ?? 'running'}`,
      `--- stdout:\n${stdout}${this.partial}`,
      `--- stderr (tail):\n${this.stderrTail}`,
    ].join('\n');
  }

  /**
   * Waits until `check` returns a value (it is asked again every few milliseconds) and returns it;
   * fails past the deadline, or as soon as the client has ended without it, with its transcript.
   */
  async waitFor<T>(what: string, check: () => T | undefined, deadlineMs = 10_000): Promise<T> {
    const deadline = performance.now() + deadlineMs;
    for (;;) {
      const value = check();
      if (value !== undefined) return value;
      // 'close' comes after the last of its output, so a client that has ended will say no more.
      if (this.exitReason !== undefined) throw new Error(`${what}: it ended first\n${this.transcript()}`);
      if (performance.now() > deadline)
        throw new Error(`${what}: not within ${deadlineMs} ms\n${this.transcript()}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }

  /** The first line from index `from` on for which `match` returns a value, with its index and that value. */
  waitForLine<T>(
    what: string,
    match: (text: string) => T | undefined,
    deadlineMs = 10_000,
    from = 0,
  ): Promise<{ line: PrintedLine; index: number; value: T }> {
    return this.waitFor(
      what,
      () => {
        for (let index = from; index < this.lines.length; index += 1) {
          const value = match(this.lines[index].text);
          if (value !== undefined) return { line: this.lines[index], index, value };
        }
        return undefined;
      },
      deadlineMs,
    );
  }

  /** Resolves once `pattern` appears in its stderr. */
  async waitForStderr(what: string, pattern: RegExp, deadlineMs = 10_000): Promise<void> {
    await this.waitFor(what, () => (pattern.test(this.stderrTail) ? true : undefined), deadlineMs);
  }

  /** Its exit code and when it exited (`performance.now()`); fails past the deadline. */
  async waitForExit(deadlineMs = 10_000): Promise<{ code: number | null; at: number }> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = setTimeout(() => resolve('deadline'), deadlineMs);
    });
    const outcome = await Promise.race([this.exited, deadline]);
    clearTimeout(timer);
    if (outcome === 'deadline') throw new Error(`still running ${deadlineMs} ms later\n${this.transcript()}`);
    return { code: this.exitCode, at: this.exitedAt ?? performance.now() };
  }

  /** Waits for it to exit 0 and returns when it did; any other ending fails with its transcript. */
  async waitForSuccess(deadlineMs = 10_000): Promise<number> {
    const { code, at } = await this.waitForExit(deadlineMs);
    if (code !== 0) throw new Error(`expected exit code 0\n${this.transcript()}`);
    return at;
  }

  /** Closes its stdin and sends SIGTERM, then SIGKILL if it lingers; resolves once it is gone. */
  async stop(): Promise<void> {
    if (this.exitReason !== undefined) return;
    this.child.stdin.end();
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }
}
