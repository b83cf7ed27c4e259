import * as z from 'zod';
import { DEFAULT_RESYNC, type ResyncSchedule } from '../controllers/resync';
import { SKIFF_RESYNC_INTERVAL_SECONDS, SKIFF_RESYNC_TICK_SECONDS } from './env-names';

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * The resync variables, shared by the reconciler functions and `npm start` so both read them
 * alike: positive whole seconds, defaulting to DEFAULT_RESYNC.
 */
export const ResyncEnv = {
  [SKIFF_RESYNC_INTERVAL_SECONDS]: seconds(DEFAULT_RESYNC.intervalSeconds),
  [SKIFF_RESYNC_TICK_SECONDS]: seconds(DEFAULT_RESYNC.tickSeconds),
};

/** The schedule parsed from an environment that included ResyncEnv. */
export function resyncOf(parsed: {
  [SKIFF_RESYNC_INTERVAL_SECONDS]: number;
  [SKIFF_RESYNC_TICK_SECONDS]: number;
}): ResyncSchedule {
  return {
    intervalSeconds: parsed[SKIFF_RESYNC_INTERVAL_SECONDS],
    tickSeconds: parsed[SKIFF_RESYNC_TICK_SECONDS],
  };
}
