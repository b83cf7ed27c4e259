import { ACCESS_TYPES } from './access';
import { API_EXTENSIONS_TYPES } from './api-extensions';
import { CAPACITY_TYPES } from './capacity';
import { CONTAINER_TYPES } from './containers';
import { CORE_TYPES } from './core';
import { OBJECT_META_TYPES } from './object-meta';
import { POD_TYPES } from './pod';
import { POD_SPEC_TYPES } from './pod-spec';
import { POLICY_TYPES } from './policy';
import { PROBE_TYPES } from './probes';
import { RBAC_TYPES } from './rbac';
import { SCALE_TYPES } from './scale';
import { SERVICE_TYPES } from './service';
import type { TypeDescriptions } from './type-description';
import { VOLUME_TYPES } from './volumes';
import { WORKLOAD_TYPES } from './workloads';

const AREAS: readonly TypeDescriptions[] = [
  OBJECT_META_TYPES,
  POD_TYPES,
  POD_SPEC_TYPES,
  CONTAINER_TYPES,
  PROBE_TYPES,
  VOLUME_TYPES,
  WORKLOAD_TYPES,
  CAPACITY_TYPES,
  ACCESS_TYPES,
  CORE_TYPES,
  POLICY_TYPES,
  SERVICE_TYPES,
  RBAC_TYPES,
  SCALE_TYPES,
  API_EXTENSIONS_TYPES,
];

/**
 * Every type's description, from all areas. A type described in two areas is a mistake (one would
 * silently win), so it fails at load.
 */
export const TYPE_DESCRIPTIONS: TypeDescriptions = mergeAreas(AREAS);

function mergeAreas(areas: readonly TypeDescriptions[]): TypeDescriptions {
  const merged: Record<string, TypeDescriptions[string]> = {};
  for (const area of areas)
    for (const [name, type] of Object.entries(area)) {
      if (merged[name]) throw new Error(`type ${name} is described twice`);
      merged[name] = type;
    }
  return merged;
}
