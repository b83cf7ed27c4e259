import { takeEngines } from './engines/engine-registry';
import { stopEngines } from './engines/start-engines';

/** Stops the engines global setup started, so no engine process outlives the jest run. */
export default async function globalTeardown(): Promise<void> {
  await stopEngines(takeEngines());
}
