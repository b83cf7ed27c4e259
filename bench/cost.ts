import { App } from 'aws-cdk-lib';
import { costReport } from '../lib/cost/report';
import { inventoryOf, type CfnTemplate } from '../lib/cost/stack-inventory';
import { SkiffStack } from '../infra/skiff-stack';

/**
 * `npm run cost`: the control plane's cost model (lib/cost, docs/cost.md) over the synthesized
 * stack (functions not bundled: only their settings matter). Prints each line and the targets
 * with ratios; fails only when the stack lacks a resource the model prices, not on the figures.
 */
function main(): void {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new SkiffStack(app, 'Skiff');
  const template = app.synth().getStackArtifact(stack.artifactId).template as CfnTemplate;
  console.log(costReport(inventoryOf(template)));
}

main();
