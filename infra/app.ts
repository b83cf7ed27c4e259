import { Annotations, App } from 'aws-cdk-lib';
import { SKIFF_STACK_NAME } from '../lib/config/env-names';
import { SkiffStack } from './skiff-stack';
import { addStaticSiteOperator } from '../examples/operators/static-site/cdk';

/**
 * The CDK app. The stack is environment-agnostic (no account or region, so no lookups) and so
 * synthesizes offline. Its name: `-c stackName=...`, else $SKIFF_STACK_NAME, else `Skiff`; more
 * than one control plane can share an account under different names.
 *
 * The deploying principal becomes cluster admin: `-c adminPrincipalArn=$(aws sts
 * get-caller-identity --query Arn --output text)` (docs/auth.md). Without it the stack deploys,
 * with a warning, and nobody can use the API.
 */
const app = new App();
const contextName: unknown = app.node.tryGetContext('stackName');
const stackName = typeof contextName === 'string' ? contextName : (process.env[SKIFF_STACK_NAME] ?? 'Skiff');

const contextAdmin: unknown = app.node.tryGetContext('adminPrincipalArn');
const adminPrincipalArn = typeof contextAdmin === 'string' && contextAdmin !== '' ? contextAdmin : undefined;

const stack = new SkiffStack(app, stackName, {
  description: 'Skiff: a serverless Kubernetes-style control plane',
  ...(adminPrincipalArn ? { adminPrincipalArn } : {}),
});
// The example StaticSite operator (examples/operators/static-site), for trying operators on AWS
// and for the LocalStack suite: `-c exampleOperators=true`.
if (String(app.node.tryGetContext('exampleOperators')) === 'true') addStaticSiteOperator(stack, stack);
if (!adminPrincipalArn)
  Annotations.of(stack).addWarningV2(
    'skiff:noAdminPrincipal',
    'No cluster admin: deploy with -c adminPrincipalArn=$(aws sts get-caller-identity --query Arn --output text) (docs/auth.md)',
  );
app.synth();
