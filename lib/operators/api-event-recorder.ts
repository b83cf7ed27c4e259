import { isAlreadyExists, type KubeApiError } from '../client/api-error';
import type { KubeClient } from '../client/kube-client';
import type { EventRecorder } from '../controllers/event-recorder';
import { firstEventManifest } from '../controllers/events/event-manifest';
import { eventNameFor } from '../controllers/events/event-name';
import type { KubeObject } from '../kinds/meta';
import { timestamp } from '../store/server-fields';

/**
 * Records Events through the API, for a component that reaches objects only through it (an
 * operator on AWS holds no table access). Repeats of one report aggregate into one Event, found by
 * its deterministic name, as the store's recorder does (store-event-recorder.ts). Recording never
 * throws: a lost Event is logged and dropped.
 */
export class ApiEventRecorder implements EventRecorder {
  constructor(
    private readonly client: KubeClient,
    private readonly component: string,
    private readonly log: (message: string, error: unknown) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(
    about: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ): Promise<void> {
    const namespace = about.metadata.namespace ?? 'default';
    const identity = { type, reason, message, component: this.component };
    const name = eventNameFor(about, identity);
    const ref = { apiVersion: 'v1', plural: 'events', namespace };
    const time = timestamp(this.now());
    try {
      await this.client.create(ref, firstEventManifest(about, identity, { namespace, name }, time));
    } catch (error) {
      if (!isAlreadyExists(error)) return this.log(`dropped Event ${reason}`, error);
      await this.repeat({ ...ref, name }, time).catch((again: KubeApiError) =>
        this.log(`dropped Event ${reason}`, again),
      );
    }
  }

  /** One more of an Event already written: its count and lastTimestamp. */
  private async repeat(ref: Parameters<KubeClient['get']>[0], time: string): Promise<void> {
    const event = await this.client.get<{ count?: number } & Record<string, unknown>>(ref);
    await this.client.replace(ref, { ...event, count: (event.count ?? 1) + 1, lastTimestamp: time });
  }
}
