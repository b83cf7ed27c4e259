import { CfnOutput, Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { SKIFF_TABLE_NAME } from '../../lib/config/env-names';
import type { ObjectTable } from './object-table';
import { SkiffFunction } from './skiff-function';

export interface ObjectApiProps {
  table: ObjectTable;
}

/**
 * The Kubernetes API: a REST (v1) API Gateway proxying every path and method to one function
 * (functions/api) that reads and writes the object table. Every method needs SigV4 (AWS_IAM), so
 * an unauthenticated request never reaches the function.
 */
export class ObjectApi extends Construct {
  readonly function: SkiffFunction;
  readonly restApi: apigateway.LambdaRestApi;

  constructor(scope: Construct, id: string, props: ObjectApiProps) {
    super(scope, id);
    this.function = new SkiffFunction(this, 'Function', {
      entry: 'functions/api/handler.ts',
      description: 'Skiff Kubernetes API',
      memorySize: 1024,
      timeout: Duration.seconds(10),
      environment: { [SKIFF_TABLE_NAME]: props.table.tableName },
    });
    props.table.grantReadWrite(this.function);

    this.restApi = new apigateway.LambdaRestApi(this, 'RestApi', {
      handler: this.function,
      proxy: true,
      description: 'Skiff Kubernetes API',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM },
      // The account-wide CloudWatch role is a singleton that two stacks in one account would fight over.
      cloudWatchRole: false,
      deployOptions: { stageName: 'prod', throttlingRateLimit: 100, throttlingBurstLimit: 200 },
    });

    // A fixed output name, so `skiff` and scripts can find the API in the stack's outputs.
    new CfnOutput(this, 'Url', {
      value: this.restApi.url,
      description: 'The Kubernetes API server URL (SigV4-signed requests only)',
    }).overrideLogicalId('ApiUrl');
  }
}
