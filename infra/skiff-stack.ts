import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ObjectApi } from './constructs/object-api';
import { ObjectTable } from './constructs/object-table';

/** One Skiff control plane. Composes the capabilities; each construct owns its own details. */
export class SkiffStack extends Stack {
  readonly objects: ObjectTable;
  readonly api: ObjectApi;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.objects = new ObjectTable(this, 'Objects');
    this.api = new ObjectApi(this, 'Api', { table: this.objects });
  }
}
