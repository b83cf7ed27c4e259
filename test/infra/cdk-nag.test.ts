import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { SkiffStack } from '../../infra/skiff-stack';
import { unbundledApp } from './skiff-template';

/** The parts of the cloud assembly's validation-report.json these tests read. */
interface ValidationReport {
  pluginReports: {
    pluginName: string;
    violations: Finding[];
    /** Absent when nothing was acknowledged. */
    suppressedViolations?: (Finding & { reason?: string })[];
  }[];
}
interface Finding {
  ruleName: string;
  severity: string;
  violatingConstructs: { constructPath: string }[];
}

/**
 * cdk-nag's AwsSolutions and Serverless packs over the whole stack. Every finding (error or warning)
 * must be fixed or acknowledged, with its reason, in infra/nag-acknowledgments.ts; a failure lists
 * each finding as `rule at construct path`.
 */
describe('cdk-nag over the Skiff stack', () => {
  let outdir: string;
  let synthesisError: unknown;
  let report: ValidationReport;

  beforeAll(() => {
    const app = unbundledApp();
    outdir = app.outdir;
    new SkiffStack(app, 'Skiff');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
    try {
      app.synth();
    } catch (error) {
      synthesisError = error; // the report below says which findings made it fail
    }
    report = JSON.parse(
      readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'),
    ) as ValidationReport;
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('ran both rule packs', () => {
    expect(report.pluginReports.map((plugin) => plugin.pluginName).sort()).toEqual([
      'AwsSolutions',
      'Serverless',
    ]);
  });

  it('reports no unacknowledged finding, error or warning', () => {
    const unacknowledged = report.pluginReports.flatMap((plugin) =>
      plugin.violations.flatMap((finding) =>
        finding.violatingConstructs.map(
          (construct) => `${finding.severity} ${finding.ruleName} at ${construct.constructPath}`,
        ),
      ),
    );
    expect(unacknowledged).toEqual([]);
    expect(synthesisError).toBeUndefined();
  });

  it('gives every acknowledged finding a reason', () => {
    const acknowledged = report.pluginReports.flatMap((plugin) => plugin.suppressedViolations ?? []);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(acknowledged.filter((finding) => !finding.reason?.trim())).toEqual([]);
  });

  it('finds no IAM action wildcard to acknowledge', () => {
    const actionWildcards = report.pluginReports
      .flatMap((plugin) => [...plugin.violations, ...(plugin.suppressedViolations ?? [])])
      .filter((finding) => finding.ruleName.includes('[Action::'));
    expect(actionWildcards).toEqual([]);
  });
});
