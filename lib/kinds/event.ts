import * as z from 'zod';
import { emptyByDefault } from './empty-by-default';
import { invalidValue, requiredValue } from './field-error';
import { readField } from './field-reader';
import { int32 } from './int32';
import type { KindInfo } from './kind-info';
import { ObjectMeta } from './meta';
import { qualifiedNameError } from './names';
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

const eventFields = z.object({
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
});

export const Event = eventFields.superRefine(legacyValidateEvent);
export type Event = z.infer<typeof Event>;

/** kube's limits on a new-style Event's strings (pkg/apis/core/validation/events.go). */
const LENGTH_LIMITS = { reportingInstance: 128, action: 128, reason: 128, message: 1024 } as const;

/**
 * kube's legacyValidateEvent, which every v1 Event passes. An old-style Event (no eventTime) is
 * about an object in its own namespace: with no involvedObject namespace (no involvedObject at
 * all), it may only live in `default` (kube's compatibility for old clients). A new-style one
 * (eventTime set) names its reporter, instance, action and reason, within kube's lengths.
 */
function legacyValidateEvent(event: z.infer<typeof eventFields>, ctx: z.RefinementCtx): void {
  const issue = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const namespace = event.metadata.namespace ?? '';
  const involved = event.involvedObject.namespace ?? '';
  const mismatch = () =>
    issue(['involvedObject', 'namespace'], invalidValue(involved, 'does not match event.namespace'));
  if (!event.eventTime) {
    if (involved === '' ? namespace !== '' && namespace !== 'default' : namespace !== involved) mismatch();
    return;
  }
  if (involved === '' && namespace !== 'default' && namespace !== 'kube-system') mismatch();
  if (event.reportingComponent === '') issue(['reportingComponent'], requiredValue());
  const componentError = qualifiedNameError(event.reportingComponent);
  if (componentError) issue(['reportingComponent'], invalidValue(event.reportingComponent, componentError));
  if (event.reportingInstance === '') issue(['reportingInstance'], requiredValue());
  if (event.reportingInstance.length > LENGTH_LIMITS.reportingInstance)
    issue(
      ['reportingInstance'],
      invalidValue('', `can have at most ${LENGTH_LIMITS.reportingInstance} characters`),
    );
  if (!event.action) issue(['action'], requiredValue());
  if ((event.action ?? '').length > LENGTH_LIMITS.action)
    issue(['action'], invalidValue('', `can have at most ${LENGTH_LIMITS.action} characters`));
  if (!event.reason) issue(['reason'], requiredValue());
  if ((event.reason ?? '').length > LENGTH_LIMITS.reason)
    issue(['reason'], invalidValue('', `can have at most ${LENGTH_LIMITS.reason} characters`));
  if ((event.message ?? '').length > LENGTH_LIMITS.message)
    issue(['message'], invalidValue('', `can have at most ${LENGTH_LIMITS.message} characters`));
}

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
