import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CfnOutput } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { parse } from 'yaml';
import type { DefinitionView } from '../../../lib/crd/custom-kind';
import { Operator, type OperatorProps } from '../../../infra/constructs/operator';

/**
 * The StaticSite operator on AWS: its function behind the stack's stream, allowed StaticSites,
 * ConfigMaps, Deployments, Services and Events through the API. infra/app.ts adds it with
 * `-c exampleOperators=true`; in a stack of your own it is one `new Operator(...)`.
 */
export function addStaticSiteOperator(scope: Construct, skiff: OperatorProps['skiff']): Operator {
  const crd = parse(
    readFileSync(path.join(__dirname, '../../customresourcedefinition.yaml'), 'utf8'),
  ) as DefinitionView;
  // Tells the remote suite (test/remote/operators.test.ts) the example operator is deployed.
  new CfnOutput(scope, 'ExampleOperator', {
    value: 'static-site',
    description: 'The example StaticSite operator',
  });
  return new Operator(scope, 'StaticSites', {
    skiff,
    crd,
    handler: path.join(__dirname, 'operator.ts'),
    childKinds: [
      { apiVersion: 'v1', kind: 'ConfigMap' },
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      { apiVersion: 'v1', kind: 'Service' },
    ],
    name: 'static-site',
  });
}
