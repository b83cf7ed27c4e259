import { createHash } from 'node:crypto';
import type { KubeObject } from '../../kinds/meta';

/** Room left for the involved object's name once `.` and 16 hex characters are appended. */
const MAX_PREFIX_LENGTH = 253 - 17;

/** What makes two Events "the same" for aggregation: kube's EventAggregator key, minus the clock. */
export interface EventIdentity {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  component: string;
}

/**
 * The name of the Event aggregating every repeat of one report about one object. Deterministic,
 * so a repeat finds the Event already written (one GetItem) instead of listing and matching, and
 * two writers racing on the same report meet on one conditional write.
 *
 * @example eventNameFor(pod, { type: 'Normal', reason: 'Scheduled', message: '…', component: 'x' })
 *   // 'web-0.3f9a0c1b2d4e5f60'
 */
export function eventNameFor(about: KubeObject, identity: EventIdentity): string {
  const digest = createHash('sha256')
    .update(
      JSON.stringify([
        about.metadata.uid ?? '',
        identity.type,
        identity.reason,
        identity.message,
        identity.component,
      ]),
    )
    .digest('hex')
    .slice(0, 16);
  const prefix = (about.metadata.name ?? '').slice(0, MAX_PREFIX_LENGTH).replace(/[.-]+$/, '');
  return `${prefix || 'event'}.${digest}`;
}
