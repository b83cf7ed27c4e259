import { App } from 'aws-cdk-lib';
import { SKIFF_STACK_NAME } from '../lib/config/env-names';
import { SkiffStack } from './skiff-stack';

/**
 * The CDK app. The stack is environment-agnostic (no account or region, so no lookups) and so
 * synthesizes offline. Its name: `-c stackName=...`, else $SKIFF_STACK_NAME, else `Skiff`; more
 * than one control plane can share an account under different names.
 */
const app = new App();
const contextName: unknown = app.node.tryGetContext('stackName');
const stackName = typeof contextName === 'string' ? contextName : (process.env[SKIFF_STACK_NAME] ?? 'Skiff');

new SkiffStack(app, stackName, { description: 'Skiff: a serverless Kubernetes-style control plane' });
app.synth();
