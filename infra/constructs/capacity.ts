import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import {
  SKIFF_CLUSTER_NAME,
  SKIFF_LAUNCH_TEMPLATE_ID,
  SKIFF_SUBNETS,
  SKIFF_TABLE_NAME,
} from '../../lib/config/env-names';
import { subnetsVariable } from '../../lib/config/scheduler-config';
import { NodeKind } from '../../lib/kinds/node';
import { NodeClaimKind } from '../../lib/kinds/node-claim';
import { NodePoolKind } from '../../lib/kinds/node-pool';
import { PodKind } from '../../lib/kinds/pod';
import { kindKeyOf } from '../../lib/store/object-item';
import { launchStatements, readStatements, terminateStatement } from './capacity-permissions';
import { DeadLetterQueue } from './dead-letter-queue';
import { InterruptionRules } from './interruption-rules';
import { NodeLaunchTemplate } from './node-launch-template';
import type { ObjectTable } from './object-table';
import { SkiffFunction } from './skiff-function';
import { addObjectStreamTrigger } from './stream-trigger';
import { TickRule } from './tick-rule';

/** The kinds whose changes can change the plan: pending pods, nodes, claims and pools. */
export const SCHEDULER_KIND_KEYS = [PodKind, NodeKind, NodeClaimKind, NodePoolKind].map(kindKeyOf);

/**
 * The scheduler's tick: consolidation and expiry are decided on it even when nothing changes.
 * Every change to pods, nodes, claims and pools wakes the scheduler within a second through the
 * stream, so the tick only bounds time-based decisions (an empty node's consolidateAfter, a
 * claim's expiry, a launch that never registered) and a lost stream record: five minutes, where a
 * one-minute tick alone would cost $0.28 a month idle (docs/cost.md).
 */
export const SCHEDULE_TICK = Duration.minutes(5);

const SCHEDULE_TIMEOUT = Duration.seconds(60);
const INTERRUPTION_TIMEOUT = Duration.seconds(10);

/** A subnet nodes may be launched into, with its zone (the scheduler plans zones, EC2 wants subnets). */
export interface NodeSubnet {
  subnetId: string;
  zone: string;
}

/** Where nodes run. */
export interface NodeNetwork {
  vpcId: string;
  subnets: readonly NodeSubnet[];
}

export interface CapacityProps {
  table: ObjectTable;
  /** The Skiff API's URL, which the agent on every node registers with. */
  apiUrl: string;
  /**
   * The cluster's name: instances are tagged `skiff.dev/cluster` with it and the EC2 permissions
   * are scoped to that tag, so two clusters in one account never touch each other's nodes.
   * Default: the stack's name.
   */
  clusterName?: string;
  /** Default: the account's default VPC, each node in the default subnet of the zone EC2 picks. */
  network?: NodeNetwork;
  /** The nodes' image. Default: the latest Amazon Linux 2023 for arm64. */
  nodeImage?: ec2.IMachineImage;
}

/**
 * Scheduling and capacity on AWS (design.md decisions 4, 5 and 12):
 * - `scheduleFunction`, the one scheduler (reserved concurrency 1), woken by the object table's
 *   stream when pods, nodes, claims or pools change (the reconciler's trigger settings: 1 s
 *   batching, bisect, bounded retries, dead-letter queue) and every 5 minutes by a tick rule. It
 *   plans, binds, and launches and terminates instances, so it alone holds EC2 permissions, each
 *   scoped to the cluster tag;
 * - `interruptionFunction`, invoked by EventBridge rules (spot warnings, rebalance
 *   recommendations, state changes, scheduled maintenance); it only writes objects (cordon,
 *   delete the claim), and the scheduler acts on them;
 * - `nodes`, the node role, instance profile, security group and launch template.
 */
