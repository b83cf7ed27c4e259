import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { addStaticSiteOperator } from '../../examples/operators/static-site/cdk';
import { Operator } from '../../infra/constructs/operator';
import { SkiffStack } from '../../infra/skiff-stack';
import { costFigures } from '../../lib/cost/report';
import { inventoryOf, type CfnTemplate } from '../../lib/cost/stack-inventory';
import { unbundledApp } from './skiff-template';

/** The Operator construct as the stack synthesizes it (functions not bundled): wiring, grants, cost. */

function synth(operators: number): { template: Template; raw: CfnTemplate } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new SkiffStack(app, 'Skiff');
  if (operators > 0) addStaticSiteOperator(stack, stack);
  const crd = {
    metadata: { name: 'x' },
    spec: {
      group: 'many.dev',
      scope: 'Namespaced',
      names: { plural: '', kind: '' },
      versions: [{ name: 'v1', served: true, storage: true }],
    },
  };
  for (let i = 1; i < operators; i++)
    new Operator(stack, `Extra${i}`, {
      skiff: stack,
      crd: { ...crd, spec: { ...crd.spec, names: { plural: `things${i}`, kind: `Thing${i}` } } },
      handler: path.join(__dirname, '../../examples/operators/static-site/operator.ts'),
      childKinds: [{ apiVersion: 'batch/v1', kind: 'CronJob' }],
    });
  const raw = app.synth().getStackArtifact(stack.artifactId).template as CfnTemplate;
  return { template: Template.fromJSON(raw), raw };
}

interface Mapping {
  Properties: { FunctionName: { Ref: string }; FilterCriteria?: { Filters: { Pattern: string }[] } } & Record<
    string,
    unknown
  >;
}
interface Policy {
  Properties: {
    Roles: { Ref: string }[];
    PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] };
  };
}

const { template, raw } = synth(1);
const resourcesOf = <T>(type: string) =>
  Object.entries(raw.Resources).filter(([, r]) => r.Type === type) as [string, T][];
const functionId = (description: string) =>
  Object.entries(raw.Resources).find(
    ([, r]) =>
      r.Type === 'AWS::Lambda::Function' &&
      (r.Properties as { Description?: string })?.Description === description,
  )?.[0] ?? '';
const roleOf = (fnId: string) =>
  (raw.Resources[fnId].Properties as { Role: { 'Fn::GetAtt': [string] } }).Role['Fn::GetAtt'][0];
const actionsOf = (roleId: string) =>
  resourcesOf<Policy>('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement.flatMap((s) => [s.Action].flat()));

describe('an Operator in the stack', () => {
  const fanOutId = functionId('Skiff operators: stream fan-out');
  const operatorId = functionId('Skiff operator static-site');
  const mappings = resourcesOf<Mapping>('AWS::Lambda::EventSourceMapping');

  test('its records reach it through the one fan-out trigger: the parent kind every time, child kinds when collectable', () => {
    const [fanOut] = mappings.filter(([, m]) => m.Properties.FunctionName.Ref === fanOutId);
    expect(mappings.filter(([, m]) => m.Properties.FunctionName.Ref === operatorId)).toEqual([]);
    const patterns = (fanOut[1].Properties.FilterCriteria?.Filters ?? []).map(
      (f) => JSON.parse(f.Pattern) as object,
    );
    expect(patterns).toEqual([
      { dynamodb: { NewImage: { kindKey: { S: ['web.skiff.dev/StaticSite'] } } } },
      { dynamodb: { OldImage: { kindKey: { S: ['web.skiff.dev/StaticSite'] } } } },
      {
        dynamodb: {
          NewImage: {
            kindKey: { S: ['apps/Deployment', 'core/ConfigMap', 'core/Service'] },
            collectable: { S: [{ exists: true }] },
          },
        },
      },
      {
        eventName: ['REMOVE'],
        dynamodb: { OldImage: { kindKey: { S: ['apps/Deployment', 'core/ConfigMap', 'core/Service'] } } },
      },
    ]);
  });

  test("its trigger keeps the built-in controllers' retry, bisect, age and dead-letter settings", () => {
    const reconcilerId = functionId('Skiff controllers');
    const settings = (id: string) => {
      const [, mapping] = mappings.find(([, m]) => m.Properties.FunctionName.Ref === id) ?? [];
      const {
        FunctionName: _name,
        FilterCriteria: _filters,
        ...rest
      } = mapping?.Properties ?? ({} as Mapping['Properties']);
      return rest;
    };
    expect(settings(fanOutId)).toEqual(settings(reconcilerId));
    expect(settings(fanOutId)).toMatchObject({ BisectBatchOnFunctionError: true, MaximumRetryAttempts: 5 });
  });

  test('its function holds no table access; the fan-out may invoke only it', () => {
    expect(actionsOf(roleOf(operatorId))).toEqual([]);
    const fanOutActions = actionsOf(roleOf(fanOutId));
    expect(fanOutActions.filter((a) => a.startsWith('lambda:'))).toEqual(['lambda:InvokeFunction']);
    expect(
      fanOutActions.filter(
        (a) =>
          a.startsWith('dynamodb:') &&
          !/^dynamodb:(DescribeStream|GetRecords|GetShardIterator|ListStreams)$/.test(a),
      ),
    ).toEqual([]);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'lambda:InvokeFunction',
            Resource: { 'Fn::GetAtt': [operatorId, 'Arn'] },
          }),
        ]),
      },
    });
  });

  test('the API and its authorizer know its role, name and resources (SKIFF_OPERATORS)', () => {
    for (const description of [
      'Skiff Kubernetes API',
      'Skiff API authorizer: EKS tokens and access entries',
    ]) {
      const fn = raw.Resources[functionId(description)];
      const value = JSON.stringify(
        (fn?.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables
          .SKIFF_OPERATORS,
      );
      expect(value).toContain('static-site');
      expect(value).toContain(roleOf(operatorId));
      expect(value).toContain('staticsites');
      expect(value).toContain('deployments');
    }
  });

  test('100 idle operators add nothing to the idle cost and one stream reader in all', () => {
    const none = costFigures(inventoryOf(synth(0).raw));
    const hundred = synth(100);
    expect(costFigures(inventoryOf(hundred.raw)).idle).toBeCloseTo(none.idle, 10);
    const readers = Object.values(hundred.raw.Resources).filter(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping',
    );
    expect(readers.length).toBe(
      Object.values(synth(0).raw.Resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping')
        .length + 1,
    );
  });
});

test('cdk-nag finds nothing unacknowledged in an Operator and the fan-out', () => {
  const app = unbundledApp();
  const stack = new SkiffStack(app, 'Skiff');
  addStaticSiteOperator(stack, stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  try {
    app.synth();
  } catch {
    // the report says which findings made it fail
  }
  const report = JSON.parse(readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: { violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
  };
  rmSync(app.outdir, { recursive: true, force: true });
  const findings = report.pluginReports.flatMap((p) =>
    p.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}`)),
  );
  expect(findings).toEqual([]);
});
