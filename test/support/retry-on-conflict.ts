import { setTimeout as delay } from 'node:timers/promises';

/**
 * Runs a read-modify-write until it stops conflicting, as client-go's retry.RetryOnConflict does:
 * a conflicting attempt backs off for a short, jittered, growing delay before reading again, so
 * racing clients spread out instead of spending every attempt on a version that already moved.
 * This is the client's retry policy under test, not a wait for a condition.
 */
export async function retryOnConflict(attempt: () => Promise<void>, isConflict: (error: unknown) => boolean) {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isConflict(error)) throw error;
      await delay(Math.random() * Math.min(2 ** tries, 20));
    }
  }
}
