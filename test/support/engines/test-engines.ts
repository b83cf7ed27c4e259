import type { EngineName, RunningEngine } from './running-engine';

/** The environment variable through which global setup hands the endpoints to test workers. */
export const TEST_ENGINES_ENV = 'SKIFF_TEST_ENGINES';

/**
 * Publishes the running engines' endpoints to the test workers: jest forks them after global setup,
 * so they inherit this process's environment.
 */
export function publishTestEngines(engines: readonly RunningEngine[]): void {
  const endpoints = Object.fromEntries(engines.map((engine) => [engine.name, engine.endpoint]));
  process.env[TEST_ENGINES_ENV] = JSON.stringify(endpoints);
}

/**
 * The endpoints of the engines running in this jest run, by name (`{ moto: 'http://127.0.0.1:…' }`).
 * Throws when the variable is missing: the test was not started through jest's global setup.
 */
export function testEngines(): Partial<Record<EngineName, string>> {
  const value = process.env[TEST_ENGINES_ENV];
  if (value === undefined) {
    throw new Error(
      `${TEST_ENGINES_ENV} is not set: run tests through jest, whose global setup starts the engines`,
    );
  }
  return JSON.parse(value) as Partial<Record<EngineName, string>>;
}

/**
 * The endpoint of one engine, or undefined when this run does not have it (not selected through
 * SKIFF_ENGINES, or skipped outside CI). Moto serves every AWS service it mocks, EC2 included.
 */
export function engineEndpoint(name: EngineName): string | undefined {
  return testEngines()[name];
}