export class Capacity extends Construct {
  readonly clusterName: string;
  /** The subnets nodes launch into (none: each zone's default subnet), for the API's dry run. */
  readonly subnets: readonly NodeSubnet[];
  readonly nodes: NodeLaunchTemplate;
  readonly scheduleFunction: SkiffFunction;
  readonly scheduleRule: events.Rule;
  readonly interruptions: InterruptionRules;
  readonly interruptionFunction: SkiffFunction;

  constructor(scope: Construct, id: string, props: CapacityProps) {
    super(scope, id);
    const { table } = props;
    this.clusterName = props.clusterName ?? Stack.of(this).stackName;
    const subnets = props.network?.subnets ?? [];
    this.subnets = subnets;
    this.nodes = new NodeLaunchTemplate(this, 'Nodes', {
      clusterName: this.clusterName,
      apiUrl: props.apiUrl,
      table,
      vpcId: props.network?.vpcId,
      machineImage: props.nodeImage,
    });

    this.scheduleFunction = new SkiffFunction(this, 'ScheduleFunction', {
      entry: 'functions/schedule/handler.ts',
      description: 'Skiff scheduler: places pods, launches and retires capacity',
      // One scheduler at a time; the lease in the store fences a stale one all the same.
      reservedConcurrentExecutions: 1,
      timeout: SCHEDULE_TIMEOUT,
      memorySize: 1024,
      environment: {
        [SKIFF_TABLE_NAME]: table.tableName,
        [SKIFF_CLUSTER_NAME]: this.clusterName,
        [SKIFF_LAUNCH_TEMPLATE_ID]: this.nodes.launchTemplateId,
        [SKIFF_SUBNETS]: subnetsVariable(subnets),
      },
    });
    table.grantReadWrite(this.scheduleFunction);
    table.grantSchedulerLease(this.scheduleFunction);
    table.grantCataloguePublish(this.scheduleFunction);
    for (const statement of [
      ...launchStatements(this, {
        clusterName: this.clusterName,
        launchTemplateArn: this.nodes.launchTemplateArn,
        securityGroupArn: this.nodes.securityGroupArn,
        nodeRoleArn: this.nodes.role.roleArn,
        subnetIds: subnets.map((subnet) => subnet.subnetId),
      }),
      terminateStatement(this, this.clusterName),
      ...readStatements(),
    ])
      this.scheduleFunction.addToRolePolicy(statement);

    addObjectStreamTrigger(this.scheduleFunction, 'TableStream', {
      table,
      kindKeys: SCHEDULER_KIND_KEYS,
      deadLetters: DeadLetterQueue.of(this).queue,
    });
    this.scheduleRule = new TickRule(this, 'ScheduleRule', {
      target: this.scheduleFunction,
      every: SCHEDULE_TICK,
      description: 'Skiff: a scheduling round every 5 minutes (consolidation, expiry, missed changes)',
      // A tick held back by the running round is stale once the next is due.
      maxEventAge: SCHEDULE_TICK,
    });

    this.interruptionFunction = new SkiffFunction(this, 'InterruptionFunction', {
      entry: 'functions/interruption/handler.ts',
      description: 'Skiff interruption handler: cordons nodes EC2 is taking back',
      timeout: INTERRUPTION_TIMEOUT,
      environment: {
        [SKIFF_TABLE_NAME]: table.tableName,
        [SKIFF_CLUSTER_NAME]: this.clusterName,
      },
    });
    table.grantReadWrite(this.interruptionFunction);
    this.interruptions = new InterruptionRules(this, 'Interruptions', { handler: this.interruptionFunction });

    // Fixed output names, so scripts and the node agent's setup find them in the stack's outputs.
    const output = (name: string, value: string, description: string) =>
      new CfnOutput(this, name, { value, description }).overrideLogicalId(name);
    output('LaunchTemplateId', this.nodes.launchTemplateId, 'The launch template every node starts from');
    output('NodeRoleArn', this.nodes.role.roleArn, 'The role every node runs as');
  }
}
