import type { EngineName, RunningEngine } from './running-engine';
import { runInstallScript } from './run-install-script';
import { startDynalite } from './start-dynalite';
import { startDynamoDbLocal } from './start-dynamodb-local';
import { startMoto } from './start-moto';

/** How to get each engine running: its install script (if it needs one), then its start. */
const ENGINES: Record<EngineName, { installScript?: string; start: () => Promise<RunningEngine> }> = {
  dynalite: { start: startDynalite },
  'dynamodb-local': { installScript: 'fetch-dynamodb-local.sh', start: startDynamoDbLocal },
  moto: { installScript: 'install-moto.sh', start: startMoto },
};

export interface SkippedEngine {
  name: EngineName;
  reason: string;
}

export interface EngineStartup {
  running: RunningEngine[];
  skipped: SkippedEngine[];
}

/**
 * Installs (if needed) and starts the named engines concurrently, since the JVM and Python start-up
 * dominate a cached run. Never throws: an engine that fails is reported in `skipped` with why, and
 * the caller decides whether that is fatal.
 */
export async function startEngines(names: readonly EngineName[]): Promise<EngineStartup> {
  const results = await Promise.allSettled(
    names.map(async (name) => {
      const engine = ENGINES[name];
      if (engine.installScript) await runInstallScript(engine.installScript);
      return engine.start();
    }),
  );
  const startup: EngineStartup = { running: [], skipped: [] };
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') startup.running.push(result.value);
    else startup.skipped.push({ name: names[i], reason: errorMessage(result.reason) });
  });
  return startup;
}

/** Stops every engine, attempting all of them even when one fails, and reports the failures. */
export async function stopEngines(engines: readonly RunningEngine[]): Promise<void> {
  const results = await Promise.allSettled(engines.map((engine) => engine.stop()));
  const failures = results.flatMap((result) =>
    result.status === 'rejected' ? [errorMessage(result.reason)] : [],
  );
  if (failures.length > 0) throw new Error(`engines did not stop cleanly:\n${failures.join('\n')}`);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
