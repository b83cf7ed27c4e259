import type {
  CustomResourceDefinition,
  CustomResourceDefinitionCondition,
  CustomResourceDefinitionNames,
  CustomResourceDefinitionStatus,
} from '../../kinds/custom-resource-definition';
import { storedVersionsAfterUpdate } from './prepare';

/**
 * The status kube-apiserver's CRD controllers write (apiextensions-apiserver v0.32: the naming
 * controller, pkg/controller/status/naming_controller.go, then the establishing controller),
 * as pure functions for Skiff's CRD controller to store.
 */

/** The NamesAccepted reasons of kube's naming controller, one per kind of name. */
export type NamesConflictReason =
  'PluralConflict' | 'SingularConflict' | 'ShortNamesConflict' | 'KindConflict' | 'ListKindConflict';

export interface NamesConflict {
  reason: NamesConflictReason;
  /** kube's text: `"backups" is already in use` (several short names: `["a" is already in use, "b" is already in use]`). */
  message: string;
}

/** The names already accepted by the CRDs of the same group (kube's getAcceptedNamesForGroup). */
export interface TakenNames {
  /** Plurals, singulars and short names. */
  resources: ReadonlySet<string>;
  /** Kinds and list kinds. */
  kinds: ReadonlySet<string>;
}

/** The reason for a message naming the taken name (`"backups" is already in use`). */
function reasonOf(crd: CustomResourceDefinition, message: string): NamesConflictReason {
  const names = requestedNames(crd);
  const is = (name: string | undefined) => name !== undefined && message.startsWith(JSON.stringify(name));
  if (is(names.plural)) return 'PluralConflict';
  if (is(names.singular)) return 'SingularConflict';
  if ((names.shortNames ?? []).some(is)) return 'ShortNamesConflict';
  if (is(names.kind)) return 'KindConflict';
  if (is(names.listKind)) return 'ListKindConflict';
  return 'PluralConflict';
}

function timestamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** spec.names with kube's defaults, in case the CRD was not decoded. */
function requestedNames(crd: CustomResourceDefinition): CustomResourceDefinitionNames {
  const names = crd.spec.names;
  return {
    ...names,
    singular: names.singular || names.kind.toLowerCase(),
    listKind: names.listKind || (names.kind ? `${names.kind}List` : undefined),
  };
}

/**
 * apihelpers.SetCRDCondition: replaces the condition of that type in place (appends a new one);
 * its lastTransitionTime moves only when its status changes.
 */
function withCondition(
  conditions: CustomResourceDefinitionCondition[],
  condition: Omit<CustomResourceDefinitionCondition, 'lastTransitionTime'>,
  now: Date,
): CustomResourceDefinitionCondition[] {
  const existing = conditions.find((c) => c.type === condition.type);
  if (!existing) return [...conditions, { ...condition, lastTransitionTime: timestamp(now) }];
  const lastTransitionTime =
    existing.status !== condition.status || !existing.lastTransitionTime
      ? timestamp(now)
      : existing.lastTransitionTime;
  return conditions.map((c) => (c === existing ? { ...condition, lastTransitionTime } : c));
}

/**
 * The status of a CRD once the naming controller has checked its names against those `taken` in
 * its group and the establishing controller has run: names that are free (or already this CRD's)
 * are accepted; any conflict sets NamesAccepted False with kube's reason (the last conflict found
 * wins, as in kube) and keeps the old accepted name; with no conflict, NamesAccepted is True
 * (`NoConflicts`) and Established True (`InitialNamesAccepted`). An Established condition that was
 * True stays True: a renamed CRD keeps serving its accepted names. storedVersions gains the
 * storage version.
 */
