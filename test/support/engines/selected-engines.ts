import { ENGINE_NAMES, type EngineName } from './running-engine';

/**
 * The engines a developer asked for in `SKIFF_ENGINES` (a comma list such as `dynalite,moto`), so a
 * fast local loop need not start the Java and Python engines. Unset means all of them; an empty
 * value or `none` means none. An unknown name throws rather than silently testing less.
 */
export function selectedEngines(value: string | undefined): EngineName[] {
  if (value === undefined) return [...ENGINE_NAMES];
  const wanted = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '' && name !== 'none');
  const unknown = wanted.filter((name) => !(ENGINE_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `SKIFF_ENGINES names unknown engines: ${unknown.join(', ')} (known: ${ENGINE_NAMES.join(', ')})`,
    );
  }
  return ENGINE_NAMES.filter((name) => wanted.includes(name));
}
