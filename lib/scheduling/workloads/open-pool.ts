import type { Pool } from '../model';

/** A pool without requirements, labels, taints or limits, with nothing launched yet: what benchmark workloads launch from. */
export function openPool(name = 'default'): Pool {
  return {
    name,
    weight: 0,
    requirements: [],
    labels: {},
    taints: [],
    limits: {},
    used: { cpu: 0, memory: 0, usdPerHour: 0 },
  };
}
