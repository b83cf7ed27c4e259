import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../support/engines/project-root';
import { KUBECTL, kubectlUnavailable } from '../watch-clients/watch-client-tools';

export { KUBECTL, kubectlUnavailable };

/** helm 3, built by scripts/engines/fetch-helm.sh. */
export const HELM = join(PROJECT_ROOT, '.cache/helm/helm');
/** The client-go writer (test/e2e/client-go/writer), built by scripts/engines/build-client-go-writer.sh. */
export const CLIENT_GO_WRITER = join(PROJECT_ROOT, '.cache/client-go-writer/writer');

/** A cold helm build downloads about 200 modules and compiles them: several minutes on 2 cores. */
const BUILD_TIMEOUT_MS = 900_000;
const RUN_TIMEOUT_MS = 60_000;

/**
 * Runs one of scripts/engines/*.sh (a no-op once its product is there) and returns why `product`
 * is still missing, or undefined when it is there. Synchronous, so a test file can decide at load
 * time whether to run or skip.
 */
export function ensureBuilt(script: string, product: string): string | undefined {
  const run = spawnSync('bash', [join(PROJECT_ROOT, 'scripts/engines', script)], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: BUILD_TIMEOUT_MS,
  });
  if (run.status === 0 && existsSync(product)) return undefined;
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().slice(-2000);
  return `scripts/engines/${script} failed (${run.error?.message ?? `code ${run.status}`}): ${output}`;
}

/**
 * `it`, or `it.skip` under a banner when `tool` is missing outside CI; in CI (CI=true) a missing
 * tool is a failure, so the test runs and its first step throws the reason.
 */
export function itWithTool(tool: string, missing: string | undefined, remedy: string): jest.It {
  if (!missing) return it;
  if (process.env.CI === 'true')
    return ((name: string, _fn: jest.ProvidesCallback, timeout?: number) =>
      it(
        name,
        () => {
          throw new Error(`${tool} is required in CI: ${missing}`);
        },
        timeout,
      )) as jest.It;
  const rule = '!'.repeat(100);
  process.stderr.write(
    [
      '',
      rule,
      `!!!  TESTS WITH ${tool.toUpperCase()} SKIPPED. In CI (CI=true) this fails the run.`,
      `!!!  ${remedy} Reason:`,
      ...missing.split('\n').map((line) => `!!!    ${line}`),
      rule,
      '',
    ].join('\n'),
  );
  return it.skip;
}

/** How a command ended and what it printed. */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command args…` to its end without blocking the event loop, with `input` on its stdin.
 * Never throws for a non-zero exit: the test looks at the code and the output.
 */
export function runCommand(
  command: string,
  args: string[],
  options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? RUN_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** A failed command as an error message: the command line, its code and both outputs. */
export function describeRun(command: string, args: string[], result: CommandResult): string {
  return `${[command, ...args].join(' ')} exited ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
}

/** Runs the command and returns its stdout, or throws with everything it printed. */
export async function runOk(
  command: string,
  args: string[],
  options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<string> {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) throw new Error(describeRun(command, args, result));
  return result.stdout;
}
