import * as z from 'zod';
import { emptyByDefault } from './empty-by-default';
import { invalidValue } from './field-error';
import { readField } from './field-reader';
import { int32 } from './int32';
import type { KindInfo } from './kind-info';
import { ObjectMeta } from './meta';
import { ObjectReference } from './object-reference';
import { timestamp } from './time';

/**
 * v1 (core) Event: what happened to an object, for `kubectl describe` and `kubectl get events`.
 * Events expire after an hour, as Kubernetes' default --event-ttl.
 */
export const EventSource = z.object({
  component: z.string().optional(),
  host: z.string().optional(),
});

export const EventSeries = z.object({
  count: int32.optional(),
  lastObservedTime: timestamp.optional(),
});

export const Event = z
  .object({
    apiVersion: z.literal('v1'),
    kind: z.literal('Event'),
    metadata: emptyByDefault(ObjectMeta),
    involvedObject: ObjectReference.prefault({}),
    reason: z.string().optional(),
    message: z.string().optional(),
    source: EventSource.optional(),
    firstTimestamp: timestamp.optional(),
    lastTimestamp: timestamp.optional(),
    count: int32.optional(),
    type: z.enum(['Normal', 'Warning']).optional(),
    eventTime: timestamp.optional(),
    series: EventSeries.optional(),
    action: z.string().optional(),
    related: ObjectReference.optional(),
    // Serialised even when empty by Kubernetes.
    reportingComponent: z.string().default(''),
    reportingInstance: z.string().default(''),
  })
  .superRefine((event, ctx) => {
    // legacyValidateEvent: an event about a namespaced object lives in that object's namespace.
    const { namespace } = event.metadata;
    const involved = event.involvedObject.namespace;
    if (namespace && involved && involved !== namespace)
      ctx.addIssue({
        code: 'custom',
        path: ['involvedObject', 'namespace'],
        message: invalidValue(involved, 'does not match event.namespace'),
      });
  });
export type Event = z.infer<typeof Event>;

/** Kubernetes' default --event-ttl: one hour. */
export const EVENT_TTL_SECONDS = 3600;

export const EventKind: KindInfo = {
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  shortNames: ['ev'],
  namespaced: true,
  hasStatus: false,
  garbageCollected: false,
  nameFormat: 'dns1123-subdomain',
  schema: Event,
  timeToLiveSeconds: EVENT_TTL_SECONDS,
  fieldSelectors: {
    'involvedObject.kind': readField('involvedObject.kind'),
    'involvedObject.namespace': readField('involvedObject.namespace'),
    'involvedObject.name': readField('involvedObject.name'),
    'involvedObject.uid': readField('involvedObject.uid'),
    'involvedObject.apiVersion': readField('involvedObject.apiVersion'),
    'involvedObject.resourceVersion': readField('involvedObject.resourceVersion'),
    'involvedObject.fieldPath': readField('involvedObject.fieldPath'),
    reason: readField('reason'),
    reportingComponent: readField('reportingComponent'),
    source: readField('source.component'),
    type: readField('type'),
  },
};
