import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SkiffStack } from '../../infra/skiff-stack';
import { AUTHORIZER_CACHE_TTL } from '../../infra/constructs/api-authorizer';
import { SKIFF_ADMIN_PRINCIPAL_ARN, SKIFF_NODE_ROLE_ARN } from '../../lib/auth/auth-config';
import {
  SKIFF_CLUSTER_NAME,
  SKIFF_DRY_RUN,
  SKIFF_LAUNCH_TEMPLATE_ID,
  SKIFF_SUBNETS,
  SKIFF_TABLE_NAME,
} from '../../lib/config/env-names';
import {
  asList,
  functionIdByDescription,
  onlyLogicalId,
  roleStatementsOf,
  synthesizeSkiffTemplate,
  unbundledApp,
  type Statement,
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
  const apiFunction = () => template.findResources('AWS::Lambda::Function')[functionId];

  describe('function', () => {
    it('runs Node.js 22 on arm64 with source-mapped stack traces, as every function does', () => {
      const functions = Object.values(template.findResources('AWS::Lambda::Function'));
      expect(functions.length).toBeGreaterThan(1);
      for (const fn of functions)
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps' } },
        });
    });

    it('is invoked through streamingHandler, the export its entry marks for response streaming', () => {
      expect(apiFunction().Properties.Handler).toBe('index.streamingHandler');
      const entrySource = readFileSync(path.join(__dirname, '../../functions/api/handler.ts'), 'utf8');
      expect(entrySource).toMatch(/export const streamingHandler = streamifyResponse\(/);
    });

    it('leaves every other function on its handler export', () => {
      const others = Object.entries(template.findResources('AWS::Lambda::Function')).filter(
        ([id]) => id !== functionId,
      );
      expect(others.length).toBeGreaterThan(0);
      for (const [, fn] of others) expect(fn.Properties.Handler).toBe('index.handler');
    });

    it('may run the 15 minutes a streamed response may last, as long as its integration waits', () => {
      const timeoutSeconds = apiFunction().Properties.Timeout as number;
      expect(timeoutSeconds).toBe(900);
      for (const method of Object.values(template.findResources('AWS::ApiGateway::Method')))
        expect(timeoutSeconds * 1000).toBeGreaterThanOrEqual(method.Properties.Integration.TimeoutInMillis);
    });

    it('is told the object table name through SKIFF_TABLE_NAME', () => {
      const fn = template.findResources('AWS::Lambda::Function')[functionId];
      expect(fn.Properties.Environment.Variables[SKIFF_TABLE_NAME]).toEqual({ Ref: tableId });
    });

    it("is told to serve the dry run, and the nodes' subnets, but not their launch template", () => {
      const variables = apiFunction().Properties.Environment.Variables;
      expect(variables[SKIFF_DRY_RUN]).toBe('true');
      // None: every zone, as the schedule function plans without a network.
      expect(variables[SKIFF_SUBNETS]).toBe('');
      expect(variables).not.toHaveProperty(SKIFF_LAUNCH_TEMPLATE_ID);
    });

    it("is told the capacity's subnets when the stack has a network, as the schedule function is", () => {
      const withNetwork = Template.fromStack(
        new SkiffStack(unbundledApp(), 'Networked', {
          capacity: {
            network: {
              vpcId: 'vpc-0123456789abcdef0',
              subnets: [
                { subnetId: 'subnet-0aaaaaaaaaaaaaaaa', zone: 'us-east-1a' },
                { subnetId: 'subnet-0bbbbbbbbbbbbbbbb', zone: 'us-east-1b' },
              ],
            },
          },
        }),
      );
      const subnetsOf = (description: string) =>
        withNetwork.findResources('AWS::Lambda::Function')[functionIdByDescription(withNetwork, description)]
          .Properties.Environment.Variables[SKIFF_SUBNETS];
      expect(subnetsOf('Skiff Kubernetes API')).toBe(
        'subnet-0aaaaaaaaaaaaaaaa:us-east-1a,subnet-0bbbbbbbbbbbbbbbb:us-east-1b',
      );
      expect(subnetsOf('Skiff Kubernetes API')).toBe(
        subnetsOf('Skiff scheduler: places pods, launches and retires capacity'),
      );
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

    const isDynamo = (statement: Statement) =>
      asList(statement.Action).every((action) => action.startsWith('dynamodb:'));

    it('names only the table and its indexes as DynamoDB resources, never *', () => {
      const resources = functionRoleStatements()
        .filter(isDynamo)
        .flatMap((statement) => asList(statement.Resource));
      expect(resources.length).toBeGreaterThan(0);
      for (const resource of resources) expect([tableArn(), indexArn()]).toContainEqual(resource);
    });

    it('holds DynamoDB statements alone: no EC2 or Pricing call, the dry run reads the published catalogue', () => {
      const others = functionRoleStatements().filter((statement) => !isDynamo(statement));
      expect(others).toEqual([]);
      const actions = functionRoleStatements().flatMap((statement) => asList(statement.Action));
      for (const action of actions) expect(action).toMatch(/^dynamodb:/);
    });

    it('allows UpdateItem only on the change log counters', () => {
      const updates = functionRoleStatements().filter((statement) =>
        asList(statement.Action).includes('dynamodb:UpdateItem'),
      );
      expect(updates).toHaveLength(1);
      expect(asList(updates[0].Action)).toEqual(['dynamodb:UpdateItem']);
      expect(updates[0].Condition).toEqual({
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['~revision', '~resolved'] },
      });
    });

    it('allows no wildcard, scan, batch write or table administration', () => {
      const actions = functionRoleStatements().flatMap((statement) => asList(statement.Action));
      for (const action of actions) {
        expect(action).not.toContain('*');
        expect(['dynamodb:Scan', 'dynamodb:BatchWriteItem', 'dynamodb:DeleteTable']).not.toContain(action);
        expect(action).not.toMatch(/^dynamodb:(Create|Delete|Update)Table$/);
      }
    });

    it('lets API Gateway alone invoke the function, with lambda:InvokeFunction, from this API alone', () => {
      // InvokeWithResponseStream, the streaming integration's call, requires lambda:InvokeFunction.
      const restApiId = onlyLogicalId(template, 'AWS::ApiGateway::RestApi');
      const permissions = Object.values(
        template.findResources('AWS::Lambda::Permission', {
          Properties: { FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] } },
        }),
      );
      expect(permissions.length).toBeGreaterThan(0);
      for (const permission of permissions) {
        expect(permission.Properties).toMatchObject({
          Action: 'lambda:InvokeFunction',
          Principal: 'apigateway.amazonaws.com',
        });
        expect(permission.Properties.SourceArn['Fn::Join'][1]).toContainEqual({ Ref: restApiId });
      }
    });

    it('allows every DynamoDB call the store and its change log make', () => {
      const storeSource = [
        'dynamo-object-store.ts',
        'change-log/table-change-log.ts',
        'change-log/unconfirmed-records.ts',
        'change-log/log-item.ts',
      ]
        .map((file) => readFileSync(path.join(__dirname, '../../lib/store', file), 'utf8'))
        .join('\n');
      // A transaction is authorized by the item actions it holds: the store's are Put and Delete.
      const calls = [...storeSource.matchAll(/new (\w+)Command\(/g)].flatMap((match) =>
        match[1] === 'TransactWriteItems'
          ? ['dynamodb:PutItem', 'dynamodb:DeleteItem']
          : [`dynamodb:${match[1]}`],
      );
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

    it('streams every integration response, invoking the function with InvokeWithResponseStream', () => {
      const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
      expect(methods.length).toBeGreaterThan(0);
      for (const method of methods)
        expect(method.Properties.Integration).toMatchObject({
          ResponseTransferMode: 'STREAM',
          Uri: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':apigateway:',
                { Ref: 'AWS::Region' },
                ':lambda:path/2021-11-15/functions/',
                { 'Fn::GetAtt': [functionId, 'Arn'] },
                '/response-streaming-invocations',
              ],
            ],
          },
        });
    });

    it('lets an integration run the 15 minutes a streamed response may last', () => {
      const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
      expect(methods.length).toBeGreaterThan(0);
      for (const method of methods) expect(method.Properties.Integration.TimeoutInMillis).toBe(900_000);
    });

    it('passes protobuf bodies through as binary, so they arrive byte for byte', () => {
      template.hasResourceProperties('AWS::ApiGateway::RestApi', {
        BinaryMediaTypes: ['application/vnd.kubernetes.protobuf'],
      });
    });

    it('stays regional, where a stream may idle 5 minutes (30 s when edge-optimized)', () => {
      template.hasResourceProperties('AWS::ApiGateway::RestApi', {
        EndpointConfiguration: { Types: ['REGIONAL'] },
      });
    });

    it('puts the EKS-token REQUEST authorizer on every method, in place of SigV4', () => {
      const authorizerId = onlyLogicalId(template, 'AWS::ApiGateway::Authorizer');
      const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
      expect(methods.length).toBeGreaterThan(0);
      for (const method of methods)
        expect(method.Properties).toMatchObject({
          AuthorizationType: 'CUSTOM',
          AuthorizerId: { Ref: authorizerId },
        });
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

  describe('authorizer', () => {
    const authorizerFunctionId = () =>
      functionIdByDescription(template, 'Skiff API authorizer: EKS tokens and access entries');
    const variablesOf = (id: string) =>
      template.findResources('AWS::Lambda::Function')[id].Properties.Environment.Variables;

    it('is a REQUEST authorizer on the Authorization header, its function invoked by API Gateway', () => {
      template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        Type: 'REQUEST',
        IdentitySource: 'method.request.header.Authorization',
        AuthorizerUri: Match.objectLike({
          'Fn::Join': Match.arrayWith([Match.arrayWith([{ 'Fn::GetAtt': [authorizerFunctionId(), 'Arn'] }])]),
        }),
      });
      const permissions = Object.values(
        template.findResources('AWS::Lambda::Permission', {
          Properties: { FunctionName: { 'Fn::GetAtt': [authorizerFunctionId(), 'Arn'] } },
        }),
      );
      expect(permissions.map((p) => p.Properties.Principal)).toEqual(['apigateway.amazonaws.com']);
    });

    it("caches answers for a minute, well inside a token's 15 minutes", () => {
      expect(AUTHORIZER_CACHE_TTL.toSeconds()).toBe(60);
      template.hasResourceProperties('AWS::ApiGateway::Authorizer', { AuthorizerResultTtlInSeconds: 60 });
    });

    it("tells the authorizer and the API function the same cluster name, the stack's, and the node role", () => {
      const [nodeRoleId] = Object.keys(
        template.findResources('AWS::IAM::Role', {
          Properties: {
            AssumeRolePolicyDocument: {
              Statement: Match.arrayWith([
                Match.objectLike({ Principal: { Service: Match.stringLikeRegexp('^ec2\\.') } }),
              ]),
            },
          },
        }),
      );
      expect(nodeRoleId).toBeDefined();
      const scheduler = functionIdByDescription(
        template,
        'Skiff scheduler: places pods, launches and retires capacity',
      );
      for (const id of [functionId, authorizerFunctionId()]) {
        expect(variablesOf(id)[SKIFF_CLUSTER_NAME]).toBe(variablesOf(scheduler)[SKIFF_CLUSTER_NAME]);
        expect(variablesOf(id)[SKIFF_NODE_ROLE_ARN]).toEqual({ 'Fn::GetAtt': [nodeRoleId, 'Arn'] });
        // No admin was given to this stack: none is built in.
        expect(variablesOf(id)).not.toHaveProperty(SKIFF_ADMIN_PRINCIPAL_ARN);
      }
      expect(variablesOf(functionId)[SKIFF_CLUSTER_NAME]).toBe('Skiff');
    });

    it('only reads the object table from the authorizer: GetItem and Query on the table and its indexes', () => {
      const statements = roleStatementsOf(template, authorizerFunctionId());
      expect(statements.flatMap((s) => asList(s.Action)).sort()).toEqual([
        'dynamodb:GetItem',
        'dynamodb:Query',
      ]);
      for (const statement of statements)
        expect(asList(statement.Resource)).toEqual([
          { 'Fn::GetAtt': [tableId, 'Arn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, '/index/*']] },
        ]);
    });

    it('answers 401 as kube does, with an Unauthorized Status', () => {
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: 'UNAUTHORIZED',
        StatusCode: '401',
        ResponseTemplates: {
          'application/json':
            '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}',
        },
      });
    });

    it('answers every other gateway error that reaches clients as a Status JSON body', () => {
      const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse'));
      const types = responses.map((r) => r.Properties.ResponseType as string);
      expect(types).toEqual(
        expect.arrayContaining([
          'ACCESS_DENIED',
          'THROTTLED',
          'INTEGRATION_TIMEOUT',
          'DEFAULT_4XX',
          'DEFAULT_5XX',
        ]),
      );
      for (const response of responses) {
        const body = JSON.parse(
          String(response.Properties.ResponseTemplates['application/json']).replace(
            '$context.error.messageString',
            '"gateway message"',
          ),
        );
        expect(body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure' });
        if (response.Properties.StatusCode) expect(body.code).toBe(Number(response.Properties.StatusCode));
        expect(response.Properties.ResponseParameters).toEqual({
          'gatewayresponse.header.Content-Type': "'application/json'",
        });
      }
    });

    it('makes the deploying principal admin in both functions when the stack is given one', () => {
      const admin = 'arn:aws:iam::123456789012:role/Deployer';
      const withAdmin = Template.fromStack(
        new SkiffStack(unbundledApp(), 'WithAdmin', { adminPrincipalArn: admin }),
      );
      for (const description of [
        'Skiff Kubernetes API',
        'Skiff API authorizer: EKS tokens and access entries',
      ])
        expect(
          withAdmin.findResources('AWS::Lambda::Function')[functionIdByDescription(withAdmin, description)]
            .Properties.Environment.Variables[SKIFF_ADMIN_PRINCIPAL_ARN],
        ).toBe(admin);
      expect(() => new SkiffStack(unbundledApp(), 'BadAdmin', { adminPrincipalArn: 'alice' })).toThrow(
        /not an IAM user, role or session ARN/,
      );
    });
  });
});
