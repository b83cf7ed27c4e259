import type { ReplicaSet } from '../../lib/kinds/replica-set';
import { ReplicaSetKind } from '../../lib/kinds/replica-set';
import type { ItemChange } from '../../lib/store/dynamo-object-store';
import { BODY, partitionKeyOf } from '../../lib/store/object-item';
import { bodyOf } from '../../lib/store/stored-body';
import { TABLE } from '../../lib/store/table-schema';

/** What a rollout check needs of one stored ReplicaSet. */
interface ReplicaSetState {
  image: string;
  specReplicas: number;
  replicas: number;
  available: number;
}

/**
 * The ReplicaSets of one namespace as last written, kept from the write log (no list per check):
 * `observe` each write, then ask whether a rollout has reached its end state.
 */
export class ReplicaSetStates {
  private readonly partition: string;
  private readonly states = new Map<string, ReplicaSetState>();

  constructor(namespace: string) {
    this.partition = partitionKeyOf(ReplicaSetKind, namespace);
  }

  /** Takes in one write; answers whether it was about a ReplicaSet of the namespace. */
  observe(change: ItemChange): boolean {
    const item = change.newItem ?? change.oldItem;
    if (item?.[TABLE.partitionKey]?.S !== this.partition) return false;
    const name = item[TABLE.sortKey]?.S ?? '';
    if (!change.newItem) {
      this.states.delete(name);
      return true;
    }
    const rs = JSON.parse(bodyOf(change.newItem, BODY) ?? '{}') as ReplicaSet;
    this.states.set(name, {
      image: rs.spec.template.spec?.containers?.[0]?.image ?? '',
      specReplicas: rs.spec.replicas,
      replicas: rs.status?.replicas ?? 0,
      available: rs.status?.availableReplicas ?? 0,
    });
    return true;
  }

  /**
   * Whether the ReplicaSet running `image` has `replicas` pods, all available, and every other
   * ReplicaSet is scaled to 0 with no pods left.
   */
  rolledOutTo(image: string, replicas: number): boolean {
    let current = false;
    for (const state of this.states.values()) {
      if (state.image === image)
        current =
          state.specReplicas === replicas && state.replicas === replicas && state.available === replicas;
      else if (state.specReplicas !== 0 || state.replicas !== 0) return false;
    }
    return current;
  }

  get count(): number {
    return this.states.size;
  }
}
