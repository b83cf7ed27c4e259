import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ensureSchemathesis,
  runSchemathesis,
  schemathesisSkippedBanner,
  type SchemathesisRun,
} from '../support/schemathesis';
import { spawnLocalServer, type LocalServerProcess } from '../support/spawn-local-server';

/**
 * schemathesis (property-based testing from OpenAPI) against every OpenAPI document the local
 * server publishes: it generates valid and invalid requests for each operation, and no answer may
 * be a 5xx. SKIFF_SCHEMATHESIS_EXAMPLES and SKIFF_SCHEMATHESIS_SEED change the run.
 */
const MAX_EXAMPLES = Number(process.env.SKIFF_SCHEMATHESIS_EXAMPLES ?? 15);
const SEED = Number(process.env.SKIFF_SCHEMATHESIS_SEED ?? 1);
/**
 * The bound on one document; the slowest (api/v1, apps/v1, batch/v1) take about 50 s each on a
 * quiet 2-core machine. CI runs this beside the other suites, which can more than double it.
 */
const DOCUMENT_TIMEOUT_MS = 240_000;
/**
 * The bound on the whole run: about 230 s on a quiet 2-core machine (10 documents, 2026-12-01);
 * 382 s and then over 480 s in CI beside the other suites (2026-12-02, api/v1 now with Endpoints).
 */
const RUN_TIMEOUT_MS = 900_000;

const unavailable = ensureSchemathesis();
const required = process.env.CI === 'true';
if (unavailable && !required) process.stderr.write(schemathesisSkippedBanner(unavailable));
const itWhenInstalled = unavailable && !required ? it.skip : it;

interface OpenApiIndex {
  paths: Record<string, { serverRelativeURL: string }>;
}

/** What is wrong with one document's run, or nothing. */
function problemsOf(path: string, run: SchemathesisRun): string[] {
  const report = run.report;
  const problems: string[] = [];
  if (run.timedOut) problems.push(`did not finish within ${DOCUMENT_TIMEOUT_MS} ms`);
  if (run.exit !== 0) problems.push(`exited with ${run.exit}`);
  if (!report) problems.push('wrote no report');
  else {
    if (report.operations.tested === 0 || report.operations.tested !== report.operations.selected)
      problems.push(`tested ${report.operations.tested} of ${report.operations.selected} operations`);
    if (report.test_cases.generated === 0) problems.push('generated no test case');
    if (report.failures.length > 0 || report.errors.length > 0)
      problems.push(`${report.failures.length} failures, ${report.errors.length} errors`);
  }
  return problems.length === 0 ? [] : [`${path}: ${problems.join('; ')}\n${run.output}`];
}

describe('the OpenAPI documents, tested by schemathesis', () => {
  let server: LocalServerProcess;
  let workDir: string;
  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'skiff-schemathesis-'));
    if (!unavailable) server = await spawnLocalServer();
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  itWhenInstalled(
    `finds no server error in any operation of any document (${MAX_EXAMPLES} examples per operation, seed ${SEED})`,
    async () => {
      if (unavailable) throw new Error(`schemathesis is required in CI: ${unavailable}`);
      const index = (await (await fetch(`${server.url}/openapi/v3`)).json()) as OpenApiIndex;
      const documents = Object.entries(index.paths);
      expect(documents.length).toBeGreaterThan(0);

      const problems: string[] = [];
      const tested: string[] = [];
      for (const [path, { serverRelativeURL }] of documents) {
        const name = path.replace(/[^A-Za-z0-9.-]+/g, '_');
        const document = join(workDir, `${name}.json`);
        if (server.exited()) break;
        const response = await fetch(`${server.url}${serverRelativeURL}`);
        expect(response.status).toBe(200);
        writeFileSync(document, await response.text());
        const startedAt = Date.now();
        const run = await runSchemathesis({
          document,
          baseUrl: server.url,
          workDir,
          reportName: name,
          maxExamples: MAX_EXAMPLES,
          seed: SEED,
          timeoutMs: DOCUMENT_TIMEOUT_MS,
        });
        problems.push(...problemsOf(path, run));
        if (run.report)
          tested.push(
            `${path}: ${run.report.operations.tested} operations, ${run.report.test_cases.generated} cases, ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
          );
      }
      if (server.exited()) problems.push(`the server ${server.exited()}`);
      if (problems.length > 0)
        throw new Error(
          `schemathesis (seed ${SEED}) found problems; the server ${server.exited() ?? 'is still running'}:\n` +
            `${problems.join('\n\n')}\n--- the server's last output ---\n${server.output().slice(-3000)}`,
        );
      console.log(`schemathesis, per document:\n${tested.join('\n')}`);
      expect(tested).toHaveLength(documents.length);
      expect(server.exited()).toBeUndefined();
    },
    RUN_TIMEOUT_MS,
  );
});
