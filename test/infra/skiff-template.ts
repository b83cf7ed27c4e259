import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SkiffStack } from '../../infra/skiff-stack';

/**
 * The stack's template, synthesized without bundling the functions: these tests assert the
 * template's invariants, and `cdk synth` / bench/bundles.ts exercise the bundles. Call once per
 * test file (in beforeAll), not once per test.
 */
export function synthesizeSkiffTemplate(): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(new SkiffStack(app, 'Skiff'));
}

/** The logical id of the only resource of `type`; fails loudly if there is not exactly one. */
export function onlyLogicalId(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0];
}
