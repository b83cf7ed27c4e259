import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CONTROLLERS } from '../lib/controllers/registry';
import { watchedKindKeys } from '../lib/controllers/watched-kinds';
import { Capacity, type CapacityProps } from './constructs/capacity';
import { ObjectApi } from './constructs/object-api';
import { ObjectTable } from './constructs/object-table';
import { Reconciler } from './constructs/reconciler';
import { acknowledgeNagFindings } from './nag-acknowledgments';

export interface SkiffStackProps extends StackProps {
  /** The cluster's name and the nodes' network and image (see CapacityProps for the defaults). */
  capacity?: Omit<CapacityProps, 'table' | 'apiUrl'>;
}

/** One Skiff control plane. Composes the capabilities; each construct owns its own details. */
export class SkiffStack extends Stack {
  readonly objects: ObjectTable;
  readonly api: ObjectApi;
  readonly reconciler: Reconciler;
  readonly capacity: Capacity;

  constructor(scope: Construct, id: string, props?: SkiffStackProps) {
    super(scope, id, props);
    this.objects = new ObjectTable(this, 'Objects');
    this.api = new ObjectApi(this, 'Api', { table: this.objects });
    this.reconciler = new Reconciler(this, 'Reconciler', {
      table: this.objects,
      kindKeys: watchedKindKeys(CONTROLLERS),
    });
    this.capacity = new Capacity(this, 'Capacity', {
      ...props?.capacity,
      table: this.objects,
      apiUrl: this.api.restApi.url,
    });
    this.api.enableDryRun({ subnets: this.capacity.subnets });
    acknowledgeNagFindings(this);
  }
}
