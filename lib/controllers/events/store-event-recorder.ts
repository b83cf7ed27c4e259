import { decodeObject } from '../../kinds/decode';
import { EventKind, type Event } from '../../kinds/event';
import type { KubeObject } from '../../kinds/meta';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../../store/errors';
import type { ObjectStore } from '../../store/object-store';
import { timestamp } from '../../store/server-fields';
import type { EventRecorder } from '../event-recorder';
import { eventNameFor, type EventIdentity } from './event-name';
import { firstEventManifest } from './event-manifest';
import { EventSpamFilter } from './event-spam-filter';

/** Racing writers of one Event settle within a few rounds; past that the report is dropped. */
const MAX_ATTEMPTS = 10;

export interface StoreEventRecorderOptions {
  store: ObjectStore;
  /** Written as source.component and reportingComponent, e.g. `replicaset-controller`. */
  component: string;
  now: () => Date;
  /** Where dropped Events are reported (default console.error). */
  log?: (message: string, error: unknown) => void;
}

/**
 * The EventRecorder over the object store: core/v1 Events in the involved object's namespace
 * (`default` for cluster-scoped objects, as kube does), expiring by the Event kind's TTL. Repeats
 * of one report aggregate into one Event (count and lastTimestamp), found by its deterministic
 * name (see eventNameFor) and updated conditionally, retrying when another writer got there first.
 *
 * Recording never throws: an Event is a courtesy to humans, and losing one must not fail a
 * reconcile, so failures are logged and dropped. Like kube's recorder, it rate-limits each involved
 * object's Events (EventSpamFilter) and drops the excess.
 */
export class StoreEventRecorder implements EventRecorder {
  private readonly store: ObjectStore;
  private readonly component: string;
  private readonly now: () => Date;
  private readonly log: (message: string, error: unknown) => void;
  private readonly spamFilter = new EventSpamFilter();

  constructor(options: StoreEventRecorderOptions) {
    this.store = options.store;
    this.component = options.component;
    this.now = options.now;
    this.log = options.log ?? ((message, error) => console.error(message, error));
  }

  async record(
    about: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ): Promise<void> {
    const identity: EventIdentity = { type, reason, message, component: this.component };
    const source = `${this.component}/${about.metadata.uid ?? `${about.kind}/${about.metadata.namespace}/${about.metadata.name}`}`;
    if (!this.spamFilter.allow(source, this.now().getTime())) return;
    try {
      await this.write(about, identity);
    } catch (error) {
      this.log(
        `${this.component}: dropped ${type} Event ${reason} about ${about.kind} ${about.metadata.name}`,
        error,
      );
    }
  }

  private async write(about: KubeObject, identity: EventIdentity): Promise<void> {
    const namespace = about.metadata.namespace || 'default';
    const name = eventNameFor(about, identity);
    for (let attempt = 1; ; attempt++) {
      try {
        const existing = await this.find(namespace, name);
        if (existing) await this.store.update(EventKind, this.repeated(existing));
        else await this.store.create(EventKind, this.first(about, identity, namespace, name));
        return;
      } catch (error) {
        const raced = error instanceof ConflictError || error instanceof AlreadyExistsError;
        if (!raced || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async find(namespace: string, name: string): Promise<Event | undefined> {
    try {
      return (await this.store.get(EventKind, namespace, name)) as Event;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /** The stored Event one more time: conditional on the version read, so no count is lost. */
  private repeated(existing: Event): Event {
    return { ...existing, count: (existing.count ?? 1) + 1, lastTimestamp: timestamp(this.now()) };
  }

  private first(about: KubeObject, identity: EventIdentity, namespace: string, name: string): KubeObject {
    const manifest = firstEventManifest(about, identity, { namespace, name }, timestamp(this.now()));
    return decodeObject(EventKind, manifest, { fieldValidation: 'Strict' }).object;
  }
}
