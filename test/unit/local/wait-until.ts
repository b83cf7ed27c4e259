import { eventually } from '../../support/eventually';

/** Resolves once `condition` holds, checking as timers let other work run; throws at the deadline. */
export function waitUntil(condition: () => boolean, what: string, deadlineMs = 2_000): Promise<void> {
  return eventually(
    async () => {
      if (!condition()) throw new Error(`timed out after ${deadlineMs} ms waiting until ${what}`);
    },
    deadlineMs,
    2,
  );
}
