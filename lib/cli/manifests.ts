import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../kinds/meta';
import { CliError } from './cli-error';

/** An object read from a manifest, with where it came from for error messages. */
export interface Manifest {
  object: KubeObject;
  source: string;
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/**
 * The objects of `-f` arguments, in order: files, folders (recursively, their *.yaml, *.yml and
 * *.json files sorted by path, as kubectl -R reads them) and `-` for stdin.
 */
export function loadManifests(
  paths: string[],
  readStdin: () => string = () => readFileSync(0, 'utf8'),
): Manifest[] {
  return paths.flatMap((path) => {
    if (path === '-') return parseManifests(readStdin(), 'stdin');
    return manifestFiles(path).flatMap((file) => parseManifests(readFileSync(file, 'utf8'), file));
  });
}

/** The files a path names: itself, or a folder's manifest files at any depth. */
export function manifestFiles(path: string): string[] {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new CliError(`the path "${path}" does not exist`);
  }
  if (!stats.isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return manifestFiles(child);
      return MANIFEST_FILE.test(entry.name) ? [child] : [];
    });
}

/**
 * Every object of a YAML or JSON text: multi-document YAML, empty documents skipped, and `List`
 * kinds (what `kubectl get -o yaml` prints) opened into their items.
 */
export function parseManifests(text: string, source: string): Manifest[] {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) throw new CliError(`${source}: not YAML or JSON`);
  return documents.flatMap((document, index) => {
    if (document.errors.length > 0)
      throw new CliError(`${source}: document ${index + 1}: ${document.errors[0].message}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) return [];
    return objectsOf(value, `${source}${documents.length > 1 ? ` (document ${index + 1})` : ''}`);
  });
}

function objectsOf(value: unknown, source: string): Manifest[] {
  if (typeof value !== 'object' || Array.isArray(value) || value === null)
    throw new CliError(`${source}: a manifest must be an object with apiVersion and kind`);
  const object = value as Partial<KubeObject>;
  if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items))
    return (object.items as unknown[]).flatMap((item) => objectsOf(item, source));
  if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string')
    throw new CliError(`${source}: apiVersion and kind must be set`);
  if (typeof object.metadata?.name !== 'string' || object.metadata.name === '')
    throw new CliError(`${source}: metadata.name must be set (generateName is not applied by skiff apply)`);
  return [{ object: object as KubeObject, source }];
}
