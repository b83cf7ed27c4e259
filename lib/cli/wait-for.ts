import { isNotFound } from '../client/api-error';
import type { KubeClient } from '../client/kube-client';
import type { ResourceRef } from '../client/resource-path';
import type { KubeObject } from '../kinds/meta';
import { CliError } from './cli-error';
import { Progress } from './progress';
import { readinessOf, type Readiness } from './readiness';

const POLL_MS = 500;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls an object until `check` says it is ready, showing where it stands on `progress`; throws
 * CliError at the deadline or when the check reports a failure. Polling (every 0.5 s) rather
 * than watching keeps one code path for every kind and survives a server restart.
 */
export async function waitUntilReady(
  client: KubeClient,
  ref: ResourceRef,
  label: string,
  deadline: number,
  progress: Progress,
  check: (object: KubeObject) => Readiness = readinessOf,
): Promise<Readiness> {
  for (;;) {
    const readiness = check(await client.get<KubeObject>(ref));
    if (readiness.failed) {
      progress.done();
      throw new CliError(readiness.failed);
    }
    if (readiness.ready) return readiness;
    progress.update(`${label}: ${readiness.message}`);
    if (Date.now() >= deadline) {
      progress.done();
      throw new CliError(`timed out waiting for ${label}: ${readiness.message}`);
    }
    await pause(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
  }
}

/** Polls until the object is gone (404), for `delete --wait`. */
export async function waitUntilGone(
  client: KubeClient,
  ref: ResourceRef,
  label: string,
  deadline: number,
  progress: Progress,
): Promise<void> {
  for (;;) {
    try {
      const object = await client.get<KubeObject>(ref);
      const finalizers = object.metadata.finalizers ?? [];
      progress.update(
        `waiting for ${label} to be deleted${finalizers.length ? ` (finalizers: ${finalizers.join(', ')})` : ''}`,
      );
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    if (Date.now() >= deadline) {
      progress.done();
      throw new CliError(`timed out waiting for ${label} to be deleted`);
    }
    await pause(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
  }
}
