import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ObjectTable } from '../../infra/constructs/object-table';
import { synthesizeSkiffTemplate } from './skiff-template';

/** A stack with only the table, and a role given each of its grants. */
function tableStack(withKey: boolean) {
  const stack = new Stack(new App(), 'Table');
  const key = withKey ? new kms.Key(stack, 'ObjectsKey') : undefined;
  const table = new ObjectTable(stack, 'Objects', { encryptionKey: key });
  const role = new iam.Role(stack, 'Api', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  table.grantReadWrite(role);
  const reconciler = new iam.Role(stack, 'Reconciler', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  table.grantStreamRead(reconciler);
  return Template.fromStack(stack);
}

describe('ObjectTable encryption at rest', () => {
  it("uses DynamoDB's default encryption (an AWS owned key) unless given a key", () => {
    const table = Object.values(synthesizeSkiffTemplate().findResources('AWS::DynamoDB::Table'))[0];
    expect(table.Properties.SSESpecification).toBeUndefined();
    tableStack(false).resourceCountIs('AWS::KMS::Key', 0);
  });

  it('encrypts with the customer-managed key given, and lets the grantees use it', () => {
    const template = tableStack(true);
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      },
    });
    // The actions each role may take on the key: encrypt and decrypt for the store, decrypt alone
    // for the stream reader.
    const keyActions = (role: string): string[] => {
      const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p) =>
        JSON.stringify(p.Properties.Roles).includes(role),
      );
      const statements: { Action: string | string[]; Resource: unknown }[] =
        policy?.Properties.PolicyDocument.Statement ?? [];
      return statements
        .filter((st) => JSON.stringify(st.Resource) === JSON.stringify({ 'Fn::GetAtt': [keyId, 'Arn'] }))
        .flatMap((st) => st.Action)
        .sort();
    };
    expect(keyActions('Api')).toEqual([
      'kms:Decrypt',
      'kms:Encrypt',
      'kms:GenerateDataKey*',
      'kms:ReEncrypt*',
    ]);
    expect(keyActions('Reconciler')).toEqual(['kms:Decrypt']);
  });
});

describe('Secret values in AWS logs', () => {
  it('API Gateway never logs request or response bodies (no data trace on any stage)', () => {
    const stages = Object.values(synthesizeSkiffTemplate().findResources('AWS::ApiGateway::Stage'));
    expect(stages.length).toBeGreaterThan(0);
    for (const stage of stages) {
      const settings: { DataTraceEnabled?: boolean }[] = stage.Properties.MethodSettings ?? [];
      expect(settings.filter((s) => s.DataTraceEnabled === true)).toEqual([]);
    }
  });
});
