import type { KubeObject } from '../kinds/meta';

/**
 * Records Kubernetes Events about objects (reason, message, involvedObject), aggregating repeats
 * into one Event with a count and lastTimestamp, as kube's event recorder does. Recording never
 * fails a reconcile: an Event that cannot be written is dropped.
 */
export interface EventRecorder {
  record(about: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void>;
}
