import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { canonicalArn } from '../lib/auth/canonical-arn';
import { CONTROLLERS } from '../lib/controllers/registry';
import { triggerKinds } from '../lib/controllers/watched-kinds';
import { Capacity, type CapacityProps } from './constructs/capacity';
import { ObjectApi } from './constructs/object-api';
import { ObjectTable } from './constructs/object-table';
import { Reconciler } from './constructs/reconciler';
import { acknowledgeNagFindings } from './nag-acknowledgments';

export interface SkiffStackProps extends StackProps {
  /** The cluster's name and the nodes' network and image (see CapacityProps for the defaults). */
  capacity?: Omit<CapacityProps, 'table' | 'apiUrl'>;
  /**
   * The deploying principal's IAM ARN (user, role, or the assumed-role ARN `aws sts
   * get-caller-identity` prints, which stands for its role), made cluster admin. infra/app.ts
   * takes it from `-c adminPrincipalArn=...`.
   */
  adminPrincipalArn?: string;
}

/** One Skiff control plane. Composes the capabilities; each construct owns its own details. */
export class SkiffStack extends Stack {
  readonly objects: ObjectTable;
  readonly api: ObjectApi;
  readonly reconciler: Reconciler;
  readonly capacity: Capacity;
  /** The name API tokens are minted for (`aws eks get-token --cluster-name`), and instances are tagged with. */
  readonly clusterName: string;

  constructor(scope: Construct, id: string, props?: SkiffStackProps) {
    super(scope, id, props);
    this.objects = new ObjectTable(this, 'Objects');
    if (props?.adminPrincipalArn !== undefined && canonicalArn(props.adminPrincipalArn) === undefined)
      throw new Error(`adminPrincipalArn ${props.adminPrincipalArn} is not an IAM user, role or session ARN`);
    // The name tokens are minted for; Capacity tags instances with the same default (the stack's name).
    const clusterName = props?.capacity?.clusterName ?? this.stackName;
    this.clusterName = clusterName;
    this.api = new ObjectApi(this, 'Api', {
      table: this.objects,
      clusterName,
      ...(props?.adminPrincipalArn ? { adminPrincipalArn: props.adminPrincipalArn } : {}),
    });
    const kinds = triggerKinds(CONTROLLERS);
    this.reconciler = new Reconciler(this, 'Reconciler', {
      table: this.objects,
      // Every record of the kinds ordinary controllers watch; only the collection records of the
      // kinds only the garbage collectors watch (a ConfigMap's update wakes nothing).
      kindKeys: kinds.everyRecord,
      collectionKindKeys: kinds.collectionRecords,
    });
    this.capacity = new Capacity(this, 'Capacity', {
      ...props?.capacity,
      table: this.objects,
      apiUrl: this.api.restApi.url,
    });
    this.api.enableDryRun({ subnets: this.capacity.subnets });
    this.api.trustNodeRole(this.capacity.nodes.role.roleArn);
    acknowledgeNagFindings(this);
  }
}