export function namesStatus(
  crd: CustomResourceDefinition,
  taken: TakenNames,
  now: Date,
): CustomResourceDefinitionStatus {
  const requested = requestedNames(crd);
  const accepted: Partial<CustomResourceDefinitionNames> = crd.status?.acceptedNames ?? {};
  const next: Partial<CustomResourceDefinitionNames> = { ...accepted };
  let conflict: NamesConflict | undefined;
  const inUse = (name: string) => `${JSON.stringify(name)} is already in use`;
  const check = (
    key: 'plural' | 'singular' | 'kind' | 'listKind',
    used: ReadonlySet<string>,
    reason: NamesConflictReason,
  ) => {
    const want = requested[key] ?? '';
    if (want === (accepted[key] ?? '') || !used.has(want)) next[key] = requested[key];
    else conflict = { reason, message: inUse(want) };
  };
  check('plural', taken.resources, 'PluralConflict');
  check('singular', taken.resources, 'SingularConflict');
  if (JSON.stringify(requested.shortNames) !== JSON.stringify(accepted.shortNames)) {
    const own = new Set(accepted.shortNames ?? []);
    const errors = (requested.shortNames ?? [])
      .filter((s) => !own.has(s) && taken.resources.has(s))
      .map(inUse);
    if (errors.length === 0) next.shortNames = requested.shortNames;
    else
      conflict = {
        reason: 'ShortNamesConflict',
        message: errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`,
      };
  }
  check('kind', taken.kinds, 'KindConflict');
  check('listKind', taken.kinds, 'ListKindConflict');
  next.categories = requested.categories;
  if (conflict)
    return namesConflictStatus({ ...crd, status: { ...crd.status, acceptedNames: next } }, conflict, now);
  return {
    ...crd.status,
    acceptedNames: next,
    conditions: establishedConditions(crd.status?.conditions ?? [], now),
    storedVersions: storedVersionsAfterUpdate(crd, crd),
  };
}

function establishedConditions(
  conditions: CustomResourceDefinitionCondition[],
  now: Date,
): CustomResourceDefinitionCondition[] {
  const named = withCondition(
    conditions,
    { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
    now,
  );
  return withCondition(
    named,
    {
      type: 'Established',
      status: 'True',
      reason: 'InitialNamesAccepted',
      message: 'the initial names have been accepted',
    },
    now,
  );
}

/**
 * The status of a CRD whose names conflict with no other: every requested name accepted,
 * NamesAccepted True (`NoConflicts`, `no conflicts found`), Established True
 * (`InitialNamesAccepted`, `the initial names have been accepted`), and the storage version among
 * the stored versions (the old ones kept).
 *
 * @example establishedStatus(crd, new Date()).conditions?.map((c) => c.type) // ['NamesAccepted', 'Established']
 */
export function establishedStatus(crd: CustomResourceDefinition, now: Date): CustomResourceDefinitionStatus {
  return {
    ...crd.status,
    acceptedNames: requestedNames(crd),
    conditions: establishedConditions(crd.status?.conditions ?? [], now),
    storedVersions: storedVersionsAfterUpdate(crd, crd),
  };
}

/**
 * The status of a CRD one of whose names is taken: NamesAccepted False with kube's reason
 * (`PluralConflict`, `KindConflict`, ...) and message, and Established as it was, or False
 * (`NotAccepted`, `not all names are accepted`) for a CRD never established. The accepted names
 * are left as they are (namesStatus computes them name by name). Given only kube's message, the reason is that of the
 * name it quotes.
 */
export function namesConflictStatus(
  crd: CustomResourceDefinition,
  conflict: NamesConflict | string,
  now: Date = new Date(),
): CustomResourceDefinitionStatus {
  if (typeof conflict === 'string') conflict = { reason: reasonOf(crd, conflict), message: conflict };
  const conditions = crd.status?.conditions ?? [];
  const named = withCondition(
    conditions,
    { type: 'NamesAccepted', status: 'False', reason: conflict.reason, message: conflict.message },
    now,
  );
  const established = conditions.some((c) => c.type === 'Established')
    ? named
    : withCondition(
        named,
        {
          type: 'Established',
          status: 'False',
          reason: 'NotAccepted',
          message: 'not all names are accepted',
        },
        now,
      );
  return {
    ...crd.status,
    acceptedNames: crd.status?.acceptedNames ?? { plural: '', kind: '' },
    conditions: established,
    storedVersions: storedVersionsAfterUpdate(crd, crd),
  };
}
