import type { KindInfo } from '../../kinds/kind-info';
import { AlreadyExistsError } from '../../store/errors';
import type { ObjectStore } from '../../store/object-store';
import { allocationRecord, type ServiceRef } from './allocation-kinds';

/** Random picks tried before the allocator reads which values are taken. */
const RANDOM_TRIES = 8;

/**
 * A range of values (ClusterIPs, node ports) handed out through one record per value: the store's
 * conditional create is the lock, so concurrent allocations (two API instances, two Lambdas) can
 * never hand out a value twice.
 */
export interface Range {
  /** Offsets run from `first` to `last` inclusive. */
  first: number;
  last: number;
  /** Offsets below this are only handed out when asked for or when the rest is full. */
  staticBandEnd: number;
  /** The record name (and the value) at an offset. */
  valueAt(offset: number): string;
  /** The record kind holding this range's values. */
  kind: KindInfo;
}

/** Why a value asked for cannot be had: `already` taken by another Service. */
export type ClaimOutcome = 'claimed' | 'already';

/**
 * Claims one given value for `parent` (the value must be in the range). AlreadyExists means
 * another Service holds it, or a record not yet released does.
 */
export async function claimValue(
  store: ObjectStore,
  range: Range,
  value: string,
  parent: ServiceRef,
): Promise<ClaimOutcome> {
  try {
    await store.create(range.kind, allocationRecord(range.kind, value, parent));
    return 'claimed';
  } catch (error) {
    if (error instanceof AlreadyExistsError) return 'already';
    throw error;
  }
}

/**
 * Claims any free value for `parent`, from above the static band first as kube does; undefined
 * when the range is full. Random picks first (cheap while the range is mostly free), then the
 * free values read from the records, tried in random order until one create wins.
 */
export async function claimAnyValue(
  store: ObjectStore,
  range: Range,
  parent: ServiceRef,
  random: () => number = Math.random,
): Promise<string | undefined> {
  const dynamicFirst = Math.max(range.first, range.staticBandEnd);
  const pick = (from: number, to: number) => from + Math.floor(random() * (to - from + 1));
  for (let i = 0; i < RANDOM_TRIES && dynamicFirst <= range.last; i++) {
    const value = range.valueAt(pick(dynamicFirst, range.last));
    if ((await claimValue(store, range, value, parent)) === 'claimed') return value;
  }
  const taken = await takenValues(store, range.kind);
  const free = (from: number, to: number) => {
    const values: string[] = [];
    for (let offset = from; offset <= to; offset++) {
      const value = range.valueAt(offset);
      if (!taken.has(value)) values.push(value);
    }
    return shuffled(values, random);
  };
  for (const value of [
    ...free(dynamicFirst, range.last),
    ...free(range.first, Math.min(dynamicFirst - 1, range.last)),
  ])
    if ((await claimValue(store, range, value, parent)) === 'claimed') return value;
  return undefined;
}

async function takenValues(store: ObjectStore, kind: KindInfo): Promise<Set<string>> {
  const taken = new Set<string>();
  let token: string | undefined;
  do {
    const page = await store.list(kind, token ? { continue: token } : {});
    for (const record of page.items) taken.add(record.metadata.name ?? '');
    token = page.metadata.continue;
  } while (token);
  return taken;
}

function shuffled<T>(values: T[], random: () => number): T[] {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [values[i], values[j]] = [values[j], values[i]];
  }
  return values;
}
