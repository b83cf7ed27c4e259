import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './engines/project-root';

/** schemathesis' CLI in its own virtualenv (scripts/engines/install-schemathesis.sh). */
export const SCHEMATHESIS_CLI = join(PROJECT_ROOT, '.venv/schemathesis/bin/st');
const INSTALL_SCRIPT = join(PROJECT_ROOT, 'scripts/engines/install-schemathesis.sh');
const OUTPUT_TAIL_CHARS = 8_000;

/**
 * Installs schemathesis if `npm run engines:fetch` has not (a no-op once installed). Synchronous,
 * so that a test file can decide at load time whether to run or skip. Returns why it is
 * unavailable, or undefined when the CLI is there.
 */
export function ensureSchemathesis(): string | undefined {
  const install = spawnSync('bash', [INSTALL_SCRIPT], { encoding: 'utf8', timeout: 300_000 });
  if (install.status === 0 && existsSync(SCHEMATHESIS_CLI)) return undefined;
  const output = `${install.stdout ?? ''}${install.stderr ?? ''}`.trim().slice(-2000);
  return `scripts/engines/install-schemathesis.sh failed (${install.error?.message ?? `code ${install.status}`}): ${output}`;
}

/** A banner nobody scrolls past, as for a missing test engine. */
export function schemathesisSkippedBanner(reason: string): string {
  const rule = '!'.repeat(100);
  return [
    '',
    rule,
    '!!!  SCHEMATHESIS SKIPPED: the OpenAPI documents are NOT tested. In CI (CI=true) this fails the run.',
    '!!!  npm run engines:fetch installs it. Reason:',
    ...reason.split('\n').map((line) => `!!!    ${line}`),
    rule,
    '',
  ].join('\n');
}

/** The parts of schemathesis' JSON report (`--report json`) the test reads. */
export interface SchemathesisReport {
  exit_code: number;
  stop_reason: string;
  operations: { total: number; selected: number; tested: number; errored: number };
  test_cases: { generated: number; with_failures: number; errored: number };
  failures: unknown[];
  errors: unknown[];
}

export interface SchemathesisRun {
  /** The CLI's exit code, or the signal that ended it (`SIGKILL` past the time bound). */
  exit: number | string;
  timedOut: boolean;
  /** The end of what it printed: the failures with a curl command for each. */
  output: string;
  report: SchemathesisReport | undefined;
}

export interface SchemathesisOptions {
  /** The document, as a file. */
  document: string;
  /** The server's base URL. */
  baseUrl: string;
  /** Where the report goes; also the CLI's working directory (so no config file of the tree applies). */
  workDir: string;
  reportName: string;
  maxExamples: number;
  seed: number;
  /** The CLI is killed past this. */
  timeoutMs: number;
}

/**
 * `st run DOCUMENT --url BASE --checks not_a_server_error`: every operation in the document,
 * through its phases (examples, coverage, fuzzing), with at most `maxExamples` fuzzed cases per
 * operation, one worker (its workers share Hypothesis state that is not thread-safe), no example
 * database and a 10 s bound on each request, so a stalled request is an error too.
 */
export function runSchemathesis(options: SchemathesisOptions): Promise<SchemathesisRun> {
  const reportPath = join(options.workDir, `${options.reportName}.report.json`);
  const args = [
    '--no-color',
    'run',
    options.document,
    '--url',
    options.baseUrl,
    '--checks',
    'not_a_server_error',
    '--max-examples',
    String(options.maxExamples),
    '--seed',
    String(options.seed),
    '--workers',
    '1',
    '--request-timeout',
    '10',
    '--generation-database',
    'none',
    '--report',
    'json',
    '--report-json-path',
    reportPath,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(SCHEMATHESIS_CLI, args, {
      cwd: options.workDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const report = existsSync(reportPath)
        ? (JSON.parse(readFileSync(reportPath, 'utf8')) as SchemathesisReport)
        : undefined;
      resolve({ exit: code ?? signal ?? 'unknown', timedOut, output, report });
    });
  });
}
