import { createHash } from 'node:crypto';
import { decodeObject } from '../kinds/decode';
import { EventKind } from '../kinds/event';
import { apiVersionOf, type KindInfo } from '../kinds/kind-info';
import type { KubeObject } from '../kinds/meta';
import { AlreadyExistsError, type CorruptObjectError } from './errors';
import type { ObjectStore } from './object-store';
import { timestamp } from './server-fields';
import { metricLine } from '../metrics/metric-line';

/** The metric counting corrupt items met, in the log line's Embedded Metric Format (CloudWatch). */
export const CORRUPT_ITEMS_METRIC = 'skiff.store.corruptItems';

/** The reason of the Warning Event written about a corrupt item. */
export const CORRUPT_OBJECT_REASON = 'CorruptObject';

/** A key is reported (log line, metric and Event) at most once per this interval per process. */
export const CORRUPT_ITEM_REPORT_INTERVAL_MS = 10 * 60 * 1000;

/** Written as the Event's source.component and reportingComponent. */
const COMPONENT = 'skiff-store';

/** Past this many remembered keys, those outside the interval are forgotten. */
const MAX_REMEMBERED_KEYS = 1000;

let sightings = 0;

/** How many times this process has met a corrupt item (every sighting counts, reported or not). */
export function corruptItemSightings(): number {
  return sightings;
}

export interface CorruptItemReporterOptions {
  /** Milliseconds since the epoch (default Date.now). */
  now?: () => number;
  /** Where the structured report lines go (default console.warn). */
  log?: (line: string) => void;
}

interface KeyState {
  reportedAt?: number;
  /** Sightings since the last report, carried into the next report's metric value. */
  unreported: number;
}

/**
 * Tells people about stored items the store cannot read (CorruptObjectError): a structured log
 * line that is also a CloudWatch metric (`skiff.store.corruptItems`, Embedded Metric Format), and a
 * Warning Event `CorruptObject` about the object, written through the store. Lists skip such items
 * on every call, so reports are rate-limited per key: a list storm writes one Event per key per
 * interval, not one per list. The log line names the key and the problem, never the body.
 *
 * Reporting never throws: a lost report must not fail the read that found the item.
 */
export class CorruptItemReporter {
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private readonly keys = new Map<string, KeyState>();

  constructor(options: CorruptItemReporterOptions = {}) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((line) => console.warn(line));
  }

  /** Counts a sighting of the corrupt item of `kind`; logs and records an Event when the key is due. */
  async report(store: ObjectStore, kind: KindInfo, error: CorruptObjectError): Promise<void> {
    sightings++;
    const now = this.now();
    const state = this.keys.get(error.key) ?? { unreported: 0 };
    state.unreported++;
    this.keys.set(error.key, state);
    if (state.reportedAt !== undefined && now - state.reportedAt < CORRUPT_ITEM_REPORT_INTERVAL_MS) return;
    const count = state.unreported;
    // Marked before the Event is written: a corrupt Event item met while writing must not recurse.
    state.reportedAt = now;
    state.unreported = 0;
    this.forgetOld(now);
    this.log(
      reportLine('corrupt stored item: left out of lists and refused to reads', kind, error, now, count),
    );
    try {
      await recordEvent(store, kind, error, new Date(now));
    } catch (eventError) {
      this.log(
        JSON.stringify({
          level: 'warn',
          message: 'corrupt stored item: its Event could not be written',
          key: error.key,
          error: eventError instanceof Error ? eventError.message : String(eventError),
        }),
      );
    }
  }

  /** Logs that the corrupt item was deleted; a new corruption of the key is reported at once. */
  removed(kind: KindInfo, error: CorruptObjectError): void {
    this.keys.delete(error.key);
    this.log(reportLine('corrupt stored item: deleted unread', kind, error, this.now()));
  }

  private forgetOld(now: number): void {
    if (this.keys.size <= MAX_REMEMBERED_KEYS) return;
    for (const [key, state] of this.keys)
      if (state.reportedAt === undefined || now - state.reportedAt >= CORRUPT_ITEM_REPORT_INTERVAL_MS)
        this.keys.delete(key);
  }
}

/** The reporter every store of this process shares, so the rate limit holds per process. */
export const processCorruptItemReporter = new CorruptItemReporter();

/**
 * One JSON log line; with `count` it is also an Embedded Metric Format record, which CloudWatch
 * Logs turns into the `skiff.store.corruptItems` metric (namespace Skiff, dimension kind).
 */
function reportLine(
  message: string,
  kind: KindInfo,
  error: CorruptObjectError,
  now: number,
  count?: number,
): string {
  const fields = { key: error.key, problem: error.problem };
  const kindName = `${kind.group || 'core'}/${kind.kind}`;
  if (count === undefined) return JSON.stringify({ level: 'warn', message, ...fields, kind: kindName });
  return metricLine({
    level: 'warn',
    message,
    fields,
    dimensions: { kind: kindName },
    metrics: { [CORRUPT_ITEMS_METRIC]: { value: count, unit: 'Count' } },
    now,
  });
}

/**
 * Writes, or counts once more, the Warning Event about the corrupt object: in its namespace
 * (`default` for cluster-scoped kinds, as kube does), under a name derived from the item's key so
 * repeats aggregate into one Event. The object has no readable uid, so the reference has none.
 */
async function recordEvent(store: ObjectStore, kind: KindInfo, error: CorruptObjectError, now: Date) {
  const namespace = error.ref.namespace || 'default';
  const name = eventNameOf(error);
  try {
    await store.create(EventKind, anEvent(kind, error, namespace, name, timestamp(now)));
  } catch (createError) {
    if (!(createError instanceof AlreadyExistsError)) throw createError;
    const existing = (await store.get(EventKind, namespace, name)) as KubeObject & { count?: number };
    await store.update(EventKind, {
      ...existing,
      count: (existing.count ?? 1) + 1,
      lastTimestamp: timestamp(now),
    });
  }
}

function anEvent(
  kind: KindInfo,
  error: CorruptObjectError,
  namespace: string,
  name: string,
  now: string,
): KubeObject {
  const manifest = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace },
    involvedObject: {
      apiVersion: apiVersionOf(kind),
      kind: kind.kind,
      name: error.ref.name,
      ...(error.ref.namespace ? { namespace: error.ref.namespace } : {}),
    },
    type: 'Warning',
    reason: CORRUPT_OBJECT_REASON,
    message: `The stored object could not be read (${error.problem}): lists leave it out and reads fail until it is deleted. A DELETE removes it unread, ignoring its finalizers.`,
    source: { component: COMPONENT },
    reportingComponent: COMPONENT,
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  };
  return decodeObject(EventKind, manifest, { fieldValidation: 'Strict' }).object;
}

/** `<object name>.<16 hex digits of the key's hash>`, reduced to a valid DNS-1123 subdomain. */
function eventNameOf(error: CorruptObjectError): string {
  const digest = createHash('sha256').update(error.key).digest('hex').slice(0, 16);
  const prefix = error.ref.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 236)
    .replace(/^-+|-+$/g, '');
  return `${prefix || 'corrupt-object'}.${digest}`;
}
