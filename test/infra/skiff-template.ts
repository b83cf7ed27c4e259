import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SkiffStack } from '../../infra/skiff-stack';

/**
 * The stack's template, synthesized without bundling the functions: these tests assert the
 * template's invariants, and `cdk synth` / bench/bundles.ts exercise the bundles. Call once per
 * test file (in beforeAll), not once per test.
 */
export function synthesizeSkiffTemplate(): Template {
  return Template.fromStack(new SkiffStack(unbundledApp(), 'Skiff'));
}

/** An app that synthesizes functions without running esbuild. */
export function unbundledApp(): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [] } });
}

/** The logical id of the only resource of `type`; fails loudly if there is not exactly one. */
export function onlyLogicalId(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0];
}

/** The logical id of the only function with this description. */
export function functionIdByDescription(template: Template, description: string): string {
  const ids = Object.keys(
    template.findResources('AWS::Lambda::Function', { Properties: { Description: description } }),
  );
  if (ids.length !== 1) throw new Error(`expected one function "${description}", found ${ids.length}`);
  return ids[0];
}

export interface Statement {
  Effect?: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** The statements of every inline policy attached to a function's role. */
export function roleStatementsOf(template: Template, functionId: string): Statement[] {
  const fn = template.findResources('AWS::Lambda::Function')[functionId];
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
  });
  return Object.values(policies).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
  );
}

export const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
