import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { SKIFF_TABLE_NAME } from '../../lib/config/env-names';
import {
  asList,
  functionIdByDescription,
  onlyLogicalId,
  roleStatementsOf,
  synthesizeSkiffTemplate,
} from './skiff-template';

describe('ObjectApi', () => {
  let template: Template;
  let tableId: string;
  let functionId: string;
  beforeAll(() => {
    template = synthesizeSkiffTemplate();
    tableId = onlyLogicalId(template, 'AWS::DynamoDB::Table');
    functionId = functionIdByDescription(template, 'Skiff Kubernetes API');
  });

  const functionRoleStatements = () => roleStatementsOf(template, functionId);

  describe('function', () => {
    it('runs Node.js 22 on arm64 with source-mapped stack traces, as every function does', () => {
      const functions = Object.values(template.findResources('AWS::Lambda::Function'));
      expect(functions.length).toBeGreaterThan(1);
      for (const fn of functions)
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps' } },
        });
    });

    it('is told the object table name through SKIFF_TABLE_NAME', () => {
      const fn = template.findResources('AWS::Lambda::Function')[functionId];
      expect(fn.Properties.Environment.Variables[SKIFF_TABLE_NAME]).toEqual({ Ref: tableId });
    });

    it('keeps its logs for a month', () => {
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: { 'Fn::Join': ['', ['/aws/lambda/', { Ref: functionId }]] },
        RetentionInDays: 30,
      });
    });
  });

  describe('least privilege', () => {
    const tableArn = () => ({ 'Fn::GetAtt': [tableId, 'Arn'] });
    const indexArn = () => ({ 'Fn::Join': ['', [tableArn(), '/index/*']] });

    it('names only the table and its indexes as resources, never *', () => {
      const resources = functionRoleStatements().flatMap((statement) => asList(statement.Resource));
      expect(resources.length).toBeGreaterThan(0);
      for (const resource of resources) expect([tableArn(), indexArn()]).toContainEqual(resource);
    });

    it('allows no wildcard, scan, batch write or table administration', () => {
      const actions = functionRoleStatements().flatMap((statement) => asList(statement.Action));
      for (const action of actions) {
        expect(action).not.toContain('*');
        expect(['dynamodb:Scan', 'dynamodb:BatchWriteItem', 'dynamodb:DeleteTable']).not.toContain(action);
        expect(action).not.toMatch(/^dynamodb:(Create|Delete|Update)Table$/);
      }
    });

    it('allows every DynamoDB call the store makes', () => {
      const storeSource = readFileSync(
        path.join(__dirname, '../../lib/store/dynamo-object-store.ts'),
        'utf8',
      );
      const calls = [...storeSource.matchAll(/new (\w+)Command\(/g)].map((match) => `dynamodb:${match[1]}`);
      const actions = functionRoleStatements().flatMap((statement) => asList(statement.Action));
      expect(calls.length).toBeGreaterThan(0);
      expect(actions).toEqual(expect.arrayContaining([...new Set(calls)]));
    });
  });

  describe('REST API', () => {
    it('proxies the root and every path below it, for every method', () => {
      template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' });
      const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
      expect(methods).toHaveLength(2);
      for (const method of methods) {
        expect(method.Properties.HttpMethod).toBe('ANY');
        expect(method.Properties.Integration.Type).toBe('AWS_PROXY');
      }
    });

    it('requires SigV4 (AWS_IAM) on every method', () => {
      const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
      expect(methods.length).toBeGreaterThan(0);
      for (const method of methods) expect(method.Properties.AuthorizationType).toBe('AWS_IAM');
    });

    it('throttles the stage', () => {
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        MethodSettings: Match.arrayWith([
          Match.objectLike({
            HttpMethod: '*',
            ResourcePath: '/*',
            ThrottlingRateLimit: 100,
            ThrottlingBurstLimit: 200,
          }),
        ]),
      });
    });

    it('leaves the account-wide API Gateway CloudWatch role alone', () => {
      template.resourceCountIs('AWS::ApiGateway::Account', 0);
    });

    it('publishes its URL as the ApiUrl output', () => {
      template.hasOutput('ApiUrl', { Value: Match.anyValue() });
    });
  });
});
