import type { KubeObject } from '../../kinds/meta';
import type { Loose } from '../loose-object';

export type { Loose };

/** The parts of a v1 Event that describe and events print. */
export interface EventLike extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  involvedObject?: { kind?: string; name?: string; namespace?: string };
}

export const specOf = (o: KubeObject): Loose => (o.spec as Loose) ?? {};
export const statusOf = (o: KubeObject): Loose => (o.status as Loose) ?? {};
export const conditionsOf = (o: KubeObject): Loose[] => statusOf(o).conditions ?? [];
export const conditionOf = (o: KubeObject, type: string): Loose | undefined =>
  conditionsOf(o).find((c) => c.type === type);

/** When an event last happened: lastTimestamp, else eventTime, else its creation. */
export function lastSeen(event: EventLike): string | undefined {
  return event.lastTimestamp ?? event.eventTime ?? event.metadata.creationTimestamp;
}
