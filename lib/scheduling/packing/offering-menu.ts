import type { Offering, Resources } from '../model';

/**
 * What a claim needs on top of what is already planned onto it: a pod's requests plus the node
 * overhead, as a flat `[name, amount, ...]` list, so the checks run for every candidate offering
 * allocate nothing.
 */
export type Needs = readonly (string | number)[];

const needsCache = new WeakMap<Resources, Map<string, Needs>>();

/**
 * `requests + overhead` as Needs. Pods with the same requests share one Needs object, so a search
 * can remember its answer for a claim and reuse it for the next pod of the same shape.
 */
export function needsOf(requests: Resources, overhead: Resources): Needs {
  let byShape = needsCache.get(overhead);
  if (!byShape) needsCache.set(overhead, (byShape = new Map()));
  let shape = '';
  for (const name in requests) if (requests[name] > 0) shape += `${name}=${requests[name]};`;
  let needs = byShape.get(shape);
  if (!needs) {
    const total: Resources = { ...overhead };
    for (const name in requests) if (requests[name] > 0) total[name] = (total[name] ?? 0) + requests[name];
    needs = Object.entries(total).flat();
    byShape.set(shape, needs);
  }
  return needs;
}

/**
 * Whether `requested + needs` fits in `capacity`: every resource the needs name, and every one
 * already requested (a GPU planned earlier still needs an offering with a GPU).
 */
export function holds(capacity: Resources, requested: Resources, needs: Needs): boolean {
  for (let i = 0; i < needs.length; i += 2) {
    const name = needs[i] as string;
    if ((requested[name] ?? 0) + (needs[i + 1] as number) > (capacity[name] ?? 0)) return false;
  }
  for (const name in requested) if (requested[name] > (capacity[name] ?? 0)) return false;
  return true;
}

/**
 * The offerings a claim may still settle on, cheapest first in the planner's order, with the
 * frontier among them: the offerings no earlier one dominates (holds at least as much of every
 * resource). The first offering that holds some requests is always on the frontier, so the
 * searches that run for every pod and candidate claim scan it alone: over the 1,340-type EC2
 * catalogue in one zone that is 78 offerings.
 *
 * Menus are shared: every claim of a pool in one zone reads the same one, and narrowing a menu to a
 * pod's node selection is remembered by the selection's signature.
 */
export class OfferingMenu {
  /** The offerings no earlier (cheaper) one dominates, in the order of `all`. */
  readonly frontier: readonly Offering[];
  /** The most of each resource any offering holds: no claim on this menu grows past it. */
  readonly largest: Resources;
  private readonly narrowedBy = new Map<string, OfferingMenu>();

  constructor(readonly all: readonly Offering[]) {
    const frontier: Offering[] = [];
    const largest: Resources = {};
    for (const offering of all) {
      for (const name in offering.capacity)
        largest[name] = Math.max(largest[name] ?? 0, offering.capacity[name]);
      if (!frontier.some((kept) => dominates(kept.capacity, offering.capacity))) frontier.push(offering);
    }
    this.frontier = frontier;
    this.largest = largest;
  }

  /** The index on the frontier, from `from` on, of the first offering that holds `requested + needs`, or -1. */
  firstHolding(requested: Resources, needs: Needs, from = 0): number {
    for (let i = from; i < this.frontier.length; i++)
      if (holds(this.frontier[i].capacity, requested, needs)) return i;
    return -1;
  }

  /** The menu of the offerings `keep` accepts, remembered under `signature`. */
  narrowed(signature: string, keep: (offering: Offering) => boolean): OfferingMenu {
    let menu = this.narrowedBy.get(signature);
    if (!menu) this.narrowedBy.set(signature, (menu = menuOf(this.all.filter(keep))));
    return menu;
  }
}

const menus = new WeakMap<readonly Offering[], OfferingMenu>();

/** The menu of `offerings` (cheapest first), built once per list. */
export function menuOf(offerings: readonly Offering[]): OfferingMenu {
  let menu = menus.get(offerings);
  if (!menu) menus.set(offerings, (menu = new OfferingMenu(offerings)));
  return menu;
}

/** Whether `a` holds at least as much as `b` of every resource `b` names (amounts are never negative). */
function dominates(a: Resources, b: Resources): boolean {
  for (const name in b) if ((a[name] ?? 0) < b[name]) return false;
  return true;
}
