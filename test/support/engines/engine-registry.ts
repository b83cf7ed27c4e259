import type { RunningEngine } from './running-engine';

// Jest loads global setup and teardown as separate modules in the same process; only globals are
// shared between them.
const KEY = Symbol.for('skiff.test.runningEngines');
const registry = globalThis as { [KEY]?: RunningEngine[] };

/** Remembers the engines global setup started, for global teardown to stop. */
export function rememberEngines(engines: readonly RunningEngine[]): void {
  registry[KEY] = [...(registry[KEY] ?? []), ...engines];
}

/** Hands over the remembered engines and forgets them, so each is stopped once. */
export function takeEngines(): RunningEngine[] {
  const engines = registry[KEY] ?? [];
  delete registry[KEY];
  return engines;
}
