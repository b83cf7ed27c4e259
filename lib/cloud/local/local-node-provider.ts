import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  InsufficientCapacityError,
  type InstanceInfo,
  type InstanceType,
  type LaunchRequest,
  type LaunchResult,
  type NodeProvider,
  type Offering,
} from '../node-provider';
import { LOCAL_INSTANCE_TYPES } from './local-instance-types';

/** The zone every local instance is in. */
export const LOCAL_ZONE = 'local';

export interface LocalNodeProviderOptions {
  /** What can be launched; LOCAL_INSTANCE_TYPES by default. */
  instanceTypes?: readonly InstanceType[];
  /**
   * How many live instances of each type the machine can hold; a type not named is unlimited.
   * A launch whose every offering is full fails with InsufficientCapacityError, as a sold-out
   * EC2 pool does, so the scheduler's fallback can be tried locally.
   */
  capacity?: Readonly<Record<string, number>>;
  /** Told of every new instance, so the embedded cluster can start its agent. */
  onLaunch?: (instance: InstanceInfo, clusterName: string) => void;
  /** Told of every terminated instance, so the embedded cluster can stop its agent. */
  onTerminate?: (instanceId: string) => void;
  /**
   * Where the instances are kept between runs (a JSON file), so a restarted `npm start` finds the
   * nodes of the last run and `resume` starts their agents again. Kept in memory only when absent.
   */
  stateFile?: string;
  now?: () => Date;
}

interface LocalInstance extends InstanceInfo {
  clusterName: string;
}

/**
 * The NodeProvider of the embedded cluster and of tests: an instance is a record in this process
 * (its agent runs pods as host processes). Ids derive from the claim uid (`local-` and 17 hex
 * digits, EC2's shape), so a retried launch finds the instance it made, and a restart that
 * replays the same claims makes the same ids. Instances start running; terminated ones are
 * forgotten at once. With a state file they outlive the process, as EC2 instances outlive the
 * scheduler.
 */
export class LocalNodeProvider implements NodeProvider {
  private readonly instances = new Map<string, LocalInstance>();
  private readonly types: ReadonlyMap<string, InstanceType>;

  constructor(private readonly options: LocalNodeProviderOptions = {}) {
    this.types = new Map((options.instanceTypes ?? LOCAL_INSTANCE_TYPES).map((type) => [type.name, type]));
    for (const instance of readInstances(options.stateFile))
      this.instances.set(instance.instanceId, instance);
  }

  /** Tells `onLaunch` of every instance kept from the last run, so their agents start again. */
  resume(): void {
    for (const instance of this.instances.values())
      this.options.onLaunch?.(toInfo(instance), instance.clusterName);
  }

  async launch(request: LaunchRequest): Promise<LaunchResult> {
    const instanceId = localInstanceId(request.clusterName, request.claimUid);
    const existing = this.instances.get(instanceId);
    if (existing !== undefined) return toResult(existing);
    const offering = request.offerings.find((candidate) => this.canLaunch(candidate));
    if (offering === undefined) throw new InsufficientCapacityError(request.claimUid, request.offerings);
    const instance: LocalInstance = {
      instanceId,
      claimUid: request.claimUid,
      poolName: request.poolName,
      state: 'running',
      instanceType: offering.instanceType,
      capacityType: offering.capacityType,
      zone: offering.zone ?? LOCAL_ZONE,
      launchTime: (this.options.now ?? (() => new Date()))(),
      clusterName: request.clusterName,
    };
    this.instances.set(instanceId, instance);
    this.save();
    this.options.onLaunch?.(toInfo(instance), request.clusterName);
    return toResult(instance);
  }

  async list(clusterName: string): Promise<InstanceInfo[]> {
    return [...this.instances.values()]
      .filter((instance) => instance.clusterName === clusterName)
      .sort((a, b) => a.instanceId.localeCompare(b.instanceId))
      .map(toInfo);
  }

  async terminate(instanceIds: readonly string[]): Promise<void> {
    for (const instanceId of instanceIds) {
      if (this.instances.delete(instanceId)) {
        this.save();
        this.options.onTerminate?.(instanceId);
      }
    }
  }

  /** Writes the instances to the state file (whole, through a rename, so a crash leaves one or the other). */
  private save(): void {
    const file = this.options.stateFile;
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify([...this.instances.values()], null, 2));
    renameSync(`${file}.tmp`, file);
  }

  async catalogue(): Promise<InstanceType[]> {
    return [...this.types.values()].map((type) => structuredClone(type));
  }

  private canLaunch(offering: Offering): boolean {
    const type = this.types.get(offering.instanceType);
    if (type === undefined || !type.capacityTypes.includes(offering.capacityType)) return false;
    if (offering.zone !== undefined && offering.zone !== LOCAL_ZONE) return false;
    const limit = this.options.capacity?.[offering.instanceType];
    if (limit === undefined) return true;
    const used = [...this.instances.values()].filter((i) => i.instanceType === offering.instanceType).length;
    return used < limit;
  }
}

/** The instances a state file holds; none when there is no file yet. */
function readInstances(file: string | undefined): LocalInstance[] {
  if (!file || !existsSync(file)) return [];
  const saved = JSON.parse(readFileSync(file, 'utf8')) as (LocalInstance & { launchTime: string })[];
  return saved.map((instance) => ({ ...instance, launchTime: new Date(instance.launchTime) }));
}

/** `local-` and 17 hex digits of the cluster and claim uid: the same claim, the same instance. */
export function localInstanceId(clusterName: string, claimUid: string): string {
  return `local-${createHash('sha256').update(`${clusterName}/${claimUid}`).digest('hex').slice(0, 17)}`;
}

function toInfo({ clusterName: _clusterName, ...info }: LocalInstance): InstanceInfo {
  return { ...info, launchTime: new Date(info.launchTime) };
}

function toResult({ instanceId, instanceType, capacityType, zone }: LocalInstance): LaunchResult {
  return { instanceId, instanceType, capacityType, zone };
}
