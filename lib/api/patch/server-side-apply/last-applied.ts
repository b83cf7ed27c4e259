import type { KubeObject } from '../../../kinds/meta';
import { isJsonObject, type JsonObject } from '../json-value';
import { ApplyConflictError } from './apply-conflict-error';
import { compareValues } from './compare-values';
import { applyConfiguration, type AppliedObject } from './field-manager';
import { applySchemaOf, ownablePart, type FieldManagerScope } from './field-manager-scope';
import { fieldSetOf } from './field-set-of';
import type { FieldSet } from './field-set';

/** kubectl's client-side apply annotation. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** The manager kubectl's server-side apply uses by default, for which kube-apiserver bridges client-side apply. */
export const KUBECTL_MANAGER = 'kubectl';

/**
 * Server-side apply as kube-apiserver runs it for `kubectl`, bridging client-side apply (its
 * lastAppliedManager and lastAppliedUpdater): conflicts on fields the object's last-applied
 * annotation still describes (set there and not changed since) are taken without `force`, so the
 * first `kubectl apply --server-side` after client-side applies goes through; and the annotation
 * is rewritten to the new configuration, so a later client-side apply computes its patch from
 * what was really applied. Other managers get applyConfiguration as it is.
 */
export function applyWithLastApplied(
  scope: FieldManagerScope,
  live: KubeObject | undefined,
  config: JsonObject,
  force: boolean,
): AppliedObject {
  const lastApplied = live && scope.manager === KUBECTL_MANAGER ? lastAppliedOf(live) : undefined;
  if (!live || !lastApplied) return applyConfiguration(scope, live, config, force);
  let applied: AppliedObject;
  try {
    applied = applyConfiguration(scope, live, config, force);
  } catch (error) {
    if (!(error instanceof ApplyConflictError)) throw error;
    const allowed = unchangedSinceLastApplied(scope, live, lastApplied);
    const remaining = error.conflicts.filter((conflict) => !allowed?.has(conflict.path));
    if (remaining.length > 0) throw new ApplyConflictError(remaining);
    applied = applyConfiguration(scope, live, config, true);
  }
  setLastApplied(applied.object, config);
  return applied;
}

function lastAppliedOf(live: KubeObject): JsonObject | undefined {
  const text = live.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The fields the last-applied configuration sets that still hold the value it gave them. */
function unchangedSinceLastApplied(
  scope: FieldManagerScope,
  live: KubeObject,
  lastApplied: JsonObject,
): FieldSet | undefined {
  const schema = applySchemaOf(scope.kind);
  const before = ownablePart(lastApplied, scope);
  try {
    return fieldSetOf(before, schema).difference(
      compareValues(before, ownablePart(live, scope), schema).modified,
    );
  } catch {
    return undefined;
  }
}

/** The annotation set to the configuration, itself left out of it, as kube's buildLastApplied. */
function setLastApplied(object: JsonObject, config: JsonObject): void {
  const metadata = isJsonObject(object.metadata) ? object.metadata : undefined;
  const annotations = metadata && isJsonObject(metadata.annotations) ? metadata.annotations : undefined;
  if (!annotations || typeof annotations[LAST_APPLIED_ANNOTATION] !== 'string') return;
  const configMetadata: JsonObject = isJsonObject(config.metadata) ? { ...config.metadata } : {};
  if (isJsonObject(configMetadata.annotations)) {
    const rest = { ...configMetadata.annotations };
    delete rest[LAST_APPLIED_ANNOTATION];
    configMetadata.annotations = rest;
  }
  annotations[LAST_APPLIED_ANNOTATION] = JSON.stringify({ ...config, metadata: configMetadata });
}
