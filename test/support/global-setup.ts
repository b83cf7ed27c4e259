import { rememberEngines } from './engines/engine-registry';
import { ENGINE_NAMES } from './engines/running-engine';
import { selectedEngines } from './engines/selected-engines';
import { skippedEnginesBanner } from './engines/skipped-engines-banner';
import { startEngines, stopEngines } from './engines/start-engines';
import { publishTestEngines } from './engines/test-engines';

/**
 * Starts each test engine once per jest run, installing it first on a fresh clone, and hands the
 * endpoints to the test workers through SKIFF_TEST_ENGINES.
 *
 * `SKIFF_ENGINES` (comma list; default all three) picks a subset for a fast local loop, in CI too:
 * CI leaves it unset, so CI requires all three. With `CI=true` an engine that fails to install or
 * start fails the run; elsewhere it is skipped under a banner saying which and why.
 */
export default async function globalSetup(): Promise<void> {
  const required = process.env.CI === 'true';
  const names = selectedEngines(process.env.SKIFF_ENGINES);
  const { running, skipped } = await startEngines(names);
  if (skipped.length > 0 && required) {
    await stopEngines(running).catch(() => undefined);
    const reasons = skipped.map((engine) => `${engine.name}: ${engine.reason}`).join('\n\n');
    throw new Error(`CI=true requires every selected test engine; these failed:\n\n${reasons}`);
  }
  rememberEngines(running);
  publishTestEngines(running);
  if (skipped.length > 0) process.stderr.write(skippedEnginesBanner(skipped));
  const unselected = ENGINE_NAMES.filter((name) => !names.includes(name));
  if (unselected.length > 0) {
    const scope = required ? 'this CI run does not test' : 'not testing';
    process.stderr.write(`\nSKIFF_ENGINES=${process.env.SKIFF_ENGINES}: ${scope} ${unselected.join(', ')}\n`);
  }
}
